// One Call-ID with very many events is bounded (#20): its start and end are explained, the
// middle left out with a warning, on the real binary.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/collecting_sinks.h"
#include "tests/support/run_binary.h"
#include "tests/support/temp_dir.h"

namespace fedtriage {
namespace {

TEST(CallEventCap, AFloodedCallKeepsItsStartAndItsEnd) {
  const std::string one =
      testing::read_file(std::string(FEDTRIAGE_TESTDATA_DIR) +
                         "/scenarios/srv-record-missing/Lync-UccApi-0.UccApiLog");
  ASSERT_NE(one.find("504 Server time-out"), std::string::npos);
  std::string flood;  // 150 x (INVITE, 504) of one Call-ID: 300 events
  for (int i = 0; i < 150; ++i) flood += one;
  testing::TempDir dir;
  const std::string log = dir.write("Lync-UccApi-0.UccApiLog", flood);

  const testing::BinaryRun capped = testing::run_binary(
      {"analyze", "--no-db", "--format", "json", "--max-call-events", "100", log});
  EXPECT_EQ(capped.status, 3) << capped.err;  // a warning: part of the input left out
  EXPECT_NE(capped.err.find("call 0c7e5f1a2b3c4d5e6f708192a3b4c5d6: 300 events: the middle 200 "
                            "are left out of the call (at most 100 per call"),
            std::string::npos)
      << capped.err;
  // The failing answer is at the end: still explained.
  EXPECT_NE(capped.out.find("\"srv-record-missing\""), std::string::npos) << capped.out;

  const testing::BinaryRun whole =
      testing::run_binary({"analyze", "--no-db", "--format", "json", log});
  EXPECT_EQ(whole.status, 0);
  EXPECT_EQ(whole.err.find("left out of the call"), std::string::npos) << whole.err;
  EXPECT_NE(whole.out.find("\"srv-record-missing\""), std::string::npos);

  const testing::BinaryRun bad =
      testing::run_binary({"analyze", "--no-db", "--max-call-events", "5", log});
  EXPECT_EQ(bad.status, 2) << bad.err;  // below the minimum: a usage error
}

}  // namespace
}  // namespace fedtriage
