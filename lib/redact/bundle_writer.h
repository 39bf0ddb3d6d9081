// Writes the redacted copy of inputs into an output folder with the same layout: folders as
// folders, archives re-packed as the same type (nested ones inside their parent), file and
// member names redacted, every file redacted line by line as it streams by. Data is buffered
// only in files inside the output folder (anonymous where the system allows), never elsewhere.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "lib/core/problem.h"
#include "lib/input/leaf_handler.h"
#include "lib/input/walk_options.h"
#include "lib/redact/pem_redactor.h"
#include "lib/redact/text_redactor.h"

namespace fedtriage::redact {

struct RedactStats {
  uint64_t files = 0;     // leaves written (archive members included)
  uint64_t archives = 0;  // archives re-packed (nested ones included)
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
};

class BundleWriter : private LeafHandler {
 public:
  // out_dir must exist. Problems (unreadable inputs, write failures) go to `problems`.
  BundleWriter(TextRedactor& text, std::string out_dir, ProblemSink& problems);
  ~BundleWriter() override;

  // One command-line input (file, folder or "-"): written as out_dir/<redacted base name>.
  void redact_input(const std::string& path, const WalkOptions& options);

  const RedactStats& stats() const { return stats_; }

 private:
  struct Frame;

  void on_leaf(const std::string& display_name, ByteSource& source) override;
  void on_archive_begin(const std::string& display_name, const std::vector<int>& filters,
                        int format) override;
  void on_archive_end(const std::string& display_name) override;

  // Where a top-level item (not inside an archive) of the current input goes.
  std::string top_level_path(const std::string& display_name);
  // Streams source through the log redactor into fd; false on a write failure.
  bool redact_stream(ByteSource& source, int fd, const std::string& display_name);
  int open_scratch(std::string* path);
  void place(const std::string& scratch, const std::string& final_path,
             const std::string& display_name);
  void report(Problem::Severity severity, const std::string& file, std::string message);

  TextRedactor& text_;
  PemRedactor pem_;  // shared by every file: a CA and its server certificate stay a chain
  std::string out_dir_;
  ProblemSink& problems_;
  std::string input_;       // display name of the input being written
  std::string input_root_;  // its redacted name under out_dir
  std::set<std::string> used_roots_;
  std::vector<std::unique_ptr<Frame>> frames_;
  uint64_t scratch_counter_ = 0;
  RedactStats stats_;
};

}  // namespace fedtriage::redact
