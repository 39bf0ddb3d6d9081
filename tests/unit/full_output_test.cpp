// Standard output on a full disk (#20): every command that prints a report checks its writes.
// A failed write is an error naming the output, exit status 1, never a silent success; the
// same command with a working stdout still prints the whole analysis.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/collecting_sinks.h"
#include "tests/support/run_binary.h"
#include "tests/support/temp_dir.h"

namespace fedtriage {
namespace {

const std::string kBundle =
    std::string(FEDTRIAGE_TESTDATA_DIR) + "/bundles/federation-failure.tar.gz";
const std::string kCall = "d0bce97cce8a45fcbb8cc973ba0282da";

struct Outcome {
  int status = -1;
  std::string err;
};

// The binary with its standard output on `out` (a file or a device such as /dev/full).
Outcome run_to(const std::vector<std::string>& args, const std::string& out,
               const std::string& dir) {
  const std::string err_path = dir + "/.stderr";
  const pid_t pid = testing::start_binary(args, out, err_path);
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
          testing::read_file(err_path)};
}

TEST(FullOutput, EveryReportCommandFailsLoudlyOnAFullDisk) {
  if (!std::filesystem::is_character_file("/dev/full")) GTEST_SKIP() << "no /dev/full";
  testing::TempDir dir;
  const std::string db = dir.path() + "/t.db";
  ASSERT_EQ(testing::run_binary({"analyze", "-q", "--db", db, kBundle}).status, 0);
  const std::vector<std::vector<std::string>> commands = {
      {"analyze", "--no-db", kBundle},
      {"analyze", "--no-db", "--format", "json", kBundle},
      {"events", kBundle},
      {"summary", "--db", db},
      {"summary", "--db", db, "--format", "csv"},
      {"cases", "--db", db},
      {"show", "--db", db, kCall},
  };
  for (const auto& args : commands) {
    std::string shown;
    for (const auto& a : args) shown += a + " ";
    // The good run: the whole output, status 0.
    const std::string out = dir.path() + "/out.txt";
    const Outcome ok = run_to(args, out, dir.path());
    EXPECT_EQ(ok.status, 0) << shown << ok.err;
    EXPECT_GT(std::filesystem::file_size(out), 100u) << shown;
    // On a full disk: exit 1 and the cause named.
    const Outcome full = run_to(args, "/dev/full", dir.path());
    EXPECT_EQ(full.status, 1) << shown << full.err;
    EXPECT_NE(full.err.find("fedtriage " + args[0] +
                            ": cannot write to standard output: No space left on device"),
              std::string::npos)
        << shown << full.err;
  }
}

}  // namespace
}  // namespace fedtriage
