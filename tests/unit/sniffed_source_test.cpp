#include "lib/input/sniffed_source.h"

#include <gtest/gtest.h>

#include <string>

#include "lib/input/memory_source.h"

namespace fedtriage {
namespace {

std::string drain(ByteSource& s, size_t chunk) {
  std::string out;
  std::string buf(chunk, '\0');
  for (ssize_t r; (r = s.read(buf.data(), buf.size())) > 0;) out.append(buf.data(), r);
  return out;
}

TEST(SniffedSource, HeadIsLookedAtThenHandedOutAgain) {
  MemorySource inner("0123456789abcdef");
  SniffedSource s(inner, 4);
  EXPECT_EQ(s.head(), "0123");
  EXPECT_EQ(drain(s, 3), "0123456789abcdef");  // chunks smaller than the head, then the rest
  EXPECT_FALSE(s.failed());
}

TEST(SniffedSource, ShortInputIsAllHead) {
  MemorySource inner("ab");
  SniffedSource s(inner, 512);
  EXPECT_EQ(s.head(), "ab");
  EXPECT_EQ(drain(s, 100), "ab");
  MemorySource empty("");
  SniffedSource e(empty, 512);
  EXPECT_EQ(e.head(), "");
  EXPECT_EQ(drain(e, 100), "");
}

}  // namespace
}  // namespace fedtriage
