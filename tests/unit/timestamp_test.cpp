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

TEST(Timestamp, IsoFormatAtTheEdgesOfItsRange) {
  EXPECT_EQ(format_iso_utc(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso_utc(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_iso_utc(*utc_ms(9999, 12, 31, 23, 59, 59, 999)), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(format_iso_utc(*utc_ms(2024, 2, 29, 8, 5, 9, 7)), "2024-02-29T08:05:09.007Z");
  // Outside four-digit years (a hostile timestamp): still a time, formatted the long way.
  EXPECT_EQ(format_iso_utc(*utc_ms(9999, 12, 31, 23, 59, 59, 999) + 1),
            "10000-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso_utc(-62167219200000 - 86400000),
            "-001-12-31T00:00:00.000Z");  // 0000-01-01 - 1 day
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
