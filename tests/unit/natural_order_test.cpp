#include "lib/base/natural_order.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace fedtriage {
namespace {

TEST(NaturalOrder, NumbersCompareByValue) {
  EXPECT_TRUE(natural_less("input~2", "input~10"));
  EXPECT_FALSE(natural_less("input~10", "input~2"));
  EXPECT_TRUE(natural_less("case9", "case10"));
  EXPECT_TRUE(natural_less("a", "b"));
  EXPECT_TRUE(natural_less("input", "input~2"));
  EXPECT_FALSE(natural_less("same", "same"));
  EXPECT_TRUE(natural_less("2", "02"));  // equal values: fewer leading zeros first
  EXPECT_FALSE(natural_less("02", "2"));
  // Longer than any integer type: still by value.
  EXPECT_TRUE(natural_less("x99999999999999999999999", "x100000000000000000000000"));
}

TEST(NaturalOrder, SortsCaseNamesAsPeopleRead) {
  std::vector<std::string> names{"input~10", "input", "customerB/input", "input~2", "input~3"};
  std::sort(names.begin(), names.end(),
            [](const std::string& a, const std::string& b) { return natural_less(a, b); });
  EXPECT_EQ(names, (std::vector<std::string>{"customerB/input", "input", "input~2", "input~3",
                                             "input~10"}));
}

}  // namespace
}  // namespace fedtriage
