// Opens the analysis store a `--db` argument names: `postgresql://…` / `postgres://…` is a
// PostgreSQL server (for teams), anything else a SQLite file (the embedded default). The one
// place that knows which back ends exist.
#pragma once

#include <memory>
#include <string>

#include "lib/store/store.h"

namespace fedtriage {

// nullptr with `*error` set (never showing a password) when the store cannot be opened.
std::unique_ptr<Store> open_store(const std::string& db, const StoreOptions& options,
                                  std::string* error);
std::unique_ptr<Store> open_store(const std::string& db, std::string* error);

// `fedtriage db status`: where the database is, its schema version against this build's and
// its row counts, as lines of text in `*report`. Changes nothing on a server (an SQLite file
// is opened as a store: an older schema is migrated). False when the database cannot be used
// by this build (unreachable, foreign, newer), with the reason in `*report` or `*error`.
bool describe_store(const std::string& db, std::string* report, std::string* error);

// True when `db` names a database server rather than a file.
bool is_server_url(const std::string& db);

// `db` as it may be shown or recorded: a server URL without its password.
std::string displayable_db(const std::string& db);

}  // namespace fedtriage
