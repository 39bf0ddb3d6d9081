// A ByteSource over a file descriptor: a file on disk, stdin or a pipe.
#pragma once

#include <memory>
#include <string>

#include "lib/input/byte_source.h"

namespace fedtriage {

class FileSource : public ByteSource {
 public:
  // Opens path read-only. On failure returns nullptr and sets *error (e.g. "Permission denied").
  static std::unique_ptr<FileSource> open(const std::string& path, std::string* error);

  // Reads an already open descriptor (e.g. STDIN_FILENO); closes it at the end iff owns_fd.
  FileSource(int fd, bool owns_fd);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  ssize_t read(char* buf, size_t n) override;
  const std::string& error() const override { return error_; }
  int fd() const { return fd_; }

 private:
  int fd_;
  bool owns_fd_;
  std::string error_;
  // Small reads are served from one large read so that the kernel is asked for big blocks.
  std::unique_ptr<char[]> buf_;
  size_t buf_pos_ = 0;
  size_t buf_end_ = 0;
};

}  // namespace fedtriage
