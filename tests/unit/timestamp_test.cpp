#include "lib/core/timestamp.h"

#include <gtest/gtest.h>

namespace fedtriage {
namespace {

TEST(Timestamp, ExpresswayUtcTimeWithComma) {
  auto ms = parse_ymd_hms_millis("2017-03-02 07:10:46,240");
  ASSERT_TRUE(ms);
  EXPECT_EQ(format_iso_utc(*ms), "2017-03-02T07:10:46.240Z");
}

TEST(Timestamp, EdgeAndClientMonthFirst) {
  auto edge = parse_mdy_hms_millis("03/02/2017-07:10:46.230");
  auto client = parse_mdy_hms_millis("03/02/2017|08:10:46.221");
  ASSERT_TRUE(edge && client);
  EXPECT_EQ(format_iso_utc(*edge), "2017-03-02T07:10:46.230Z");
  EXPECT_EQ(*client - *edge, 3600000 - 9);
}

TEST(Timestamp, LeapDayAndRanges) {
  EXPECT_TRUE(utc_ms(2016, 2, 29, 0, 0, 0, 0));
  EXPECT_FALSE(utc_ms(2017, 2, 29, 0, 0, 0, 0));
  EXPECT_FALSE(utc_ms(2017, 13, 1, 0, 0, 0, 0));
  EXPECT_FALSE(parse_ymd_hms_millis("2017-03-02 07:1x:46,240"));
  EXPECT_FALSE(parse_mdy_hms_millis("03/02/2017-07:10"));
  EXPECT_EQ(*utc_ms(1970, 1, 1, 0, 0, 1, 5), 1005);
}

TEST(Timestamp, Offsets) {
  EXPECT_EQ(parse_utc_offset("+01:00"), 60);
  EXPECT_EQ(parse_utc_offset("-05:00"), -300);
  EXPECT_EQ(parse_utc_offset("-0530"), -330);
  EXPECT_EQ(parse_utc_offset("Z"), 0);
  EXPECT_FALSE(parse_utc_offset("+1:00"));
  EXPECT_FALSE(parse_utc_offset("+25:00"));
}

}  // namespace
}  // namespace fedtriage
