#include "lib/base/huge_pages.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace fedtriage {
namespace {

TEST(HugePages, AllocationsAreWholeAlignedPagesAndWritable) {
  for (size_t pages : {1, 3}) {
    void* p = allocate_huge_pages(pages);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % kHugePageBytes, 0u);
    std::memset(p, 0xab, pages * kHugePageBytes);  // every byte is ours (ASan would say)
    EXPECT_EQ(static_cast<unsigned char*>(p)[pages * kHugePageBytes - 1], 0xab);
    std::free(p);
  }
  EXPECT_EQ(allocate_huge_pages(0), nullptr);
  EXPECT_EQ(allocate_huge_pages(SIZE_MAX / kHugePageBytes + 1), nullptr);  // no overflow
}

// Advice never changes what a buffer holds, whatever its size and alignment.
TEST(HugePages, AdviceKeepsTheContents) {
  advise_huge_pages(nullptr, 1 << 30);
  for (size_t bytes :
       {size_t{0}, size_t{4096}, kHugePageBytes - 1, kHugePageBytes + 17, 3 * kHugePageBytes + 5}) {
    std::vector<unsigned char> buffer(bytes + 1);
    for (size_t i = 0; i < buffer.size(); ++i) buffer[i] = static_cast<unsigned char>(i * 7);
    advise_huge_pages(buffer.data() + 1, bytes);
    for (size_t i = 0; i < buffer.size(); ++i) {
      ASSERT_EQ(buffer[i], static_cast<unsigned char>(i * 7)) << bytes << " at " << i;
    }
  }
}

}  // namespace
}  // namespace fedtriage
