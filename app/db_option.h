// The --db option of every command that uses the store: an SQLite file or a PostgreSQL URL
// (postgresql://USER@HOST[:PORT]/DBNAME), by default $FEDTRIAGE_DB, else fedtriage.db.
#pragma once

#include <boost/program_options/value_semantic.hpp>
#include <string>
#include <vector>

namespace fedtriage::cli {

// $FEDTRIAGE_DB when set and not empty, else "fedtriage.db".
std::string default_db();

// The --help text of --db; `what` says what the command does with it ("to write", "to read").
std::string db_option_help(const char* what);

// The value of --db for options_description: an empty value is a usage error (SQLite would
// take "" for a temporary database and store nothing).
boost::program_options::typed_value<std::string>* db_value(std::string* db);

// `db` as messages show it: a server URL without its password.
std::string shown_db(const std::string& db);

// For a read command that could not open `db`: when it is the built-in default (no --db, no
// $FEDTRIAGE_DB), a second line saying where it looked and how to name the database; else "".
std::string default_db_hint(const std::string& db);

// The command line as the runs table records it: any database URL without its password.
std::vector<std::string> args_for_record(const std::vector<std::string>& args);

}  // namespace fedtriage::cli
