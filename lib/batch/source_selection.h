// Which files of a case a batch run reads: content already stored (or claimed by another case
// of the same run) is skipped, the rest is read and remembered with the case.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "lib/batch/case_plan.h"
#include "lib/core/input_record.h"
#include "lib/store/source_files.h"

namespace fedtriage {

// SHA-256 of a file's bytes, lower-case hex; "" with `*error` set when it cannot be read.
std::string hash_file(const std::string& path, std::string* error);

struct CaseSelection {
  // What to hand to analyze(): a PATH itself when every file in it is new (the walker then
  // reads it exactly as a single run would), else only its new files.
  std::vector<std::string> read_paths;
  std::vector<SourceRecord> sources;  // new files with their hashes, to store with the case
  std::vector<std::string> skipped;   // files whose content is already stored
  uint64_t read_bytes = 0;
  uint64_t skipped_bytes = 0;
  bool nothing_new() const { return read_paths.empty(); }
};

// `hashes[i]` is the hash of `c.files[i]` ("" when unknown: stdin, unreadable; always read).
// `known(sha256, in_folder)` tells whether that content is already stored or taken; `in_folder`
// when the file was found inside a folder PATH rather than given itself. A file with
// `hash_later[i]` set (none when it is empty) cannot be stored yet (no stored file and no other
// file of the run has its size): it is new, and a source whose hash is filled in as it is read
// (fill_source_hashes).
CaseSelection select_new_files(const PlannedCase& c, const std::vector<std::string>& hashes,
                               const std::function<bool(const std::string&, bool)>& known,
                               const std::vector<bool>& hash_later = {});

// Sources whose hash was left for reading time: each takes the hash of the input read from it
// whole (a plain file is one input of the same name and size); the others (an archive, a
// compressed file, one skipped unread) are hashed now. A source that cannot be read then goes.
void fill_source_hashes(std::vector<SourceRecord>& sources, const std::vector<InputRecord>& inputs);

}  // namespace fedtriage
