#include "lib/ingest/block_queue.h"

#include <sys/mman.h>

#include <new>

namespace fedtriage {

void UnmapBytes::operator()(char* p) const {
  if (p != nullptr) munmap(p, bytes);
}

ByteBlock ByteBlock::allocate(size_t capacity) {
  void* p = mmap(nullptr, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  ByteBlock b;
  b.bytes = std::unique_ptr<char, UnmapBytes>(static_cast<char*>(p), UnmapBytes{capacity});
  b.capacity = capacity;
  return b;
}

}  // namespace fedtriage
