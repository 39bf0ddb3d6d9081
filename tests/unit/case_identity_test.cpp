// Cases that never mix and databases that stay right over many runs, on the real binary and on
// both back ends: a case is its bundle's full path (#18), a changed file of a folder replaces
// its old version (#20), runs whose process died are marked interrupted (#20), read commands
// work on a database the user may not write (#20).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "lib/base/process_identity.h"
#include "tests/support/pg_test_db.h"
#include "tests/support/run_binary.h"
#include "tests/support/sqlite_rows.h"
#include "tests/support/temp_dir.h"

namespace fedtriage {
namespace {

namespace fs = std::filesystem;
using testing::run_binary;

const std::string kTestdata = FEDTRIAGE_TESTDATA_DIR;
const std::string kTlsLog = "scenarios/tls-failure/loggingsnapshot_expe_2019-06-13.txt";
const std::string k504Log = "scenarios/unexplained-504/vcse_diagnostic_log.txt";

// The two back ends behind one set of tests: a SQLite file, or a fresh PostgreSQL database
// when the test server is up (FEDTRIAGE_TEST_PG; skipped otherwise).
class CaseIdentity : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (std::string(GetParam()) == "postgresql") {
      if (testing::pg_test_server() == nullptr) {
        GTEST_SKIP() << "no PostgreSQL test server (FEDTRIAGE_TEST_PG unset; "
                        "scripts/pg-test-server.sh starts one)";
      }
      pg_ = std::make_unique<testing::PgTestDb>();
      db_ = pg_->url();
    } else {
      db_ = dir_.path() + "/triage.db";
    }
  }

  std::vector<std::string> rows(const std::string& sql) {
    return pg_ ? testing::pg_rows(db_, sql) : testing::query_rows(db_, sql);
  }

  // Copies testdata file `from` into folder PARENT/input as `as` (default: its own name).
  std::string bundle(const std::string& parent, const std::string& from,
                     const std::string& as = "") {
    const fs::path folder = fs::path(dir_.path()) / parent / "input";
    fs::create_directories(folder);
    fs::copy_file(kTestdata + "/" + from,
                  folder / (as.empty() ? fs::path(from).filename() : fs::path(as)),
                  fs::copy_options::overwrite_existing);
    return folder.string();
  }

  testing::BinaryRun analyze(const std::vector<std::string>& paths) {
    std::vector<std::string> args{"analyze", "--db", db_};
    args.insert(args.end(), paths.begin(), paths.end());
    return run_binary(args);
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::PgTestDb> pg_;
  std::string db_;
};

// Two customers' folders, both called `input`, analysed weeks apart: two cases.
TEST_P(CaseIdentity, BundlesWithTheSameBaseNameNeverMerge) {
  const std::string a = bundle("customerA", kTlsLog);
  const std::string b = bundle("customerB", k504Log);
  ASSERT_EQ(analyze({a}).status, 0);
  const testing::BinaryRun second = analyze({b});
  ASSERT_EQ(second.status, 0) << second.err;
  EXPECT_NE(second.out.find("case customerB/input"), std::string::npos) << second.out;
  EXPECT_EQ(rows("SELECT name, origin FROM cases ORDER BY name"),
            (std::vector<std::string>{"customerB/input|" + fs::canonical(b).string(),
                                      "input|" + fs::canonical(a).string()}));
  EXPECT_EQ(rows("SELECT c.name, i.name FROM inputs i JOIN cases c ON c.id = i.case_id "
                 "ORDER BY c.name"),
            (std::vector<std::string>{"customerB/input|" + b + "/vcse_diagnostic_log.txt",
                                      "input|" + a + "/loggingsnapshot_expe_2019-06-13.txt"}));

  // The first bundle again, named another way: its own case, nothing read twice.
  const testing::BinaryRun again = analyze({dir_.path() + "/customerB/../customerA/input/"});
  EXPECT_EQ(again.status, 0) << again.err;
  EXPECT_NE(again.out.find("already stored"), std::string::npos) << again.out;
  EXPECT_EQ(rows("SELECT count(*) FROM cases"), std::vector<std::string>{"2"});
  EXPECT_EQ(rows("SELECT count(*) FROM inputs"), std::vector<std::string>{"2"});
}

// In one run: the second bundle is told apart by its parent folder.
TEST_P(CaseIdentity, OneRunTwoBundlesOfOneName) {
  const std::string a = bundle("customerA", kTlsLog);
  const std::string b = bundle("customerB", k504Log);
  const testing::BinaryRun r = analyze({a, b});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(rows("SELECT name FROM cases ORDER BY name"),
            (std::vector<std::string>{"customerB/input", "input"}));
  // --case merges on purpose.
  ASSERT_EQ(run_binary({"analyze", "--db", db_, "--case", "both", a, b}).status, 0);
  EXPECT_EQ(rows("SELECT count(*) FROM inputs i JOIN cases c ON c.id = i.case_id "
                 "WHERE c.name = 'both'"),
            std::vector<std::string>{"2"});
}

TEST_P(CaseIdentity, CasesAreListedInNaturalOrder) {
  const std::string a = bundle("a", kTlsLog);
  for (const char* name : {"case10", "case2", "case1"}) {
    ASSERT_EQ(run_binary({"analyze", "--db", db_, "--case", name, a}).status, 0);
  }
  const testing::BinaryRun cases = run_binary({"cases", "--db", db_});
  ASSERT_EQ(cases.status, 0) << cases.err;
  const size_t one = cases.out.find("case1 "), two = cases.out.find("case2 "),
               ten = cases.out.find("case10 ");
  ASSERT_NE(ten, std::string::npos) << cases.out;
  EXPECT_LT(one, two) << cases.out;
  EXPECT_LT(two, ten) << cases.out;
}

// A file of a folder case that changed since it was stored replaces its old version: its
// events, calls and findings are those of the new content only, as in a fresh database.
TEST_P(CaseIdentity, ChangedFileReplacesItsOldVersion) {
  const std::string folder = bundle("customerA", kTlsLog, "expressway.log");
  ASSERT_EQ(analyze({folder}).status, 0);
  bundle("customerA", k504Log, "expressway.log");  // the same file, rewritten
  const testing::BinaryRun second = analyze({folder});
  ASSERT_EQ(second.status, 0) << second.err;
  EXPECT_EQ(rows("SELECT count(*) FROM inputs"), std::vector<std::string>{"1"});
  EXPECT_EQ(rows("SELECT count(*) FROM source_files"), std::vector<std::string>{"1"});

  // The same content analysed into an empty SQLite file: the same events and calls.
  const std::string fresh = dir_.path() + "/fresh.db";
  ASSERT_EQ(run_binary({"analyze", "--db", fresh, folder}).status, 0);
  const std::string count_events = "SELECT count(*) FROM events";
  const std::string list_calls = "SELECT call_id FROM calls ORDER BY call_id";
  const std::string list_findings = "SELECT call_id, rule_id FROM findings ORDER BY 1, 2";
  EXPECT_EQ(rows(count_events), testing::query_rows(fresh, count_events));
  EXPECT_EQ(rows(list_calls), testing::query_rows(fresh, list_calls));
  EXPECT_EQ(rows(list_findings), testing::query_rows(fresh, list_findings));
}

// A run whose process died stays `running` only until the next run looks.
TEST_P(CaseIdentity, RunsWhoseProcessDiedAreMarkedInterrupted) {
  const std::string a = bundle("customerA", kTlsLog);
  ASSERT_EQ(analyze({a}).status, 0);
  const std::string me = current_process_identity();
  const std::string host = me.substr(0, me.find(' '));
  // A run of a process that is gone (SQLite: by its pid; PostgreSQL: nobody holds its lock),
  // and on SQLite one of a process still at work (this test).
  rows(
      "INSERT INTO runs(started_at, started_ms, tool_version, args, status, owner) VALUES "
      "('2026-01-01T00:00:00Z', 0, 'x', '[]', 'running', '" +
      host + " 999999999 1')");
  if (!pg_) {
    rows(
        "INSERT INTO runs(started_at, started_ms, tool_version, args, status, owner) VALUES "
        "('2026-01-01T00:00:00Z', 0, 'x', '[]', 'running', '" +
        me + "')");
  }
  ASSERT_EQ(analyze({bundle("customerB", k504Log)}).status, 0);
  std::vector<std::string> expected{"ok", "interrupted"};
  if (!pg_) expected.push_back("running");
  expected.push_back("ok");
  EXPECT_EQ(rows("SELECT status FROM runs ORDER BY id"), expected);
  // Every stored case has its run.
  EXPECT_EQ(rows("SELECT count(*) FROM cases WHERE run_id IS NULL"), std::vector<std::string>{"0"});
}

INSTANTIATE_TEST_SUITE_P(BothBackEnds, CaseIdentity, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return std::string(info.param); });

// The database of another user in a folder this user may not write (a shared folder, a
// read-only mount): read commands work, a write says why it cannot.
TEST(ReadOnlyDatabase, ReadCommandsWorkWhereNothingCanBeWritten) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to run the binary as user nobody";
  if (testing::run_shell("command -v setpriv").status != 0)
    GTEST_SKIP() << "setpriv (util-linux) is absent";
  testing::TempDir dir;
  const std::string folder = dir.path() + "/shared";
  fs::create_directories(folder);
  const std::string db = folder + "/triage.db";
  ASSERT_EQ(run_binary({"analyze", "--db", db, kTestdata + "/" + kTlsLog}).status, 0);
  const std::vector<std::string> calls =
      testing::query_rows(db, "SELECT call_id FROM calls ORDER BY call_id LIMIT 1");
  ASSERT_EQ(calls.size(), 1u);
  // Owned by root, readable by all, writable by none but root; the binary must be reachable.
  ::chmod(dir.path().c_str(), 0755);
  ::chmod(folder.c_str(), 0555);
  ::chmod(db.c_str(), 0444);
  const std::string as_nobody =
      "cd / && setpriv --reuid=65534 --regid=65534 --clear-groups \"" FEDTRIAGE_BINARY "\" ";
  if (testing::run_shell(as_nobody + "--version").status != 0) {
    ::chmod(folder.c_str(), 0755);
    GTEST_SKIP() << "user nobody cannot run the test binary (its folders are private)";
  }
  for (const std::string& command :
       {"cases --db " + db, "summary --db " + db, "calls --db " + db,
        "show " + calls[0] + " --db " + db, "report -o - --db " + db}) {
    const testing::BinaryRun r = testing::run_shell(as_nobody + command);
    EXPECT_EQ(r.status, 0) << command << "\n" << r.out;
    EXPECT_EQ(r.out.find("readonly"), std::string::npos) << command << "\n" << r.out;
  }
  const testing::BinaryRun write =
      testing::run_shell(as_nobody + "analyze --db " + db + " " + kTestdata + "/" + k504Log);
  EXPECT_EQ(write.status, 1) << write.out;
  EXPECT_NE(write.out.find("read-only for this user"), std::string::npos) << write.out;
  // Nothing was left beside the database.
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(folder)) names.push_back(e.path().filename());
  EXPECT_EQ(names, std::vector<std::string>{"triage.db"});
  ::chmod(folder.c_str(), 0755);
}

}  // namespace
}  // namespace fedtriage
