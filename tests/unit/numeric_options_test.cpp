// Numeric options of every command, through the real binary (#20): a sign, junk, an empty
// value, zero where zero means nothing and values too large to hold are usage errors (exit 2)
// naming the option; boost alone read "-1" as the largest unsigned and wrapped on shifts. The
// same options with sensible values still analyse the input.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/run_binary.h"
#include "tests/support/temp_dir.h"

namespace fedtriage {
namespace {

const std::string kBundle =
    std::string(FEDTRIAGE_TESTDATA_DIR) + "/bundles/federation-failure.tar.gz";

struct Case {
  std::vector<std::string> before;  // the command and its other arguments
  std::string option;
  std::vector<std::string> bad;
  std::vector<std::string> after;  // positional arguments
};

TEST(NumericOptions, OutOfRangeValuesAreUsageErrors) {
  testing::TempDir dir;
  const std::string db = dir.path() + "/n.db";
  const std::vector<std::string> junk = {
      "-1", "abc", "5x", "", " 5", "+5", "99999999999999999999999"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> all = junk;
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  };
  const std::vector<Case> cases = {
      {{"analyze", "--no-db"}, "--max-expanded-mb", with({"0", "17592186044416"}), {kBundle}},
      {{"events"}, "--max-expanded-mb", with({"0", "17592186044416"}), {kBundle}},
      {{"redact", "-o", dir.path() + "/r"}, "--max-expanded-mb", with({"0"}), {kBundle}},
      {{"analyze", "--db", db}, "--jobs", with({"0", "100000"}), {kBundle}},
      {{"analyze", "--db", db}, "--db-max-mb", with({"17592186044416"}), {kBundle}},
      {{"show", "--db", db}, "--width", with({"0", "39", "1001"}), {"abc"}},
      {{"report", "--db", db, "-o", dir.path() + "/r.html"}, "--max-calls", junk, {}},
      {{"check", "--cert", kBundle}, "--timeout", with({"0", "301", "nan", "inf"}), {}},
  };
  for (const Case& c : cases) {
    for (const std::string& value : c.bad) {
      std::vector<std::string> args = c.before;
      args.push_back(c.option);
      args.push_back(value);
      args.insert(args.end(), c.after.begin(), c.after.end());
      const auto r = testing::run_binary(args);
      EXPECT_EQ(r.status, 2) << c.before[0] << " " << c.option << " '" << value << "': " << r.err;
      EXPECT_NE(r.err.find(c.option), std::string::npos) << r.err;
    }
  }
}

TEST(NumericOptions, SensibleValuesStillAnalyse) {
  testing::TempDir dir;
  const std::string db = dir.path() + "/n.db";
  const auto a = testing::run_binary({"analyze", "--db", db, "--jobs", "2", "--max-expanded-mb",
                                      "100", "--color", "never", kBundle});
  ASSERT_EQ(a.status, 0) << a.err;
  EXPECT_NE(a.out.find("d0bce97cce8a45fcbb8cc973ba0282da"), std::string::npos) << a.out;
  const auto s = testing::run_binary({"show", "--db", db, "--width", "120", "--color", "never",
                                      "d0bce97cce8a45fcbb8cc973ba0282da"});
  EXPECT_EQ(s.status, 0) << s.err;
  const auto r = testing::run_binary(
      {"report", "-q", "--db", db, "--max-calls", "1", "-o", dir.path() + "/r.html"});
  EXPECT_EQ(r.status, 0) << r.err;
  // A small cap is still a cap: the archive stops expanding and says so.
  const auto small = testing::run_binary({"events", "--max-expanded-mb", "1", kBundle});
  EXPECT_NE(small.status, 2) << small.err;
}

}  // namespace
}  // namespace fedtriage
