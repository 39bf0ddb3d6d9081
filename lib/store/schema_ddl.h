// The store's tables as one SQL text for every SQL back end, with the few words the dialects
// spell differently left as placeholders that each back end fills from its `SqlDialect`. One
// text keeps the back ends' schemas the same column for column; docs/schema.md describes
// every table (keep the two in step).
#pragma once

#include <string>
#include <vector>

namespace fedtriage::schema_ddl {

// How a back end spells what SQL leaves open.
struct SqlDialect {
  const char* id;           // a row id the database assigns: INTEGER PRIMARY KEY, an identity
  const char* integer;      // every other integer column (64 bits)
  const char* json;         // a column holding JSON text
  const char* blob;         // bytes
  const char* keyed_table;  // options of a table stored by its primary key (" WITHOUT ROWID")
  const char* add_column;   // ALTER TABLE ... ADD COLUMN, idempotent where the dialect can
};

// The schema version this build writes. Bump it with a new step at the end of migrations().
inline constexpr int kVersion = 7;

// migrations(d)[v] takes a database from version v to v + 1 (version 0: no tables yet), as
// SQL statements separated by semicolons, in dialect `d`.
std::vector<std::string> migrations(const SqlDialect& d);

}  // namespace fedtriage::schema_ddl
