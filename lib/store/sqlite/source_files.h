// The source_files table (schema version 2) in SQLite: which files on disk each case was read
// from, by content hash. Private to lib/store/sqlite.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lib/store/source_files.h"

namespace fedtriage::sql {
class Db;
}

namespace fedtriage::store_sources {

// Inside the case write's transaction: remembers `sources` as read into case `case_id`.
void write(sql::Db& db, int64_t case_id, const std::vector<SourceRecord>& sources,
           std::optional<int64_t> run_id, const std::string& now_iso);

// True when a source file with this content is stored in that case ("": in any case).
bool has(sql::Db& db, const std::string& sha256, const std::string& case_name);

// The distinct sizes of the source files stored, ascending.
std::vector<uint64_t> sizes(sql::Db& db);

}  // namespace fedtriage::store_sources
