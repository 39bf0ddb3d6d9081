// The SQLite file: telling ours from other files, creating or migrating its tables
// (lib/store/schema_ddl.h) and the connection's pragmas.
#pragma once

#include <string>

#include "lib/store/schema_ddl.h"
#include "lib/store/sqlite/sqlite_db.h"

namespace fedtriage::store_schema {

// The version this build writes (the tables and their migrations: lib/store/schema_ddl.h).
inline constexpr int kVersion = schema_ddl::kVersion;

// PRAGMA application_id of a fedtriage database ("FdTr"): tells ours from other SQLite files.
inline constexpr int kApplicationId = 0x46645472;

// Identifies the file, then creates or migrates the schema, and sets the connection pragmas.
// Throws sql::Error with a message meant for the user: "not an SQLite database", "an SQLite
// database of another application", "schema version N is newer than this fedtriage's M".
// With `read_only`, changes nothing: an older schema is refused rather than migrated.
void prepare(sql::Db& db, const std::string& path, int busy_timeout_ms, bool read_only);

// Version recorded in meta, 0 when the database has no fedtriage schema yet.
int stored_version(sql::Db& db);

}  // namespace fedtriage::store_schema
