#include "lib/store/open_store.h"

#include <string_view>

#include "lib/store/sqlite/sqlite_store.h"

namespace fedtriage {

bool is_server_url(const std::string& db) {
  std::string_view v(db);
  return v.starts_with("postgresql://") || v.starts_with("postgres://");
}

std::string displayable_db(const std::string& db) {
  if (!is_server_url(db)) return db;
  // scheme://user:password@host...: drop ":password" from the authority.
  const size_t authority = db.find("://") + 3;
  size_t end = db.find_first_of("/?#", authority);
  if (end == std::string::npos) end = db.size();
  const size_t at = db.rfind('@', end);
  if (at == std::string::npos || at < authority) return db;
  const size_t colon = db.find(':', authority);
  if (colon == std::string::npos || colon > at) return db;
  return db.substr(0, colon) + db.substr(at);
}

std::unique_ptr<Store> open_store(const std::string& db, const StoreOptions& options,
                                  std::string* error) {
  if (is_server_url(db)) {
    if (error) {
      *error = "cannot open " + displayable_db(db) +
               ": this build of fedtriage has no PostgreSQL support";
    }
    return nullptr;
  }
  return open_sqlite_store(db, options, error);
}

std::unique_ptr<Store> open_store(const std::string& db, std::string* error) {
  return open_store(db, StoreOptions{}, error);
}

}  // namespace fedtriage
