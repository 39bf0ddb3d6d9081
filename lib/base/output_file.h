// The one way fedtriage writes a file the user named (`report -o`, `analyze --html`, the
// redaction map): "-" is standard output; a symbolic link is written through to its target; a
// FIFO or character device is streamed into directly; anything else that is not a regular file
// (directory, block device, socket) is refused. A regular file is written to an unnamed
// temporary file beside it and put in place only by commit(), so a reader never sees half a
// file and an interruption leaves nothing behind.
#pragma once

#include <sys/types.h>

#include <memory>
#include <ostream>
#include <string>

namespace fedtriage {

class OutputFile {
 public:
  OutputFile();
  ~OutputFile();  // without commit(): the temporary file is dropped, the target left as it was
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // False with `*why` naming the file and the cause. `mode` is for a new file (umask applies);
  // an existing regular file keeps its own.
  bool open(const std::string& path, std::string* why, mode_t mode = 0666);

  std::ostream& stream();

  // Flushes, checks every write, and puts a regular file in place. False with `*why` naming
  // the file and the first error (e.g. "No space left on device").
  bool commit(std::string* why);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// For a signal handler (async-signal-safe): removes the named temporary file an OutputFile may
// be holding on a file system without O_TMPFILE. Does nothing otherwise.
void remove_pending_output_file();

}  // namespace fedtriage
