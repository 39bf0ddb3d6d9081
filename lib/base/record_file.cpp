#include "lib/base/record_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <unistd.h>

#include "lib/base/temp_file.h"

namespace fedtriage {

// Reads the file forward in blocks through the descriptor (pread), so that appending through
// the stream can go on: records are read back in order, and two system calls a record cost
// more than the records (bench/README.md).
struct RecordFile::ReadAhead {
  static constexpr size_t kBlock = 256 * 1024;
  std::string block;
  uint64_t block_at = 0;  // file offset of block[0]

  // `n` bytes at `at`, from the block, read again from `at` when it does not hold them.
  bool view(int fd, uint64_t at, size_t n, const char** out) {
    if (at < block_at || at + n > block_at + block.size()) {
      block.resize(std::max(n, kBlock));
      size_t got = 0;
      while (got < block.size()) {
        const ssize_t r =
            ::pread(fd, block.data() + got, block.size() - got, static_cast<off_t>(at + got));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += static_cast<size_t>(r);
      }
      block.resize(got);
      block_at = at;
      if (got < n) return false;
    }
    *out = block.data() + (at - block_at);
    return true;
  }
};

RecordFile::RecordFile(Keep keep) {
  if (keep == Keep::kInMemory) return;
  const int fd = open_temporary_file(nullptr);
  if (fd >= 0 && (file_ = ::fdopen(fd, "w+")) == nullptr) ::close(fd);
}

RecordFile::~RecordFile() {
  if (file_) std::fclose(file_);
}

bool RecordFile::append(std::string_view record, std::string* why) {
  ++count_;
  if (!file_) {
    memory_.emplace_back(record);
    return true;
  }
  const uint64_t size = record.size();
  if (std::fwrite(&size, sizeof size, 1, file_) != 1 ||
      std::fwrite(record.data(), 1, record.size(), file_) != record.size()) {
    if (why) *why = std::strerror(errno);
    return false;
  }
  return true;
}

bool RecordFile::read_at(ReadAhead& ahead, uint64_t at, std::string_view* record, uint64_t* next,
                         std::string* why) const {
  auto fail = [&](const char* what) {
    if (why) *why = what;
    return false;
  };
  const int fd = fileno(file_);
  const char* p = nullptr;
  uint64_t size = 0;
  if (!ahead.view(fd, at, sizeof size, &p)) return fail("short read");
  std::memcpy(&size, p, sizeof size);
  if (size > (uint64_t{1} << 40) || !ahead.view(fd, at + sizeof size, size, &p)) {
    return fail("short read");
  }
  *record = std::string_view(p, size);
  *next = at + sizeof size + size;
  return true;
}

bool RecordFile::for_each(const std::function<void(std::string_view)>& fn, std::string* why) const {
  if (!file_) {
    for (const std::string& record : memory_) fn(record);
    return true;
  }
  if (std::fflush(file_) != 0) {
    if (why) *why = std::strerror(errno);
    return false;
  }
  ReadAhead ahead;
  std::string_view record;
  uint64_t at = 0;
  for (size_t i = 0; i < count_; ++i) {
    if (!read_at(ahead, at, &record, &at, why)) return false;
    fn(record);
  }
  return true;
}

bool RecordFile::take(std::string* record, std::string* why) {
  if (taken_ == count_) return false;
  if (!file_) {
    std::string& kept = memory_[taken_++];
    record->swap(kept);
    std::string().swap(kept);  // taken once: memory goes down as records are taken
    return true;
  }
  if (std::fflush(file_) != 0) {  // cheap when nothing waits in the buffer
    if (why) *why = std::strerror(errno);
    return false;
  }
  if (!take_ahead_) take_ahead_ = std::make_unique<ReadAhead>();
  std::string_view taken;
  if (!read_at(*take_ahead_, take_at_, &taken, &take_at_, why)) return false;
  record->assign(taken);
  ++taken_;
  return true;
}

}  // namespace fedtriage
