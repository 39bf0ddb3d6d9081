#include "lib/input/memory_source.h"

#include <algorithm>
#include <cstring>

namespace fedtriage {

MemorySource::MemorySource(std::string_view data, size_t max_chunk)
    : data_(data), max_chunk_(max_chunk) {}

ssize_t MemorySource::read(char* buf, size_t n) {
  size_t k = std::min(n, data_.size() - pos_);
  if (max_chunk_ > 0) k = std::min(k, max_chunk_);
  if (k > 0) std::memcpy(buf, data_.data() + pos_, k);
  pos_ += k;
  return static_cast<ssize_t>(k);
}

}  // namespace fedtriage
