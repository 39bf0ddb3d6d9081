// The PostgreSQL Store: a team's shared database server. Opened by open_store() for
// postgresql:// and postgres:// URLs. Private to lib/store.
#pragma once

#include <memory>
#include <string>

#include "lib/store/store.h"

namespace fedtriage {

// Connects (libpq: the URL, then PGHOST, PGPASSWORD, ~/.pgpass, PGSSLMODE, ...), identifies the
// database and creates or migrates its schema (options.create false: refuses one without a
// fedtriage schema). nullptr with `*error` naming the server, never the password.
std::unique_ptr<Store> open_pg_store(const std::string& url, const StoreOptions& options,
                                     std::string* error);

// `fedtriage db status`: what the database holds, without changing it. Lines of text; false
// with `*error` when the server cannot be reached.
bool pg_status(const std::string& url, std::string* report, std::string* error);

}  // namespace fedtriage
