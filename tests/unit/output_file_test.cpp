// Output files (#20): `report -o` and `analyze --html` through the real binary. A symbolic link
// is written through to its target, a FIFO or a character device is streamed into, anything
// else that is not a regular file is refused, `-o -` is standard output, and no temporary file
// is left behind, also when the run is interrupted. Plus OutputFile itself on a full device.
#include "lib/base/output_file.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <sstream>
#include <string>

#include "tests/support/run_binary.h"
#include "tests/support/temp_dir.h"

namespace fedtriage {
namespace {

namespace fs = std::filesystem;

const std::string kBundle =
    std::string(FEDTRIAGE_TESTDATA_DIR) + "/bundles/federation-failure.tar.gz";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream all;
  all << in.rdbuf();
  return all.str();
}

std::set<std::string> names_in(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

bool is_report(const std::string& text) {
  return text.starts_with("<!DOCTYPE html>") && text.find("ft-index") != std::string::npos &&
         text.ends_with("</html>\n");
}

class OutputFileCli : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    db_ = dir_.path() + "/cases.db";
    // The good input, analysed as before: the report below must hold its calls.
    const auto r = testing::run_binary({"analyze", "-q", "--db", db_, kBundle});
    ASSERT_NE(r.status, 1) << r.err;
    ASSERT_NE(r.status, 2) << r.err;
  }
  testing::BinaryRun report(const std::string& out) {
    return testing::run_binary({"report", "-q", "--db", db_, "-o", out});
  }
  testing::TempDir dir_;
  std::string db_;
};

TEST_F(OutputFileCli, RegularFileIsReplacedWholeAndKeepsItsMode) {
  const std::string path = dir_.path() + "/report.html";
  std::ofstream(path) << "old";
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  const auto r = report(path);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string html = slurp(path);
  EXPECT_TRUE(is_report(html));
  EXPECT_NE(html.find("federation"), std::string::npos) << "the analysed calls are in it";
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(names_in(dir_.path()), (std::set<std::string>{"cases.db", "report.html"}));
}

TEST_F(OutputFileCli, SymbolicLinkIsWrittenThroughToItsTarget) {
  fs::create_directory(dir_.path() + "/real");
  const std::string target = dir_.path() + "/real/target.html";
  std::ofstream(target) << "old";
  const std::string link = dir_.path() + "/link.html";
  fs::create_symlink("real/target.html", link);
  const auto r = report(link);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(link)));
  EXPECT_TRUE(is_report(slurp(target)));
  EXPECT_EQ(names_in(dir_.path() + "/real"), (std::set<std::string>{"target.html"}));
  // A dangling link creates its target.
  const std::string dangling = dir_.path() + "/dangling.html";
  fs::create_symlink("real/new.html", dangling);
  ASSERT_EQ(report(dangling).status, 0);
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(dangling)));
  EXPECT_TRUE(is_report(slurp(dir_.path() + "/real/new.html")));
}

TEST_F(OutputFileCli, FifoIsStreamedInto) {
  const std::string fifo = dir_.path() + "/pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto reader = std::async(std::launch::async, [&] { return slurp(fifo); });
  const auto r = report(fifo);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(is_report(reader.get()));
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_EQ(names_in(dir_.path()), (std::set<std::string>{"cases.db", "pipe"}));
}

TEST_F(OutputFileCli, CharacterDeviceIsWrittenNotReplaced) {
  if (!fs::is_character_file("/dev/null")) GTEST_SKIP() << "no /dev/null character device";
  const auto r = report("/dev/null");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
  EXPECT_FALSE(fs::exists("/dev/null.tmp"));
}

TEST_F(OutputFileCli, DashIsStandardOutput) {
  const auto r = report("-");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(is_report(r.out));
  EXPECT_FALSE(fs::exists(dir_.path() + "/-"));
}

TEST_F(OutputFileCli, DirectoryIsRefused) {
  const std::string sub = dir_.path() + "/sub";
  fs::create_directory(sub);
  const auto r = report(sub);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find(sub), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("not a regular file"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_directory(sub));
  EXPECT_TRUE(fs::is_empty(sub));
}

TEST_F(OutputFileCli, AnalyzeHtmlWritesThroughALink) {
  const std::string target = dir_.path() + "/a.html", link = dir_.path() + "/l.html";
  fs::create_symlink("a.html", link);
  const auto r = testing::run_binary(
      {"analyze", "-q", "--db", dir_.path() + "/b.db", "--html", link, kBundle});
  ASSERT_NE(r.status, 1) << r.err;
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(link)));
  EXPECT_TRUE(is_report(slurp(target)));
}

// Interrupted at different moments, a run leaves either the old file or a whole report, and
// no temporary file.
TEST_F(OutputFileCli, InterruptionLeavesNoTemporaryFile) {
  const std::string path = dir_.path() + "/report.html";
  std::ofstream(path) << "old";
  for (int delay_us : {0, 2000, 5000, 10000, 20000, 40000}) {
    const pid_t pid = testing::start_binary({"report", "-q", "--db", db_, "-o", path},
                                            dir_.path() + "/.out", dir_.path() + "/.err");
    ::usleep(delay_us);
    ::kill(pid, SIGINT);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    fs::remove(dir_.path() + "/.out");
    fs::remove(dir_.path() + "/.err");
    const std::string text = slurp(path);
    EXPECT_TRUE(text == "old" || is_report(text)) << "after " << delay_us << " us";
    std::set<std::string> names = names_in(dir_.path());
    names.erase("cases.db-wal");  // SQLite's own files of the interrupted reader
    names.erase("cases.db-shm");
    EXPECT_EQ(names, (std::set<std::string>{"cases.db", "report.html"}))
        << "after " << delay_us << " us";
  }
}

TEST(OutputFile, FullDeviceIsAnErrorNamingTheFile) {
  if (!fs::is_character_file("/dev/full")) GTEST_SKIP() << "no /dev/full";
  OutputFile file;
  std::string why;
  ASSERT_TRUE(file.open("/dev/full", &why)) << why;
  file.stream() << std::string(200000, 'x');
  EXPECT_FALSE(file.commit(&why));
  EXPECT_NE(why.find("/dev/full"), std::string::npos) << why;
  EXPECT_NE(why.find("No space left on device"), std::string::npos) << why;
}

TEST(OutputFile, AbandonedWriteLeavesTheOldFile) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/f.txt";
  std::ofstream(path) << "old";
  {
    OutputFile file;
    std::string why;
    ASSERT_TRUE(file.open(path, &why)) << why;
    file.stream() << "new";
  }
  EXPECT_EQ(slurp(path), "old");
  EXPECT_EQ(names_in(dir.path()), (std::set<std::string>{"f.txt"}));
}

}  // namespace
}  // namespace fedtriage
