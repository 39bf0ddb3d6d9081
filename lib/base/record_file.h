// Length-prefixed records appended to an anonymous temporary file in $TMPDIR (temp_file.h), or
// kept in memory when none can be made, and read back in the order added: what the analysis
// parks on disk between its steps (call plans, explained calls) so that memory holds counts,
// not records.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fedtriage {

class RecordFile {
 public:
  enum class Keep { kOnDisk, kInMemory };
  // On disk unless no temporary file can be made; kInMemory keeps every record in memory.
  explicit RecordFile(Keep keep = Keep::kOnDisk);
  ~RecordFile();
  RecordFile(const RecordFile&) = delete;
  RecordFile& operator=(const RecordFile&) = delete;

  // False with `*why` (the system's reason) when the file cannot be written (disk full).
  bool append(std::string_view record, std::string* why);
  size_t size() const { return count_; }

  // Every record from the first, in order; appending may go on afterwards. False with `*why`
  // on a read error.
  bool for_each(const std::function<void(std::string_view)>& fn, std::string* why) const;

  // The next record not yet taken (after the last append): `*record` set, true; false at the
  // end, or with `*why` set on a read error. A record kept in memory is freed once taken.
  bool take(std::string* record, std::string* why);

 private:
  struct ReadAhead;
  // The record at `at` (a view into `ahead`, valid until its next use).
  bool read_at(ReadAhead& ahead, uint64_t at, std::string_view* record, uint64_t* next,
               std::string* why) const;

  std::FILE* file_ = nullptr;
  std::vector<std::string> memory_;  // when there is no file
  size_t count_ = 0;
  size_t taken_ = 0;
  uint64_t take_at_ = 0;  // file offset of the next record to take
  std::unique_ptr<ReadAhead> take_ahead_;
};

}  // namespace fedtriage
