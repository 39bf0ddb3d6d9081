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
