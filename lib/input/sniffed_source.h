// A byte source whose first bytes are read ahead, to look at (archive magic, a UTF-16 byte
// order mark), and then handed out again: the reader downstream sees the whole stream.
#pragma once

#include <string>
#include <string_view>

#include "lib/input/byte_source.h"

namespace fedtriage {

class SniffedSource : public ByteSource {
 public:
  // Reads up to `head_bytes` of `inner` now (fewer at its end or on a read failure).
  SniffedSource(ByteSource& inner, size_t head_bytes);

  std::string_view head() const { return head_; }
  bool failed() const { return failed_; }  // the inner source failed (while sniffing or later)

  ssize_t read(char* buf, size_t n) override;
  const std::string& error() const override { return inner_.error(); }

 private:
  ByteSource& inner_;
  std::string head_;
  size_t pos_ = 0;
  bool inner_done_ = false;
  bool failed_ = false;
};

}  // namespace fedtriage
