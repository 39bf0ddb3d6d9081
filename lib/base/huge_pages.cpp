#include "lib/base/huge_pages.h"

#include <cstdint>
#include <cstdlib>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace fedtriage {

void advise_huge_pages(void* data, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr uintptr_t kHuge = kHugePageBytes;
  if (data == nullptr || bytes < kHuge) return;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (end <= begin) return;
  // Advice only: an error (no THP support, say) leaves the buffer as it was.
  (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

void* allocate_huge_pages(size_t pages) {
  if (pages == 0 || pages > SIZE_MAX / kHugePageBytes) return nullptr;
  void* p = std::aligned_alloc(kHugePageBytes, pages * kHugePageBytes);
  advise_huge_pages(p, pages * kHugePageBytes);
  return p;
}

}  // namespace fedtriage
