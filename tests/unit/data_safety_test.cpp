// The database `fedtriage analyze --db` writes, under faults: the process killed at any point,
// two writers at once, a file that is not SQLite, read-only files and directories, a full disk,
// a newer schema. The database must always pass PRAGMA integrity_check and hold either all of
// a run or none of it; errors are clear and exit with status 1.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/collecting_sinks.h"
#include "tests/support/run_binary.h"

namespace fedtriage {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const std::string kTestdata = FEDTRIAGE_TESTDATA_DIR;

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
    s.replace(pos, from.size(), to);
  }
}

// A started fedtriage process; stdout and stderr go to files in `dir`.
struct Proc {
  pid_t pid = -1;
  std::string err_path;
};

Proc start(const std::vector<std::string>& args, const std::string& dir, const std::string& tag) {
  Proc p;
  p.err_path = dir + "/" + tag + ".stderr";
  const std::string out_path = dir + "/" + tag + ".stdout";
  p.pid = testing::start_binary(args, out_path, p.err_path);
  return p;
}

// Exit status, or 128 + signal when killed.
int finish(const Proc& p) {
  int status = 0;
  EXPECT_EQ(waitpid(p.pid, &status, 0), p.pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

struct Outcome {
  int status;
  std::string err;
};

Outcome run(const std::vector<std::string>& args, const std::string& dir) {
  const Proc p = start(args, dir, "run");
  const int status = finish(p);
  return {status, testing::read_file(p.err_path)};
}

// Row counts of the tables that hold analysis results, read with SQLite directly.
using Counts = std::map<std::string, int64_t>;

std::string query_text(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK &&
      sqlite3_step(s) == SQLITE_ROW) {
    const unsigned char* t = sqlite3_column_text(s, 0);
    out = t ? reinterpret_cast<const char*>(t) : "";
  } else {
    out = std::string("error: ") + sqlite3_errmsg(db);
  }
  sqlite3_finalize(s);
  return out;
}

// integrity_check's answer ("ok") and the counts.
std::pair<std::string, Counts> inspect(const std::string& path) {
  sqlite3* db = nullptr;
  Counts counts;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string e = sqlite3_errmsg(db);
    sqlite3_close(db);
    return {"cannot open: " + e, counts};
  }
  const std::string check = query_text(db, "PRAGMA integrity_check");
  for (const char* table : {"cases", "inputs", "events", "calls", "findings"}) {
    counts[table] =
        std::atoll(query_text(db, std::string("SELECT count(*) FROM ") + table).c_str());
  }
  sqlite3_close(db);
  return {check, counts};
}

std::string describe(const Counts& c) {
  std::string s;
  for (const auto& [k, v] : c) s += k + "=" + std::to_string(v) + " ";
  return s;
}

class DataSafety : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "fedtriage-safety-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    for (const std::string& p : immutable_) {
      const std::string cmd = "chattr -i '" + p + "' 2>/dev/null";
      if (std::system(cmd.c_str()) != 0) ADD_FAILURE() << "could not clear the immutable flag";
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // `copies` copies of the Expressway fixture's call, each with its own Call-ID and hashes.
  std::string big_log(int copies) {
    const std::string one = testing::read_file(kTestdata + "/expressway/federation_504.log");
    std::string text;
    text.reserve(one.size() * copies);
    for (int i = 0; i < copies; ++i) {
      std::string c = one;
      char id[16];
      std::snprintf(id, sizeof id, "%012d", i);
      replace_all(c, "c2f9bec71960", id);
      replace_all(c, "Msg-Hash=\"13707918855517357847\"", "Msg-Hash=\"1" + std::string(id) + "\"");
      replace_all(c, "Msg-Hash=\"4410021778612440137\"", "Msg-Hash=\"2" + std::string(id) + "\"");
      text += c;
    }
    const std::string path = dir_ + "/big-" + std::to_string(copies) + ".log";
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // Makes a path immutable (even root cannot write it); false when the file system or the
  // privileges do not allow it.
  bool make_immutable(const std::string& path) {
    const std::string cmd = "chattr +i '" + path + "' 2>/dev/null";
    if (std::system(cmd.c_str()) != 0) return false;
    immutable_.push_back(path);
    return true;
  }

  std::string dir_;
  std::vector<std::string> immutable_;
};

// Killed at several points (SIGTERM: the handler; SIGKILL: no chance to clean up): the file
// is consistent and holds all of the run or none of it; running again completes it with the
// same counts as a clean run, no duplicates.
TEST_F(DataSafety, InterruptedRunsLeaveAConsistentDatabaseAndRerunsAddNoDuplicates) {
  const std::string input = big_log(80);
  const std::string clean_db = dir_ + "/clean.db";
  const auto t0 = Clock::now();
  const Outcome clean = run({"analyze", "-q", "--db", clean_db, "--case", "c", input}, dir_);
  const auto clean_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
  ASSERT_EQ(clean.status, 0) << clean.err;
  const auto [clean_check, expected] = inspect(clean_db);
  ASSERT_EQ(clean_check, "ok");
  ASSERT_GE(expected.at("events"), 80 * 5) << describe(expected);

  int interrupted = 0;
  std::string outcomes;  // per attempt: signal, exit status, what the file held
  // Fractions of the clean run's time: reading, correlating, writing, committing.
  const std::vector<double> points = {0.25, 0.55, 0.8, 0.93};
  for (size_t i = 0; i < points.size(); ++i) {
    const int sig = i % 2 ? SIGKILL : SIGTERM;
    const double at = points[i];
    const std::string db = dir_ + "/run" + std::to_string(i) + ".db";
    const Proc p = start({"analyze", "-q", "--db", db, "--case", "c", input}, dir_, "kill");
    std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int64_t>(clean_ms * at)));
    kill(p.pid, sig);
    const int status = finish(p);
    const std::string err = testing::read_file(p.err_path);
    SCOPED_TRACE("signal " + std::to_string(sig) + " at " + std::to_string(at) + ": status " +
                 std::to_string(status) + ", stderr: " + err);
    if (status != 0) {
      ++interrupted;
      EXPECT_EQ(status, 128 + sig);
    }
    // A SIGTERM that lands before the handler is installed (a slow start on a loaded machine)
    // takes the default action: no message, and then nothing may have been stored.
    const bool handled = err.find("fedtriage: interrupted: ") != std::string::npos;
    const bool early_default_kill = sig == SIGTERM && status != 0 && !handled;
    if (fs::exists(db)) {
      const auto [check, counts] = inspect(db);
      EXPECT_EQ(check, "ok");
      const bool none = counts.at("events") == 0 && counts.at("calls") == 0;
      outcomes += " [" + std::to_string(sig) + "@" + std::to_string(at).substr(0, 4) + ": " +
                  std::to_string(status) + ", " + (none ? "nothing" : "all") + " stored]";
      EXPECT_TRUE(none || counts == expected) << "partial run stored: " << describe(counts);
      if (early_default_kill) {
        EXPECT_TRUE(none) << "killed before the handler, yet stored";
      }
      if (sig == SIGTERM && err.find("nothing from this run was stored") != std::string::npos) {
        EXPECT_TRUE(none) << describe(counts);
      }
    }
    const Outcome again = run({"analyze", "-q", "--db", db, "--case", "c", input}, dir_);
    ASSERT_EQ(again.status, 0) << again.err;
    const auto [check, counts] = inspect(db);
    EXPECT_EQ(check, "ok");
    EXPECT_EQ(counts, expected) << describe(counts);
  }
  EXPECT_GT(interrupted, 0) << "no kill landed while the process ran";
  GTEST_LOG_(INFO) << interrupted << " of " << points.size()
                   << " runs were interrupted:" << outcomes;
}

TEST_F(DataSafety, TwoWritersAtOnceBothFinishAndNothingIsLost) {
  const std::string input = big_log(60);
  const std::string single = dir_ + "/single.db";
  ASSERT_EQ(run({"analyze", "-q", "--db", single, "--case", "a", input}, dir_).status, 0);
  const Counts one = inspect(single).second;

  const std::string db = dir_ + "/shared.db";
  const Proc a = start({"analyze", "-q", "--db", db, "--case", "a", input}, dir_, "a");
  const Proc b = start({"analyze", "-q", "--db", db, "--case", "b", input}, dir_, "b");
  EXPECT_EQ(finish(a), 0) << testing::read_file(a.err_path);
  EXPECT_EQ(finish(b), 0) << testing::read_file(b.err_path);
  const auto [check, both] = inspect(db);
  EXPECT_EQ(check, "ok");
  for (const auto& [table, n] : one) EXPECT_EQ(both.at(table), 2 * n) << table;
}

TEST_F(DataSafety, AFileThatIsNotSqliteIsRefusedAndLeftAlone) {
  const std::string db = dir_ + "/notes.db";
  std::string text;
  for (int i = 0; i < 200; ++i) text += "customer notes, not a database\n";
  std::ofstream(db) << text;
  const Outcome r =
      run({"analyze", "--db", db, kTestdata + "/expressway/federation_504.log"}, dir_);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("is not an SQLite database"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(db), std::string::npos) << r.err;
  EXPECT_EQ(testing::read_file(db), text);
}

TEST_F(DataSafety, ANewerSchemaIsRefusedAndLeftAlone) {
  const std::string db = dir_ + "/future.db";
  const std::string log = kTestdata + "/expressway/federation_504.log";
  ASSERT_EQ(run({"analyze", "-q", "--db", db, log}, dir_).status, 0);
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(h, "UPDATE meta SET value = '999' WHERE key = 'schema_version'", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(h);
  const std::string before = testing::read_file(db);
  const Outcome r = run({"analyze", "--db", db, log}, dir_);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("schema version 999, newer than this fedtriage supports"), std::string::npos)
      << r.err;
  EXPECT_EQ(testing::read_file(db), before);
}

// The size cap stands in for a full disk (SQLite reports both as SQLITE_FULL): the run fails
// with status 1 and what earlier runs stored is intact.
TEST_F(DataSafety, AFullDiskFailsTheRunAndKeepsEarlierRuns) {
  const std::string db = dir_ + "/full.db";
  const std::string small = kTestdata + "/expressway/federation_504.log";
  ASSERT_EQ(run({"analyze", "-q", "--db", db, "--case", "small", small}, dir_).status, 0);
  const Counts before = inspect(db).second;
  const Outcome r =
      run({"analyze", "-q", "--db", db, "--db-max-mb", "1", "--case", "big", big_log(60)}, dir_);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("full"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(db), std::string::npos) << r.err;
  const auto [check, after] = inspect(db);
  EXPECT_EQ(check, "ok");
  EXPECT_EQ(after, before) << describe(after);
}

// Root ignores file modes; the immutable attribute binds root too (skipped where the file
// system has none).
TEST_F(DataSafety, ReadOnlyDatabaseFileAndDirectoryGiveClearErrors) {
  const std::string log = kTestdata + "/expressway/federation_504.log";
  const std::string db = dir_ + "/ro.db";
  ASSERT_EQ(run({"analyze", "-q", "--db", db, log}, dir_).status, 0);
  const Counts before = inspect(db).second;
  const bool root = geteuid() == 0;
  if (root) {
    if (!make_immutable(db)) GTEST_SKIP() << "chattr +i not supported here (needed as root)";
  } else {
    ASSERT_EQ(chmod(db.c_str(), 0444), 0);
  }
  const std::string bytes = testing::read_file(db);
  Outcome r = run({"analyze", "--db", db, "--case", "other", log}, dir_);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("fedtriage analyze: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(db), std::string::npos) << r.err;
  EXPECT_EQ(testing::read_file(db), bytes);
  EXPECT_EQ(inspect(db).second, before);

  const std::string ro_dir = dir_ + "/ro-dir";
  fs::create_directory(ro_dir);
  if (root) {
    ASSERT_TRUE(make_immutable(ro_dir));
  } else {
    ASSERT_EQ(chmod(ro_dir.c_str(), 0555), 0);
  }
  r = run({"analyze", "--db", ro_dir + "/new.db", log}, dir_);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find(ro_dir + "/new.db"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(ro_dir + "/new.db"));
  if (!root) chmod(ro_dir.c_str(), 0755);
}

}  // namespace
}  // namespace fedtriage
