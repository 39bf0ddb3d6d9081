// The PostgreSQL schema: the tables of docs/schema.md with PostgreSQL types, its version and
// the migrations between versions, in the connection's current schema (search_path; usually
// `public`). Private to lib/store/postgresql.
#pragma once

#include <string>

#include "lib/store/postgresql/pg_connection.h"

namespace fedtriage::pg_schema {

// meta.application of a fedtriage database: tells its tables from another application's.
inline constexpr const char* kApplication = "fedtriage";

struct Status {
  bool has_schema = false;   // the marker is there
  int version = 0;           // meta.schema_version (0 without a schema)
  bool foreign = false;      // tables without our marker
  int64_t other_tables = 0;  // tables in the schema, ours aside
  std::string schema;        // current_schema()
};

// Looks without changing anything.
Status inspect(pg::Connection& db);

// Identifies the database, then creates or migrates the schema (one transaction, under an
// advisory lock so that workers starting together create it once). Throws pg::Error with a
// message for the user: another application's tables, a newer schema, no permission.
// With create false a database without our schema is refused rather than set up.
// With `read_only` nothing is changed: an older schema is refused rather than migrated.
void prepare(pg::Connection& db, bool create, bool read_only);

}  // namespace fedtriage::pg_schema
