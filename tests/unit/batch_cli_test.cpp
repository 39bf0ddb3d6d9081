// `fedtriage analyze` over many bundles into one database, `cases` and `summary`: the real
// binary on bundles generated here from the scenario fixtures (each customer its own Call-ID
// and domain), incremental re-runs, resuming a killed batch, and the progress display.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

namespace fedtriage {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const std::string kBinary = FEDTRIAGE_BINARY;
const std::string kTestdata = FEDTRIAGE_TESTDATA_DIR;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

std::string quote(const std::string& s) {
  return "'" + replace_all(s, "'", "'\\''") + "'";
}

struct Result {
  int status = -1;
  std::string out, err;
};

class BatchCli : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("fedtriage_batch_cli_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(dir_ / "bundles");
    db_ = (dir_ / "batch.db").string();
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Runs a shell command line with the binary as $F; stdout and stderr to files.
  Result sh(const std::string& line) {
    const std::string out = (dir_ / "out.txt").string(), err = (dir_ / "err.txt").string();
    const std::string cmd = "export F=" + quote(kBinary) + "; " + line + " >" + quote(out) + " 2>" +
                            quote(err) + " </dev/null";
    const int rc = std::system(("bash -c " + quote(cmd)).c_str());
    Result r;
    r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
  }

  std::string paths(const std::vector<std::string>& ps) {
    std::string s;
    for (const std::string& p : ps) s += " " + quote(p);
    return s;
  }

  // A customer bundle folder: the srv-record-missing scenario with its own Call-ID and domain.
  std::string customer(const std::string& name, const std::string& domain) {
    std::string log = slurp(kTestdata + "/scenarios/srv-record-missing/Lync-UccApi-0.UccApiLog");
    log = replace_all(log, "0c7e5f1a2b3c4d5e6f708192a3b4c5d6", "call-of-" + name);
    log = replace_all(log, "nodns.example.com", domain);
    const fs::path folder = dir_ / "bundles" / name;
    fs::create_directories(folder / "client");
    std::ofstream(folder / "client" / "Lync-UccApi-0.UccApiLog", std::ios::binary) << log;
    return folder.string();
  }

  // The same, as NAME.tar.gz.
  std::string customer_archive(const std::string& name, const std::string& domain) {
    const std::string folder = customer(name, domain);
    const std::string archive = folder + ".tar.gz";
    EXPECT_EQ(
        std::system(("tar -czf " + quote(archive) + " -C " + quote(folder) + " client").c_str()),
        0);
    fs::remove_all(folder);
    return archive;
  }

  int64_t count(const std::string& sql) {
    sqlite3* db = nullptr;
    int64_t n = -1;
    if (sqlite3_open_v2(db_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_busy_timeout(db, 2000);
      sqlite3_stmt* s = nullptr;
      if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK &&
          sqlite3_step(s) == SQLITE_ROW) {
        n = sqlite3_column_int64(s, 0);
      }
      sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return n;
  }

  fs::path dir_;
  std::string db_;
};

TEST_F(BatchCli, SecondRunSkipsEverythingThirdReadsOnlyTheNewBundle) {
  std::vector<std::string> bundles = {customer("acme", "nodns.example.com"),
                                      customer_archive("globex", "nodns.example.com"),
                                      customer("initech", "other.example.org")};
  const std::string analyze = "\"$F\" analyze --color never --db " + quote(db_) + " --jobs 2";

  const auto t0 = Clock::now();
  Result first = sh(analyze + paths(bundles));
  const auto first_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  ASSERT_EQ(first.status, 0) << first.err;
  EXPECT_NE(first.out.find("== case acme ("), std::string::npos) << first.out;
  // PATH order, whatever finished first; the archive is named without its extension.
  EXPECT_LT(first.out.find("== case acme"), first.out.find("== case globex"));
  EXPECT_LT(first.out.find("== case globex"), first.out.find("== case initech"));
  EXPECT_NE(first.out.find(": 3 case(s) analysed, 0 already stored."), std::string::npos);

  const auto t1 = Clock::now();
  Result second = sh(analyze + paths(bundles));
  const auto second_ms = std::chrono::duration<double, std::milli>(Clock::now() - t1).count();
  ASSERT_EQ(second.status, 0) << second.err;
  EXPECT_NE(second.out.find(": 0 case(s) analysed, 3 already stored."), std::string::npos)
      << second.out;
  EXPECT_NE(second.out.find("== case globex (" + bundles[1] + "): already stored"),
            std::string::npos)
      << second.out;
  GTEST_LOG_(INFO) << "first run " << first_ms << " ms, second (all stored) " << second_ms << " ms";

  bundles.push_back(customer("umbrella", "nodns.example.com"));
  Result third = sh(analyze + paths(bundles));
  ASSERT_EQ(third.status, 0) << third.err;
  EXPECT_NE(third.out.find(": 1 case(s) analysed, 3 already stored."), std::string::npos)
      << third.out;
  EXPECT_NE(third.out.find("== case umbrella (" + bundles[3] + ")\n"), std::string::npos);
  EXPECT_EQ(count("SELECT count(*) FROM cases"), 4);
  EXPECT_EQ(count("SELECT count(*) FROM calls"), 4);
  EXPECT_EQ(count("SELECT count(*) FROM source_files"), 4);
  EXPECT_EQ(count("SELECT count(*) FROM runs WHERE status = 'ok'"), 3);

  Result cases = sh("\"$F\" cases --db " + quote(db_));
  ASSERT_EQ(cases.status, 0) << cases.err;
  EXPECT_EQ(cases.out.rfind("case      files  inputs  calls  failed  findings  analysed\n", 0), 0u)
      << cases.out;
  EXPECT_NE(cases.out.find("globex        1       1      1       1         1  20"),
            std::string::npos)
      << cases.out;

  // --case NAME --replace: that case again from scratch, nothing else touched.
  Result replaced = sh(analyze + " --case acme --replace " + quote(bundles[0]));
  ASSERT_EQ(replaced.status, 0) << replaced.err;
  EXPECT_NE(replaced.out.find("Stored in " + db_ + " (case acme)."), std::string::npos);
  EXPECT_EQ(count("SELECT count(*) FROM cases"), 4);
  EXPECT_EQ(count("SELECT count(*) FROM source_files"), 4);
}

TEST_F(BatchCli, AKilledBatchResumesWithEveryCaseStoredOnce) {
  std::vector<std::string> bundles;
  for (int i = 0; i < 60; ++i) {
    bundles.push_back(customer("c" + std::to_string(100 + i), "nodns.example.com"));
  }
  const std::string cmd = "\"$F\" analyze -q --db " + quote(db_) + " --jobs 2" + paths(bundles);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    setenv("F", kBinary.c_str(), 1);
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    execl("/bin/bash", "bash", "-c", ("exec " + cmd).c_str(), nullptr);
    _exit(127);
  }
  // Kill it (no chance to clean up) as soon as one case is committed.
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (Clock::now() < deadline && count("SELECT count(*) FROM cases") < 1) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  kill(pid, SIGKILL);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  const int64_t stored = count("SELECT count(*) FROM cases");
  EXPECT_TRUE(WIFSIGNALED(status)) << "the batch finished before the kill";
  EXPECT_GE(stored, 1);
  EXPECT_LT(stored, 60);

  Result again = sh(cmd);
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(count("SELECT count(*) FROM cases"), 60);
  EXPECT_EQ(count("SELECT count(*) FROM calls"), 60);
  EXPECT_EQ(count("SELECT count(*) FROM findings"), 60);
  EXPECT_EQ(count("SELECT count(*) FROM source_files"), 60);
  EXPECT_EQ(count("SELECT count(*) FROM (SELECT call_id FROM calls GROUP BY call_id "
                  "HAVING count(*) > 1)"),
            0);
}

TEST_F(BatchCli, SummaryFiguresOverGeneratedCustomers) {
  std::vector<std::string> bundles;
  for (int i = 0; i < 4; ++i) bundles.push_back(customer("same" + std::to_string(i), "a.example"));
  for (int i = 0; i < 2; ++i) {
    bundles.push_back(customer_archive("other" + std::to_string(i), "b.example"));
  }
  bundles.push_back(kTestdata + "/bundles/federation-failure.tar.gz");
  ASSERT_EQ(sh("\"$F\" analyze -q --db " + quote(db_) + paths(bundles)).status, 0);

  Result json = sh("\"$F\" summary --format json --db " + quote(db_));
  ASSERT_EQ(json.status, 0) << json.err;
  const nlohmann::json j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["cases"], 7);
  EXPECT_EQ(j["calls"], 6 + 6);
  EXPECT_EQ(j["failed_calls"], 6 + 4);
  EXPECT_EQ(j["findings"], 6 + 4);
  ASSERT_GE(j["rules"].size(), 3u);
  EXPECT_EQ(j["rules"][0]["rule_id"], "srv-record-missing");
  EXPECT_EQ(j["rules"][0]["findings"], 6);
  EXPECT_EQ(j["rules"][0]["cases"], 6);
  EXPECT_EQ(j["places"][0]["fields"]["domain"], "a.example");
  EXPECT_EQ(j["places"][0]["cases"], 4);
  EXPECT_EQ(j["places"][1]["fields"]["domain"], "b.example");
  EXPECT_EQ(j["places"][1]["case_names"], (std::vector<std::string>{"other0", "other1"}));
  const auto& per_case = j["per_case"];
  ASSERT_EQ(per_case.size(), 7u);
  EXPECT_EQ(per_case[0]["case"], "federation-failure");
  EXPECT_EQ(per_case[0]["failed_calls"], 4);
  EXPECT_EQ(per_case[0]["root_causes"]["srv-domain-mismatch"], 2);
  EXPECT_EQ(per_case[0]["root_causes"]["cert-fqdn-mismatch"], 2);

  Result csv = sh("\"$F\" summary --format csv --db " + quote(db_));
  ASSERT_EQ(csv.status, 0) << csv.err;
  EXPECT_NE(csv.out.find("total,,,,,12,10,10,7\n"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find("place,srv-record-missing,,domain=a.example,same3,,,4,4\n"),
            std::string::npos)
      << csv.out;

  Result text = sh("\"$F\" summary --db " + quote(db_));
  ASSERT_EQ(text.status, 0) << text.err;
  EXPECT_NE(text.out.find("srv-record-missing  domain=a.example\n    4 finding(s) in 4 case(s): "
                          "same0, same1, same2, same3\n"),
            std::string::npos)
      << text.out;

  EXPECT_EQ(sh("\"$F\" summary --db " + quote((dir_ / "missing.db").string())).status, 1);
  EXPECT_EQ(sh("\"$F\" summary --format xml --db " + quote(db_)).status, 2);
}

TEST_F(BatchCli, ProgressShowsOnATerminalOnly) {
  std::vector<std::string> bundles;
  for (int i = 0; i < 3; ++i) bundles.push_back(customer("p" + std::to_string(i), "a.example"));
  const std::string analyze = "\"$F\" analyze --db " + quote(db_) + " --jobs 1" + paths(bundles);
  if (std::system("command -v script >/dev/null 2>&1") != 0) GTEST_SKIP() << "no script(1)";
  // script(1) gives the command a terminal; its stdout is that terminal's output.
  Result tty = sh("script -qec " + quote(analyze + " >/dev/null") + " /dev/null");
  ASSERT_EQ(tty.status, 0) << tty.err;
  EXPECT_NE(tty.out.find("\r"), std::string::npos) << tty.out;
  EXPECT_NE(tty.out.find("3/3 files"), std::string::npos) << tty.out;
  EXPECT_NE(tty.out.find("MB/s"), std::string::npos) << tty.out;
  EXPECT_NE(tty.out.find("3 calls  3 findings  ETA 0:00"), std::string::npos) << tty.out;

  fs::remove(db_);
  Result file = sh(analyze);
  ASSERT_EQ(file.status, 0) << file.err;
  EXPECT_EQ(file.err.find("MB/s"), std::string::npos) << file.err;

  fs::remove(db_);
  Result quiet = sh("script -qec " + quote(analyze + " -q >/dev/null") + " /dev/null");
  ASSERT_EQ(quiet.status, 0) << quiet.err;
  EXPECT_EQ(quiet.out.find("MB/s"), std::string::npos) << quiet.out;
}

}  // namespace
}  // namespace fedtriage
