#include "lib/store/open_store.h"

#include <filesystem>
#include <optional>
#include <string_view>

#include "lib/store/postgresql/pg_store.h"
#include "lib/store/sqlite/sqlite_store.h"

namespace fedtriage {

bool is_server_url(const std::string& db) {
  std::string_view v(db);
  return v.starts_with("postgresql://") || v.starts_with("postgres://");
}

namespace {

// Drops "password=..." from a URL's query (libpq takes the password there too).
std::string without_password_parameter(const std::string& url) {
  const size_t query = url.find('?');
  if (query == std::string::npos) return url;
  std::string out = url.substr(0, query);
  char sep = '?';
  size_t start = query + 1;
  while (start <= url.size()) {
    size_t end = url.find('&', start);
    if (end == std::string::npos) end = url.size();
    const std::string_view param(url.data() + start, end - start);
    if (!param.empty() && !param.starts_with("password=") && param != "password") {
      out += sep;
      out += param;
      sep = '&';
    }
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string displayable_db(const std::string& db) {
  if (!is_server_url(db)) return db;
  const std::string url = without_password_parameter(db);
  // scheme://user:password@host...: drop ":password" from the authority.
  const size_t authority = url.find("://") + 3;
  size_t end = url.find_first_of("/?#", authority);
  if (end == std::string::npos) end = url.size();
  const size_t at = url.rfind('@', end);
  if (at == std::string::npos || at < authority) return url;
  const size_t colon = url.find(':', authority);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + url.substr(at);
}

std::unique_ptr<Store> open_store(const std::string& db, const StoreOptions& options,
                                  std::string* error) {
  if (is_server_url(db)) return open_pg_store(db, options, error);
  return open_sqlite_store(db, options, error);
}

bool describe_store(const std::string& db, std::string* report, std::string* error) {
  if (is_server_url(db)) return pg_status(db, report, error);
  std::error_code ec;
  if (!std::filesystem::exists(db, ec)) {
    *report = "database: " + db +
              "\nschema: none yet (no such file; `fedtriage db init` or the "
              "first analyze creates it)\n";
    return true;
  }
  StoreOptions options;
  options.create = false;
  std::unique_ptr<Store> store = open_store(db, options, error);
  if (!store) return false;
  const std::optional<StoreSummary> s = store->summary("", error);
  if (!s) return false;
  *report = "database: " + db + "\nschema: fedtriage version " +
            std::to_string(Store::schema_version()) +
            " (this build: " + std::to_string(Store::schema_version()) +
            ")\nrows: " + std::to_string(s->cases) + " cases, " + std::to_string(s->inputs) +
            " inputs, " + std::to_string(s->events) + " events, " + std::to_string(s->calls) +
            " calls, " + std::to_string(s->findings) + " findings\n";
  return true;
}

std::unique_ptr<Store> open_store(const std::string& db, std::string* error) {
  return open_store(db, StoreOptions{}, error);
}

}  // namespace fedtriage
