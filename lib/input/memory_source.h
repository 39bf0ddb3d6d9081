// A ByteSource over bytes already in memory (tests, fuzzing, small synthesised inputs).
#pragma once

#include <string>
#include <string_view>

#include "lib/input/byte_source.h"

namespace fedtriage {

class MemorySource : public ByteSource {
 public:
  // data must outlive the source. max_chunk > 0 caps each read (tests of chunk boundaries).
  explicit MemorySource(std::string_view data, size_t max_chunk = 0);

  ssize_t read(char* buf, size_t n) override;
  const std::string& error() const override { return error_; }

 private:
  std::string_view data_;
  size_t max_chunk_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace fedtriage
