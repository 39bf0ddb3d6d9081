#include "lib/input/file_source.h"

#include <algorithm>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "lib/base/sys_error.h"

namespace fedtriage {
namespace {

constexpr size_t kReadSize = 256 * 1024;

}  // namespace

std::unique_ptr<FileSource> FileSource::open(const std::string& path, std::string* error) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    if (error != nullptr) *error = sys_error_message(errno);
    return nullptr;
  }
  return std::make_unique<FileSource>(fd, true);
}

FileSource::FileSource(int fd, bool owns_fd) : fd_(fd), owns_fd_(owns_fd) {
  // Only a hint: fails harmlessly (ESPIPE) on pipes and terminals.
  (void)posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
}

FileSource::~FileSource() {
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
}

ssize_t FileSource::read(char* buf, size_t n) {
  if (!error_.empty()) return -1;
  if (n == 0) return 0;
  if (buf_pos_ == buf_end_ && n >= kReadSize) {
    // Large reads go straight into the caller's buffer: no copy.
    ssize_t r;
    do {
      r = ::read(fd_, buf, n);
    } while (r < 0 && errno == EINTR);
    if (r < 0) error_ = "read error: " + sys_error_message(errno);
    return r < 0 ? -1 : r;
  }
  if (buf_pos_ == buf_end_) {
    if (!buf_) buf_ = std::make_unique_for_overwrite<char[]>(kReadSize);
    ssize_t r;
    do {
      r = ::read(fd_, buf_.get(), kReadSize);
    } while (r < 0 && errno == EINTR);
    if (r < 0) {
      error_ = "read error: " + sys_error_message(errno);
      return -1;
    }
    buf_pos_ = 0;
    buf_end_ = static_cast<size_t>(r);
    if (r == 0) return 0;
  }
  size_t k = std::min(n, buf_end_ - buf_pos_);
  memcpy(buf, buf_.get() + buf_pos_, k);
  buf_pos_ += k;
  return static_cast<ssize_t>(k);
}

}  // namespace fedtriage
