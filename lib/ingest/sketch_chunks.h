// The sketches of one input while it is parsed, in blocks instead of one array: when a read's
// sketches are put together, each block is freed as soon as it is copied, so a large file's
// sketches are never held twice (once in its leaf, once in the read).
#pragma once

#include <algorithm>
#include <cstddef>
#include <deque>
#include <vector>

#include "lib/correlate/event_sketch.h"

namespace fedtriage {

class SketchChunks {
 public:
  // 1.4 MB: above the mmap threshold main() sets, so a block freed goes back to the system at
  // once. Blocks grow to it from a small first one: a small file holds little slack.
  static constexpr size_t kMaxBlock = 16384;

  void push_back(const EventSketch& s) {
    if (blocks_.empty() || blocks_.back().size() == blocks_.back().capacity()) {
      blocks_.emplace_back().reserve(std::clamp<size_t>(size_, 256, kMaxBlock));
    }
    blocks_.back().push_back(s);
    ++size_;
  }
  size_t size() const { return size_; }
  // Frees the unused end of the last block (the input is read to its end).
  void shrink() {
    if (!blocks_.empty()) blocks_.back().shrink_to_fit();
  }
  // Hands every sketch to `fn(const EventSketch&)` in order, freeing each block once it is
  // handed over. Empty afterwards.
  template <class Fn>
  void drain(Fn&& fn) {
    while (!blocks_.empty()) {
      for (const EventSketch& s : blocks_.front()) fn(s);
      blocks_.pop_front();
    }
    size_ = 0;
  }

 private:
  std::deque<std::vector<EventSketch>> blocks_;
  size_t size_ = 0;
};

}  // namespace fedtriage
