// A bounded hand-over of byte blocks from the thread that reads (and decompresses, and hashes)
// an input to the thread that parses it. Blocks are recycled, so a steady stream allocates
// nothing; at most `depth` blocks are in flight, so memory stays flat whatever the input size.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "lib/input/byte_source.h"

namespace fedtriage {

class BlockQueue {
 public:
  explicit BlockQueue(size_t depth = 4, size_t block_bytes = 1 << 20)
      : depth_(depth), block_bytes_(block_bytes) {}

  size_t block_bytes() const { return block_bytes_; }

  // Producer: an empty block to fill (waits while `depth` blocks are full and unread).
  std::vector<char> take_empty() {
    std::unique_lock lock(mu_);
    room_.wait(lock, [&] { return full_.size() < depth_ || abandoned_; });
    std::vector<char> b;
    if (!free_.empty()) {
      b = std::move(free_.back());
      free_.pop_back();
    }
    b.resize(block_bytes_);
    return b;
  }
  // Producer: hands over `b` (its size is the byte count). False when the consumer stopped.
  bool put(std::vector<char> b) {
    std::lock_guard lock(mu_);
    if (abandoned_) return false;
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
  bool take_full(std::vector<char>& out) {
    std::unique_lock lock(mu_);
    if (!out.empty() || out.capacity() > 0) free_.push_back(std::move(out));
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
    full_.clear();
    room_.notify_all();
  }
  // Consumer, at the end: frees the recycled blocks (a finished input waits for the others
  // without holding its buffers).
  void release() {
    std::lock_guard lock(mu_);
    free_.clear();
    free_.shrink_to_fit();
  }
  bool abandoned() const {
    std::lock_guard lock(mu_);
    return abandoned_;
  }
  std::string error() const {
    std::lock_guard lock(mu_);
    return error_;
  }

 private:
  const size_t depth_;
  const size_t block_bytes_;
  mutable std::mutex mu_;
  std::condition_variable ready_, room_;
  std::deque<std::vector<char>> full_;
  std::vector<std::vector<char>> free_;
  bool closed_ = false;
  bool abandoned_ = false;
  std::string error_;
};

// The consumer's side of a BlockQueue as a ByteSource, for a LineReader.
class QueueSource : public ByteSource {
 public:
  explicit QueueSource(BlockQueue& q) : q_(q) {}
  ssize_t read(char* buf, size_t n) override {
    while (pos_ >= block_.size()) {
      if (done_) return error_.empty() ? 0 : -1;
      if (!q_.take_full(block_)) {
        done_ = true;
        error_ = q_.error();
        block_.clear();
        pos_ = 0;
        return error_.empty() ? 0 : -1;
      }
      pos_ = 0;
    }
    const size_t k = std::min(n, block_.size() - pos_);
    std::copy(block_.data() + pos_, block_.data() + pos_ + k, buf);
    pos_ += k;
    return static_cast<ssize_t>(k);
  }
  const std::string& error() const override { return error_; }

 private:
  BlockQueue& q_;
  std::vector<char> block_;
  size_t pos_ = 0;
  bool done_ = false;
  std::string error_;
};

}  // namespace fedtriage
