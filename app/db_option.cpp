#include "app/db_option.h"

#include <cstdlib>
#include <stdexcept>

#include "lib/store/open_store.h"

namespace fedtriage::cli {

// The database when neither --db nor $FEDTRIAGE_DB names one.
constexpr const char* kBuiltinDb = "fedtriage.db";

std::string default_db() {
  const char* env = std::getenv("FEDTRIAGE_DB");
  return env && *env ? std::string(env) : std::string(kBuiltinDb);
}

std::string db_option_help(const char* what) {
  std::string help = "SQLite file or postgresql://USER@HOST[:PORT]/DBNAME URL";
  if (*what) help += std::string(" ") + what;
  return help + " (default $FEDTRIAGE_DB, else fedtriage.db)";
}

namespace {

// A plain function, not a lambda: g++ -O3 warns (maybe-uninitialized) on copying an empty
// lambda into boost::function.
void refuse_empty_db(const std::string& v) {
  if (v.empty()) {
    throw std::invalid_argument("--db: empty; give a database file or a postgresql:// URL");
  }
}

}  // namespace

boost::program_options::typed_value<std::string>* db_value(std::string* db) {
  return boost::program_options::value(db)->value_name("PATH|URL")->notifier(&refuse_empty_db);
}

std::string shown_db(const std::string& db) {
  return displayable_db(db);
}

std::vector<std::string> args_for_record(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  out.reserve(args.size());
  for (const std::string& a : args) {
    // Any argument that is a server URL, given alone or as --db=URL.
    const size_t eq = a.starts_with("--") ? a.find('=') : std::string::npos;
    if (eq != std::string::npos && is_server_url(a.substr(eq + 1))) {
      out.push_back(a.substr(0, eq + 1) + displayable_db(a.substr(eq + 1)));
    } else {
      out.push_back(is_server_url(a) ? displayable_db(a) : a);
    }
  }
  return out;
}

std::string default_db_hint(const std::string& db) {
  const char* env = std::getenv("FEDTRIAGE_DB");
  if (db != kBuiltinDb || (env != nullptr && *env != '\0')) return "";
  return "\n  (no --db given: fedtriage looked for fedtriage.db in this folder; give --db PATH, or "
         "set FEDTRIAGE_DB)";
}

}  // namespace fedtriage::cli
