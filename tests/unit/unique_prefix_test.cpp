#include "lib/base/unique_prefix.h"

#include <gtest/gtest.h>

namespace fedtriage {
namespace {

TEST(UniquePrefix, ExactWinsOverLongerNames) {
  const PrefixMatch m = match_unique_prefix("abc", {"abcd", "abc", "abce"});
  EXPECT_EQ(m.name, "abc");
}

TEST(UniquePrefix, OnePrefixMatchRepeatsCountOnce) {
  const PrefixMatch m = match_unique_prefix("f1", {"f1b3", "e144", "f1b3"});
  EXPECT_EQ(m.name, "f1b3");
  EXPECT_EQ(m.matches, std::vector<std::string>{"f1b3"});
}

TEST(UniquePrefix, AmbiguousAndNone) {
  const PrefixMatch m = match_unique_prefix("a", {"ab", "ac", "b"});
  EXPECT_TRUE(m.name.empty());
  EXPECT_EQ(m.matches, (std::vector<std::string>{"ab", "ac"}));
  EXPECT_EQ(ambiguous_prefix_message("a", m.matches, "calls"), "2 calls start with a:\n  ab\n  ac");
  EXPECT_TRUE(match_unique_prefix("z", {"ab"}).matches.empty());
  std::vector<std::string> many;
  for (int i = 0; i < 12; ++i) many.push_back("x" + std::to_string(i));
  EXPECT_TRUE(ambiguous_prefix_message("x", many, "calls").ends_with("\n  ..."));
}

}  // namespace
}  // namespace fedtriage
