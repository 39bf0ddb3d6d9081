// Batch runs: which case each top-level PATH becomes, and which files on disk it is read
// from. Each file is what a batch run hashes to skip content already stored.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fedtriage {

// A file on disk (or stdin, path "-") that a case is read from.
struct SourceFile {
  std::string path;  // as the input walker names it: the PATH, or PATH/sub/file
  uint64_t bytes = 0;
};

struct PlannedCase {
  std::string name;       // unique (case_naming.h)
  std::string base_name;  // before it was made unique: case_name_from(first PATH) or --case
  // The bundle's full path (folder or archive, or the first loose file), its identity in the
  // database; "" when the user named the case (--case) or it is read from stdin.
  std::string origin;
  std::vector<std::string> paths;  // the top-level PATHs given on the command line
  std::vector<SourceFile> files;   // every file they hold, in walk order
  std::vector<size_t> path_index;  // per file: which of `paths` it was found in
  uint64_t bytes = 0;              // total of files[].bytes
};

// "customer/diagnostic_log_vcse.tar.gz" -> "diagnostic_log_vcse"; "-" -> "stdin".
std::string case_name_from(const std::string& path);

// Loose log files (regular files that are not archives) given together form one case, named
// after the first of them: they are the pieces of one incident. Otherwise one case per PATH
// named by case_name_from, made unique within the batch by settle_case_names (two bundles of
// one base name become "input" and "customerB/input": two customers' logs never mix), or all
// PATHs in one case when `single_case` is not empty. Folders are listed recursively in byte-wise
// sorted order, following symbolic links, each file once (as the input walker reads them). Paths
// that cannot be listed or stat'ed are kept as they are with 0 bytes: reading them reports why.
std::vector<PlannedCase> plan_cases(const std::vector<std::string>& paths,
                                    const std::string& single_case);

}  // namespace fedtriage
