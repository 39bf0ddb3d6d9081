// A bounded hand-over of byte blocks from the thread that reads (and decompresses, and hashes)
// an input to the thread that parses it. Blocks come from a pool shared by every input of a
// read and go back to it, so a steady stream allocates nothing, not even per file (a fresh
// block costs a page fault per 4 KiB on first touch); at most `depth` blocks are in flight per
// input, so memory stays flat whatever the input size.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "lib/input/byte_source.h"

namespace fedtriage {

// Bytes that are always written before they are read. Mapped from the system directly (not
// zero-filled by us, and given back to it when freed, not kept by malloc: a pool's blocks
// freed at the end of a read must not stay in the process while the read is merged).
struct UnmapBytes {
  size_t bytes = 0;
  void operator()(char* p) const;
};
struct ByteBlock {
  std::unique_ptr<char, UnmapBytes> bytes;
  size_t size = 0;      // bytes filled
  size_t capacity = 0;  // bytes allocated
  char* data() { return bytes.get(); }
  const char* data() const { return bytes.get(); }
  static ByteBlock allocate(size_t capacity);  // throws std::bad_alloc
};

// Blocks of one size, kept for reuse up to `keep` (any thread may take and give).
class BlockPool {
 public:
  explicit BlockPool(size_t block_bytes = 256 << 10, size_t keep = 32)
      : block_bytes_(block_bytes), keep_(keep) {}
  ByteBlock take() {
    {
      std::lock_guard lock(mu_);
      if (!free_.empty()) {
        ByteBlock b = std::move(free_.back());
        free_.pop_back();
        b.size = 0;
        return b;
      }
    }
    return ByteBlock::allocate(block_bytes_);
  }
  void give(ByteBlock b) {
    if (!b.bytes || b.capacity != block_bytes_) return;
    std::lock_guard lock(mu_);
    if (free_.size() < keep_) free_.push_back(std::move(b));
  }
  // Frees the blocks kept (once reading is over: what comes next needs the memory more).
  void clear() {
    std::lock_guard lock(mu_);
    std::vector<ByteBlock>().swap(free_);
  }

 private:
  const size_t block_bytes_;
  const size_t keep_;
  std::mutex mu_;
  std::vector<ByteBlock> free_;
};

class BlockQueue {
 public:
  explicit BlockQueue(BlockPool& pool, size_t depth = 8) : pool_(pool), depth_(depth) {}
  ~BlockQueue() { release(); }

  // Producer: an empty block to fill, `capacity` bytes (waits while `depth` blocks are full
  // and unread).
  ByteBlock take_empty() {
    {
      std::unique_lock lock(mu_);
      room_.wait(lock, [&] { return full_.size() < depth_ || abandoned_; });
    }
    return pool_.take();
  }
  // Producer: hands over `b` (`b.size` is the byte count). False when the consumer stopped.
  bool put(ByteBlock b) {
    std::lock_guard lock(mu_);
    if (abandoned_) {
      pool_.give(std::move(b));
      return false;
    }
    full_.push_back(std::move(b));
    ready_.notify_one();
    return true;
  }
  void close(std::string error = {}) {
    std::lock_guard lock(mu_);
    closed_ = true;
    error_ = std::move(error);
    ready_.notify_one();
  }

  // Consumer: the next full block; false at the end (then error() says whether it failed).
  // `out`, when it holds a block, goes back to the pool first.
  bool take_full(ByteBlock& out) {
    pool_.give(std::move(out));
    out = ByteBlock();
    std::unique_lock lock(mu_);
    ready_.wait(lock, [&] { return !full_.empty() || closed_; });
    if (full_.empty()) return false;
    out = std::move(full_.front());
    full_.pop_front();
    room_.notify_one();
    return true;
  }
  // Consumer: stops reading; the producer's further puts are dropped.
  void abandon() {
    std::lock_guard lock(mu_);
    abandoned_ = true;
    for (ByteBlock& b : full_) pool_.give(std::move(b));
    full_.clear();
    room_.notify_all();
  }
  // Consumer, at the end: the unread blocks go back to the pool (a finished input waits for
  // the others without holding buffers).
  void release() {
    std::lock_guard lock(mu_);
    for (ByteBlock& b : full_) pool_.give(std::move(b));
    full_.clear();
  }
  // A block taken and no longer needed (a consumer's last one).
  void give_back(ByteBlock b) { pool_.give(std::move(b)); }
  bool abandoned() const {
    std::lock_guard lock(mu_);
    return abandoned_;
  }
  std::string error() const {
    std::lock_guard lock(mu_);
    return error_;
  }

 private:
  BlockPool& pool_;
  const size_t depth_;
  mutable std::mutex mu_;
  std::condition_variable ready_, room_;
  std::deque<ByteBlock> full_;
  bool closed_ = false;
  bool abandoned_ = false;
  std::string error_;
};

// The consumer's side of a BlockQueue as a ByteSource, for a LineReader.
class QueueSource : public ByteSource {
 public:
  explicit QueueSource(BlockQueue& q) : q_(q) {}
  ~QueueSource() override { q_.give_back(std::move(block_)); }
  ssize_t read(char* buf, size_t n) override {
    while (pos_ >= block_.size) {
      if (done_) return error_.empty() ? 0 : -1;
      if (!q_.take_full(block_)) {
        done_ = true;
        error_ = q_.error();
        pos_ = 0;
        return error_.empty() ? 0 : -1;
      }
      pos_ = 0;
    }
    const size_t k = std::min(n, block_.size - pos_);
    std::copy(block_.data() + pos_, block_.data() + pos_ + k, buf);
    pos_ += k;
    return static_cast<ssize_t>(k);
  }
  const std::string& error() const override { return error_; }

 private:
  BlockQueue& q_;
  ByteBlock block_;
  size_t pos_ = 0;
  bool done_ = false;
  std::string error_;
};

}  // namespace fedtriage
