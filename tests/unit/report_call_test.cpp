// `fedtriage report --call CALL-ID`: a page for one call of a ticket, on the real binary.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/run_binary.h"
#include "tests/support/temp_dir.h"

namespace fedtriage {
namespace {

using testing::run_binary;

const std::string kBundle =
    std::string(FEDTRIAGE_TESTDATA_DIR) + "/bundles/federation-failure.tar.gz";

TEST(ReportCall, OnePageHoldsThatCallOnly) {
  testing::TempDir dir;
  const std::string db = dir.path() + "/t.db";
  ASSERT_EQ(run_binary({"analyze", "-q", "--db", db, kBundle}).status, 0);
  const testing::BinaryRun page = run_binary({"report", "--call", "d0bce", "-o", "-", "--db", db});
  ASSERT_EQ(page.status, 0) << page.err;
  EXPECT_NE(page.out.find("d0bce97cce8a45fcbb8cc973ba0282da"), std::string::npos);
  EXPECT_NE(page.out.find("<title>fedtriage: call d0bce97cce8a45fcbb8cc973ba0282da</title>"),
            std::string::npos);
  // The other calls of the case are not on it.
  EXPECT_EQ(page.out.find("5e38e39898cf40188170f0d70644a87b"), std::string::npos);
  EXPECT_EQ(page.out.find("7a3c1f2e9b0d4c55a1e2f3b4c5d6e7f8"), std::string::npos);

  const testing::BinaryRun whole = run_binary({"report", "-o", "-", "--db", db});
  ASSERT_EQ(whole.status, 0);
  EXPECT_NE(whole.out.find("5e38e39898cf40188170f0d70644a87b"), std::string::npos);

  const testing::BinaryRun unknown = run_binary({"report", "--call", "zzz", "-o", "-", "--db", db});
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.err.find("no call zzz"), std::string::npos) << unknown.err;
  EXPECT_EQ(unknown.out, "");
}

}  // namespace
}  // namespace fedtriage
