// Length-prefixed records for the temporary files one process writes and reads back (call
// archive, plan spool): varints, zigzag integers and strings. Reading is bounds-checked and the
// first failure is sticky, so a decoder runs to its end and tests the result once. The event
// spool keeps its own faster reader (lib/spool/event_codec.cpp) for its per-event hot path.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "lib/base/varint.h"

namespace fedtriage {

class RecordWriter {
 public:
  explicit RecordWriter(std::string& out) : out_(out) {}
  void u64(uint64_t v) { append_varint(out_, v); }
  void i64(int64_t v) { u64(zigzag(v)); }
  void str(std::string_view s) {
    u64(s.size());
    out_ += s;
  }

 private:
  std::string& out_;
};

class RecordReader {
 public:
  explicit RecordReader(std::string_view in) : p_(in.data()), end_(in.data() + in.size()) {}
  uint64_t u64() {
    uint64_t v = 0;
    if (!ok_ || !read_varint(p_, end_, &v)) {
      ok_ = false;
      return 0;
    }
    return v;
  }
  int64_t i64() { return unzigzag(u64()); }
  std::string str() {
    const uint64_t n = u64();
    if (!ok_ || n > static_cast<uint64_t>(end_ - p_)) {
      ok_ = false;
      return {};
    }
    std::string s(p_, n);
    p_ += n;
    return s;
  }
  // Nothing failed so far (loops stop on a damaged count).
  bool good() const { return ok_; }
  // Everything read, nothing left over.
  bool done() const { return ok_ && p_ == end_; }

 private:
  const char* p_;
  const char* end_;
  bool ok_ = true;
};

}  // namespace fedtriage
