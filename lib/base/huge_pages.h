// Large buffers that are written once, front to back (the sketches of a read): on a virtual
// machine every 4 KiB page's first touch is a fault costing microseconds, tens of thousands of
// them for one buffer. Transparent huge pages make it one fault per 2 MiB.
#pragma once

#include <cstddef>

namespace fedtriage {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;

// Asks the kernel to back the whole 2 MiB pages inside [data, data + bytes) with transparent
// huge pages (Linux madvise(MADV_HUGEPAGE)). Call it before the buffer is first written: for a
// buffer that is not aligned, the parts before its first and after its last whole huge page
// keep small pages. Harmless where huge pages are off or unknown: nothing changes then.
void advise_huge_pages(void* data, size_t bytes);

// `pages` whole huge pages, aligned and advised: no small-page edges. Free with std::free.
// Null when out of memory.
void* allocate_huge_pages(size_t pages);

}  // namespace fedtriage
