// The sketches of one input while it is parsed, in blocks instead of one array: when a read's
// sketches are put together, each block is freed as soon as it is copied, so a large file's
// sketches are never held twice (once in its leaf, once in the read).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <new>
#include <type_traits>

#include "lib/base/huge_pages.h"
#include "lib/correlate/event_sketch.h"

namespace fedtriage {

class SketchChunks {
 public:
  // A full block is three whole huge pages (lib/base/huge_pages.h), 78 643 sketches, and so is
  // every block of 2 MiB and more: a large file's sketches are faulted in 2 MiB at a time, and
  // a block freed goes back to the system at once (it is above the mmap threshold main() sets).
  // Blocks grow to it from a small first one: a small file holds little slack.
  static constexpr size_t kHugePagesPerBlock = 3;
  static constexpr size_t kMaxBlock = kHugePagesPerBlock * kHugePageBytes / sizeof(EventSketch);
  static_assert(std::is_trivially_copyable_v<EventSketch>, "blocks are raw memory");

  void push_back(const EventSketch& s) {
    if (blocks_.empty() || blocks_.back().size == blocks_.back().capacity) {
      blocks_.push_back(make_block(std::clamp<size_t>(size_, 256, kMaxBlock)));
    }
    Block& b = blocks_.back();
    b.data.get()[b.size++] = s;
    ++size_;
  }
  size_t size() const { return size_; }
  // Frees the unused end of the last block (the input is read to its end).
  void shrink() {
    if (blocks_.empty() || blocks_.back().size == blocks_.back().capacity) return;
    Block& b = blocks_.back();
    Block exact = make_block(b.size);
    if (exact.capacity == b.capacity) return;  // as many whole huge pages: nothing to free
    std::memcpy(exact.data.get(), b.data.get(), b.size * sizeof(EventSketch));
    exact.size = b.size;
    b = std::move(exact);
  }
  // Hands every sketch to `fn(const EventSketch&)` in order, freeing each block once it is
  // handed over. Empty afterwards.
  template <class Fn>
  void drain(Fn&& fn) {
    while (!blocks_.empty()) {
      const Block& b = blocks_.front();
      for (size_t i = 0; i < b.size; ++i) fn(b.data.get()[i]);
      blocks_.pop_front();
    }
    size_ = 0;
  }

 private:
  struct Free {
    void operator()(EventSketch* p) const { std::free(p); }
  };
  struct Block {
    std::unique_ptr<EventSketch, Free> data;
    size_t size = 0;
    size_t capacity = 0;
  };

  // At least `wanted` sketches; from 2 MiB on, whole huge pages (the capacity rounded up to
  // fill them), below that malloc.
  static Block make_block(size_t wanted) {
    Block b;
    void* p = nullptr;
    const size_t bytes = std::max<size_t>(wanted, 1) * sizeof(EventSketch);
    if (bytes >= kHugePageBytes) {
      const size_t pages = (bytes + kHugePageBytes - 1) / kHugePageBytes;
      p = allocate_huge_pages(pages);
      b.capacity = pages * kHugePageBytes / sizeof(EventSketch);
    } else {
      p = std::malloc(bytes);
      b.capacity = std::max<size_t>(wanted, 1);
    }
    if (p == nullptr) throw std::bad_alloc();
    b.data.reset(static_cast<EventSketch*>(p));
    return b;
  }

  std::deque<Block> blocks_;
  size_t size_ = 0;
};

}  // namespace fedtriage
