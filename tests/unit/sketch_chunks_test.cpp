#include "lib/ingest/sketch_chunks.h"

#include <gtest/gtest.h>

#include <vector>

namespace fedtriage {
namespace {

EventSketch numbered(uint32_t i) {
  EventSketch s;
  s.ts_ms = int64_t{i} * 3 - 7;
  s.line = i;
  s.order = ~i;
  s.spool_offset = uint64_t{i} << 20;
  return s;
}

// Through small blocks, huge-page blocks and full ones, shrunk or not, sketches come back in
// order, each once, and the chunks are empty after.
TEST(SketchChunks, DrainGivesBackEverySketchInOrder) {
  const size_t sizes[] = {0,
                          1,
                          256,
                          257,
                          SketchChunks::kMaxBlock - 1,
                          SketchChunks::kMaxBlock,
                          SketchChunks::kMaxBlock + 1,
                          3 * SketchChunks::kMaxBlock + 12345};
  for (const size_t n : sizes) {
    for (const bool shrink : {false, true}) {
      SketchChunks chunks;
      for (uint32_t i = 0; i < n; ++i) chunks.push_back(numbered(i));
      if (shrink) chunks.shrink();
      ASSERT_EQ(chunks.size(), n);
      uint32_t next = 0;
      bool in_order = true;
      chunks.drain([&](const EventSketch& s) {
        const EventSketch want = numbered(next++);
        in_order = in_order && s.ts_ms == want.ts_ms && s.line == want.line &&
                   s.order == want.order && s.spool_offset == want.spool_offset;
      });
      EXPECT_TRUE(in_order) << n << (shrink ? " shrunk" : "");
      EXPECT_EQ(next, n);
      EXPECT_EQ(chunks.size(), 0u);
      // Reusable after a drain.
      chunks.push_back(numbered(5));
      size_t again = 0;
      chunks.drain([&](const EventSketch& s) { again += s.line == 5; });
      EXPECT_EQ(again, 1u);
    }
  }
}

TEST(SketchChunks, AFullBlockIsWholeHugePages) {
  EXPECT_LE(SketchChunks::kMaxBlock * sizeof(EventSketch),
            SketchChunks::kHugePagesPerBlock * kHugePageBytes);
  EXPECT_GT((SketchChunks::kMaxBlock + 1) * sizeof(EventSketch),
            SketchChunks::kHugePagesPerBlock * kHugePageBytes);
}

}  // namespace
}  // namespace fedtriage
