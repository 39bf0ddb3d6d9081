#include "lib/input/sniffed_source.h"

#include <algorithm>
#include <cstring>

namespace fedtriage {

SniffedSource::SniffedSource(ByteSource& inner, size_t head_bytes) : inner_(inner) {
  head_.resize(head_bytes);
  size_t got = 0;
  while (got < head_.size()) {
    const ssize_t r = inner_.read(head_.data() + got, head_.size() - got);
    if (r < 0) failed_ = true;
    if (r <= 0) {
      inner_done_ = true;
      break;
    }
    got += static_cast<size_t>(r);
  }
  head_.resize(got);
}

ssize_t SniffedSource::read(char* buf, size_t n) {
  if (pos_ < head_.size()) {
    const size_t k = std::min(n, head_.size() - pos_);
    std::memcpy(buf, head_.data() + pos_, k);
    pos_ += k;
    return static_cast<ssize_t>(k);
  }
  if (inner_done_) return failed_ ? -1 : 0;
  const ssize_t r = inner_.read(buf, n);
  if (r <= 0) inner_done_ = true;
  if (r < 0) failed_ = true;
  return r;
}

}  // namespace fedtriage
