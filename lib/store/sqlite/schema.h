// The store's SQL schema, its version and the migrations between versions. docs/schema.md
// describes every table; keep the two in step.
#pragma once

#include <string>

#include "lib/store/sqlite/sqlite_db.h"

namespace fedtriage::store_schema {

// Bump when the schema changes, and add the step from the previous version to kMigrations.
inline constexpr int kVersion = 7;

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
