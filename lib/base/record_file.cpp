#include "lib/base/record_file.h"

#include <cerrno>
#include <cstring>

#include <unistd.h>

#include "lib/base/temp_file.h"

namespace fedtriage {

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

// Reads through the descriptor (pread), so that appending through the stream can go on.
bool RecordFile::read_at(uint64_t at, std::string* record, uint64_t* next, std::string* why) const {
  auto fail = [&](const char* what) {
    if (why) *why = what;
    return false;
  };
  const int fd = fileno(file_);
  uint64_t size = 0;
  if (::pread(fd, &size, sizeof size, static_cast<off_t>(at)) !=
      static_cast<ssize_t>(sizeof size)) {
    return fail("short read");
  }
  record->resize(size);
  if (::pread(fd, record->data(), size, static_cast<off_t>(at + sizeof size)) !=
      static_cast<ssize_t>(size)) {
    return fail("short read");
  }
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
  std::string record;
  uint64_t at = 0;
  for (size_t i = 0; i < count_; ++i) {
    if (!read_at(at, &record, &at, why)) return false;
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
  if (!read_at(take_at_, record, &take_at_, why)) return false;
  ++taken_;
  return true;
}

}  // namespace fedtriage
