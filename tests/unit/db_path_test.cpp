// --db values that cannot hold a database (#20), through the real binary: an empty value is a
// usage error for every command (SQLite would take "" for a temporary database and store
// nothing); a device, FIFO or directory is refused with a message naming it, and nothing is
// created beside it (no "/dev/null-journal"). A regular file still stores the analysis.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/run_binary.h"
#include "tests/support/temp_dir.h"

namespace fedtriage {
namespace {

namespace fs = std::filesystem;

const std::string kBundle =
    std::string(FEDTRIAGE_TESTDATA_DIR) + "/bundles/federation-failure.tar.gz";

TEST(DbPath, EmptyDbIsAUsageErrorForEveryCommand) {
  testing::TempDir dir;
  const std::vector<std::vector<std::string>> commands = {
      {"analyze", "--db", "", kBundle},
      {"summary", "--db", ""},
      {"cases", "--db", ""},
      {"show", "--db", "", "abc"},
      {"report", "--db", "", "-o", dir.path() + "/r.html"},
      {"db", "status", "--db", ""},
      {"db", "init", "--db", ""},
  };
  for (const auto& args : commands) {
    const auto r = testing::run_binary(args);
    EXPECT_EQ(r.status, 2) << args[0] << ": " << r.err;
    EXPECT_NE(r.err.find("--db: empty"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(dir.path() + "/r.html"));
}

TEST(DbPath, NonRegularFilesAreRefusedAndARegularFileWorks) {
  testing::TempDir dir;
  const std::string fifo = dir.path() + "/pipe.db";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  fs::create_directory(dir.path() + "/folder.db");
  std::vector<std::string> targets = {fifo, dir.path() + "/folder.db"};
  if (fs::is_character_file("/dev/null")) targets.push_back("/dev/null");
  for (const std::string& db : targets) {
    const auto r = testing::run_binary({"analyze", "-q", "--db", db, kBundle});
    EXPECT_EQ(r.status, 1) << db << ": " << r.err;
    EXPECT_NE(r.err.find(db + ": not a regular file"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(db + "-journal")) << db;
    EXPECT_FALSE(fs::exists(db + "-wal")) << db;
    const auto s = testing::run_binary({"summary", "--db", db});
    EXPECT_EQ(s.status, 1) << db << ": " << s.err;
  }
  EXPECT_TRUE(fs::is_fifo(fifo));
  // The good input into a regular file: stored and summarised.
  const std::string db = dir.path() + "/good.db";
  const auto a = testing::run_binary({"analyze", "-q", "--db", db, kBundle});
  ASSERT_EQ(a.status, 0) << a.err;
  const auto s = testing::run_binary({"summary", "--db", db});
  EXPECT_EQ(s.status, 0) << s.err;
  EXPECT_NE(s.out.find("federation-failure"), std::string::npos) << s.out;
}

}  // namespace
}  // namespace fedtriage
