// An archive being written with libarchive: the same container type as the one read (tar,
// zip, cpio, 7-Zip, a lone compressed stream) with the same compression filters. Members are
// added whole from a file descriptor, since tar headers need the size first.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct archive;

namespace fedtriage::redact {

class ArchiveOutput {
 public:
  // Writes to fd (not owned). `filters` and `format` are libarchive codes as the walker
  // reported them. Formats that cannot be written (RAR, CAB, ISO, ...) become POSIX tar with
  // the same filters; *note then says so. Returns nullptr with *why on failure.
  static std::unique_ptr<ArchiveOutput> open(int fd, const std::vector<int>& filters, int format,
                                             std::string* note, std::string* why);
  ~ArchiveOutput();
  ArchiveOutput(const ArchiveOutput&) = delete;
  ArchiveOutput& operator=(const ArchiveOutput&) = delete;

  // Adds a regular file `name` with the bytes of data_fd from offset 0 to its end.
  bool add_file(const std::string& name, int data_fd, std::string* why);
  // Finishes the archive (trailers, compressor flush). Returns false with *why on failure.
  bool close(std::string* why);

 private:
  explicit ArchiveOutput(struct archive* a) : a_(a) {}
  struct archive* a_;
  bool closed_ = false;
};

}  // namespace fedtriage::redact
