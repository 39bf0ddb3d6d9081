// The files on disk each case was read from, by content hash (table source_files, schema
// version 2): a batch run skips a file whose content is already stored, so re-running on a
// growing folder reads only what is new.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fedtriage {

// A top-level archive or loose file, or one file inside a top-level folder.
struct SourceRecord {
  std::string name;    // its path as given (folder files: FOLDER/sub/file)
  std::string sha256;  // of the file's bytes as on disk (not decompressed), lower-case hex
  uint64_t bytes = 0;
};

}  // namespace fedtriage

namespace fedtriage::sql {
class Db;
}

namespace fedtriage::store_sources {

// Schema step 1 -> 2: the source_files table.
extern const char* const kMigrationV2;

// Inside the case write's transaction: remembers `sources` as read into case `case_id`.
void write(sql::Db& db, int64_t case_id, const std::vector<SourceRecord>& sources,
           std::optional<int64_t> run_id, const std::string& now_iso);

// True when a source file with this content is stored in that case ("": in any case).
bool has(sql::Db& db, const std::string& sha256, const std::string& case_name);

}  // namespace fedtriage::store_sources
