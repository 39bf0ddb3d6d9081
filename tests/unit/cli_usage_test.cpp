// Usage errors of the real binary: short (they must not scroll the error off screen), with the
// closest command for a typo, exit status 2.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "tests/support/run_binary.h"

namespace fedtriage {
namespace {

using testing::run_binary;

size_t lines(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(CliUsageTest, MisspelledCommandSuggestsTheClosestOne) {
  const auto run = run_binary({"analyse", "x"});
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("unknown command 'analyse'; did you mean 'analyze'?"), std::string::npos)
      << run.err;
  EXPECT_LE(lines(run.err), 5u) << run.err;
  EXPECT_TRUE(run.out.empty());
}

TEST(CliUsageTest, UnrelatedCommandSuggestsNothing) {
  const auto run = run_binary({"frobnicate"});
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err.find("did you mean"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("fedtriage --help"), std::string::npos) << run.err;
}

TEST(CliUsageTest, EveryCommandsUsageErrorFitsInFiveLines) {
  const std::vector<std::vector<std::string>> bad = {{"analyze"},
                                                     {"analyze", "--format", "xml", "x"},
                                                     {"events"},
                                                     {"show"},
                                                     {"show", "--width", "3", "x"},
                                                     {"report"},
                                                     {"rules", "explain"},
                                                     {"summary", "--format", "xml"},
                                                     {"cases", "--bogus"}};
  for (const auto& args : bad) {
    const auto run = run_binary(args);
    EXPECT_EQ(run.status, 2) << args[0];
    EXPECT_LE(lines(run.err), 5u) << run.err;
    EXPECT_NE(run.err.find("fedtriage " + args[0] + " --help"), std::string::npos) << run.err;
  }
}

TEST(CliUsageTest, HelpStillListsTheOptions) {
  const auto run = run_binary({"analyze", "--help"});
  EXPECT_EQ(run.status, 0);
  EXPECT_NE(run.out.find("--db"), std::string::npos);
}

}  // namespace
}  // namespace fedtriage
