// The analyze command end to end through the real binary: options that write files.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "tests/support/collecting_sinks.h"
#include "tests/support/run_binary.h"

namespace fedtriage {
namespace {

namespace fs = std::filesystem;

int run(const std::string& args) {
  const std::string cmd = std::string("cd ") + FEDTRIAGE_TESTDATA_DIR + "/.. && " +
                          FEDTRIAGE_BINARY + " " + args + " >/dev/null 2>&1";
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

class AnalyzeCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("fedtriage-analyze-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(AnalyzeCli, HtmlReportOfTheRunsCase) {
  const std::string db = (dir_ / "x.db").string(), html = (dir_ / "r.html").string();
  ASSERT_EQ(
      run("analyze --db " + db + " --html " + html + " testdata/bundles/federation-failure.tar.gz"),
      0);
  const std::string page = testing::read_file(html);
  ASSERT_FALSE(page.empty());
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(page.find("d0bce97cce8a45fcbb8cc973ba0282da"), std::string::npos);
  EXPECT_NE(page.find("srv-domain-mismatch"), std::string::npos);
  // Self-contained: nothing is loaded from elsewhere.
  EXPECT_EQ(page.find("src=\"http"), std::string::npos);
  EXPECT_EQ(page.find("href=\"http"), std::string::npos);
}

TEST_F(AnalyzeCli, HtmlNeedsADatabase) {
  EXPECT_EQ(run("analyze --no-db --html " + (dir_ / "r.html").string() +
                " testdata/bundles/federation-failure.tar.gz"),
            2);
  EXPECT_FALSE(fs::exists(dir_ / "r.html"));
}

// A PATH that is not there: said so on stderr, exit 1, and nothing on stdout claims anything
// about calls ("No failed calls found." would be a lie).
TEST(AnalyzeMissingPath, SaysCannotReadAndClaimsNothing) {
  const std::string missing =
      (fs::temp_directory_path() / "fedtriage-no-such-bundle.tar.gz").string();
  const testing::BinaryRun run = testing::run_binary({"analyze", "--no-db", missing});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_NE(
      run.err.find("fedtriage analyze: cannot read " + missing + ": No such file or directory\n"),
      std::string::npos)
      << run.err;
}

TEST(AnalyzeMissingPath, OtherPathsAreStillAnalysed) {
  const std::string missing =
      (fs::temp_directory_path() / "fedtriage-no-such-bundle.tar.gz").string();
  const testing::BinaryRun run =
      testing::run_binary({"analyze", "--no-db", missing,
                           std::string(FEDTRIAGE_TESTDATA_DIR) + "/scenarios/srv-record-missing"});
  EXPECT_EQ(run.status, 3);
  EXPECT_NE(run.out.find("srv-record-missing"), std::string::npos) << run.out;
  EXPECT_NE(run.err.find("cannot read " + missing), std::string::npos) << run.err;
}

}  // namespace
}  // namespace fedtriage
