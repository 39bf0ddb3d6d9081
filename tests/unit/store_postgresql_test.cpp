// The PostgreSQL back end against a real server (tests/support/pg_test_db.h; skipped without
// one): the same rows as SQLite for every scenario, bundle and format folder of testdata/,
// several processes on overlapping bundles, a worker killed or cut off mid-case, and every
// refusal (server down, wrong password, no permission, another application's tables, a newer
// schema) with a clear message that names the server and never the password.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "lib/store/open_store.h"
#include "lib/store/postgresql/pg_connection.h"
#include "lib/store/postgresql/pg_text.h"
#include "tests/support/pg_test_db.h"
#include "tests/support/sqlite_rows.h"

namespace fedtriage {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using testing::PgTestDb;

const std::string kBinary = FEDTRIAGE_BINARY;
const std::string kTestdata = FEDTRIAGE_TESTDATA_DIR;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The password of a postgresql://USER:PASSWORD@ URL.
std::string password_of(const std::string& url) {
  const size_t start = url.find("://") + 3;
  const size_t at = url.find('@', start);
  const size_t colon = url.find(':', start);
  if (at == std::string::npos || colon == std::string::npos || colon > at) return "";
  return url.substr(colon + 1, at - colon - 1);
}

std::string with_password(const std::string& url, const std::string& user,
                          const std::string& password) {
  const size_t start = url.find("://") + 3;
  const size_t at = url.find('@', start);
  return url.substr(0, start) + user + ":" + password + url.substr(at);
}

struct CliRun {
  int status = -1;
  std::string out, err;
};

// What every comparison reads, in SQL both back ends run (no ids, no write times): rows
// are sorted by the test, so that no ORDER BY depends on a collation.
const std::vector<std::pair<std::string, std::string>> kTables = {
    {"cases", "SELECT name FROM cases"},
    {"inputs",
     "SELECT c.name, i.name, i.format, i.bytes, i.lines, i.events, i.sha256, i.skipped, "
     "i.skip_reason, i.problem_count FROM inputs i JOIN cases c ON c.id = i.case_id"},
    {"input_problems",
     "SELECT c.name, i.name, p.ordinal, p.severity, p.file, p.line, p.message FROM "
     "input_problems p JOIN inputs i ON i.id = p.input_id JOIN cases c ON c.id = i.case_id"},
    {"events",
     "SELECT c.name, i.name, e.seq, e.ts, e.ts_ms, e.basis, e.source, e.kind, e.file, e.line, "
     "e.host, e.call_id, e.cseq, e.method, e.status, e.reason_phrase, e.request_uri, "
     "e.direction, e.local, e.remote, e.summary, e.fields, e.ms_diagnostics, e.raw, "
     "CASE WHEN e.raw_zstd IS NULL THEN 0 ELSE 1 END, CASE WHEN e.text_id IS NULL THEN 0 ELSE 1 "
     "END "
     "FROM events e JOIN inputs i ON i.id = e.input_id JOIN cases c ON c.id = e.case_id"},
    {"calls",
     "SELECT cs.name, c.call_id, c.first_ts, c.first_ms, c.last_ts, c.last_ms, c.from_uri, "
     "c.from_display, c.to_uri, c.request_uri, c.method, c.final_status, c.final_reason, "
     "c.failed, c.sources, c.hosts, c.event_count, c.link_count, c.message_count "
     "FROM calls c JOIN cases cs ON cs.id = c.case_id"},
    {"call_links",
     "SELECT cs.name, c.call_id, l.ordinal, l.reason, i.name, e.line, e.kind, e.seq "
     "FROM call_links l JOIN calls c ON c.id = l.call_row JOIN cases cs ON cs.id = c.case_id "
     "JOIN events e ON e.id = l.event_id JOIN inputs i ON i.id = e.input_id"},
    {"findings",
     "SELECT cs.name, f.call_id, f.rule_id, r.sha256, f.title, f.severity, f.fields, "
     "f.root_cause, f.fix, f.related_rules FROM findings f JOIN cases cs ON cs.id = f.case_id "
     "LEFT JOIN rules r ON r.id = f.rule_row"},
    {"evidence",
     "SELECT cs.name, f.call_id, f.rule_id, ev.ordinal, ev.file, ev.line, ev.text, i.name, "
     "e.line, e.kind, e.seq FROM evidence ev JOIN findings f ON f.id = ev.finding_id "
     "JOIN cases cs ON cs.id = f.case_id LEFT JOIN events e ON e.id = ev.event_id "
     "LEFT JOIN inputs i ON i.id = e.input_id"},
    {"rules", "SELECT rule_id, title, severity, file, sha256 FROM rules"},
    {"conversations",
     "SELECT cs.name, v.call_id, v.conversation_id, v.leg FROM conversations v "
     "JOIN cases cs ON cs.id = v.case_id"},
    {"conversation_links",
     "SELECT cs.name, l.conversation_id, l.ordinal, l.call_a, l.call_b, l.key_kind, l.key_value "
     "FROM conversation_links l JOIN cases cs ON cs.id = l.case_id"},
    {"source_files",
     "SELECT c.name, s.name, s.sha256, s.bytes FROM source_files s "
     "JOIN cases c ON c.id = s.case_id"},
};

std::vector<std::string> sorted(std::vector<std::string> rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

class PgStore : public ::testing::Test {
 protected:
  void SetUp() override {
    FEDTRIAGE_NEED_PG();
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("fedtriage_pg_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(dir_);
    db_ = std::make_unique<PgTestDb>();
    url_ = db_->url();
  }
  void TearDown() override {
    db_.reset();
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  CliRun sh(const std::string& line, const std::string& tag = "run") {
    const std::string out = (dir_ / (tag + ".out")).string();
    const std::string err = (dir_ / (tag + ".err")).string();
    const std::string cmd = "export F=" + quote(kBinary) + "; " + line + " >" + quote(out) + " 2>" +
                            quote(err) + " </dev/null";
    const int rc = std::system(("bash -c " + quote(cmd)).c_str());
    return CliRun{WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, slurp(out), slurp(err)};
  }

  CliRun analyze(const std::string& db, const std::vector<std::string>& paths,
                 const std::string& extra = "") {
    std::string line = "\"$F\" analyze -q --db " + quote(db) + " " + extra;
    for (const std::string& p : paths) line += " " + quote(p);
    return sh(line);
  }

  std::vector<std::string> pg(const std::string& sql) { return testing::pg_rows(url_, sql); }
  int64_t pg_count(const std::string& sql) {
    const auto rows = pg(sql);
    return rows.empty() ? -1 : std::stoll(rows[0]);
  }

  // Every table read with the same SQL from both: equal row for row (SQLite's text made
  // storable as PostgreSQL stores it: U+FFFD for bytes that are not UTF-8).
  void expect_same_rows(const std::string& sqlite_path) {
    for (const auto& [table, sql] : kTables) {
      std::vector<std::string> lite = testing::query_rows(sqlite_path, sql);
      for (std::string& row : lite) row = pg::storable_copy(row);
      const std::vector<std::string> server = pg(sql);
      EXPECT_EQ(sorted(lite), sorted(server)) << "table " << table;
      // Some inputs have no problems, some cases no conversation of several legs.
      EXPECT_FALSE(server.empty() && table != "input_problems" && table != "conversation_links")
          << "table " << table << " empty";
    }
  }

  fs::path dir_;
  std::unique_ptr<PgTestDb> db_;
  std::string url_;
};

// Every scenario, bundle and format folder of testdata/, one case each.
std::vector<std::string> all_testdata() {
  std::vector<std::string> paths;
  for (const char* dir : {"scenarios", "bundles"}) {
    for (const auto& e : fs::directory_iterator(kTestdata + "/" + dir)) paths.push_back(e.path());
  }
  for (const char* dir : {"expressway", "edge", "client", "hostile", "report", "sip"}) {
    paths.push_back(kTestdata + "/" + dir);
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

TEST_F(PgStore, SameTablesAndColumnsAsSqlite) {
  const std::string lite = (dir_ / "a.db").string();
  ASSERT_EQ(sh("\"$F\" db init --db " + quote(lite)).status, 0);
  CliRun init = sh("\"$F\" db init --db " + quote(url_));
  ASSERT_EQ(init.status, 0) << init.err;
  const auto lite_cols =
      testing::query_rows(lite,
                          "SELECT m.name, p.name FROM sqlite_schema m, pragma_table_info(m.name) p "
                          "WHERE m.type = 'table'");
  const auto pg_cols =
      pg("SELECT table_name, column_name FROM information_schema.columns "
         "WHERE table_schema = current_schema()");
  EXPECT_EQ(sorted(lite_cols), sorted(pg_cols));
  EXPECT_EQ(
      pg("SELECT key, value FROM meta WHERE key IN ('application', 'schema_version') "
         "ORDER BY key"),
      (std::vector<std::string>{"application|fedtriage",
                                "schema_version|" + std::to_string(Store::schema_version())}));
  // Deleting a case cascades as in SQLite.
  ASSERT_EQ(analyze(url_, {kTestdata + "/scenarios/tls-failure"}).status, 0);
  pg("DELETE FROM cases");
  for (const char* t :
       {"inputs", "events", "calls", "call_links", "findings", "evidence", "conversations"}) {
    EXPECT_EQ(pg_count(std::string("SELECT count(*) FROM ") + t), 0) << t;
  }
}

TEST_F(PgStore, EveryTestdataCaseStoresTheSameRowsAsSqlite) {
  const std::string lite = (dir_ / "ref.db").string();
  const std::vector<std::string> paths = all_testdata();
  const CliRun a = analyze(lite, paths);
  const CliRun b = analyze(url_, paths);
  EXPECT_EQ(a.status, b.status) << a.err << "\n---\n" << b.err;
  EXPECT_NE(b.status, 1) << b.err;
  expect_same_rows(lite);

  // The commands that read: byte-identical output from both.
  for (const char* cmd : {"summary --format json", "summary", "report -o /dev/stdout"}) {
    const CliRun x = sh("\"$F\" " + std::string(cmd) + " --db " + quote(lite), "x");
    const CliRun y = sh("\"$F\" " + std::string(cmd) + " --db " + quote(url_), "y");
    EXPECT_EQ(x.status, 0) << cmd << x.err;
    EXPECT_EQ(y.status, 0) << cmd << y.err;
    if (std::string(cmd).starts_with("report")) continue;  // hostile bytes differ; see below
    EXPECT_EQ(x.out, y.out) << cmd;
  }

  // Through the Store interface: every call with its events, findings and evidence.
  std::string error;
  auto s1 = open_store(lite, &error);
  ASSERT_TRUE(s1) << error;
  auto s2 = open_store(url_, &error);
  ASSERT_TRUE(s2) << error;
  const auto c1 = s1->list_calls(CallQuery{}, &error);
  const auto c2 = s2->list_calls(CallQuery{}, &error);
  ASSERT_EQ(c1.size(), c2.size());
  ASSERT_FALSE(c1.empty());
  const auto clean = [](const std::string& s) { return pg::storable_copy(s); };
  for (size_t i = 0; i < c1.size(); ++i) {
    EXPECT_EQ(c1[i].case_name, c2[i].case_name);
    EXPECT_EQ(c1[i].call_id, c2[i].call_id);
    EXPECT_EQ(c1[i].rule_ids, c2[i].rule_ids);
    EXPECT_EQ(c1[i].final_status, c2[i].final_status);
    EXPECT_EQ(c1[i].event_count, c2[i].event_count);
    const auto a1 = s1->load_call(c1[i].call_id, c1[i].case_name, &error);
    const auto a2 = s2->load_call(c2[i].call_id, c2[i].case_name, &error);
    ASSERT_TRUE(a1 && a2) << error;
    ASSERT_EQ(a1->events.size(), a2->events.size()) << c1[i].call_id;
    for (size_t k = 0; k < a1->events.size(); ++k) {
      const StoredEvent &x = a1->events[k], &y = a2->events[k];
      EXPECT_EQ(x.ts_ms, y.ts_ms);
      EXPECT_EQ(x.origin.file, y.origin.file);
      EXPECT_EQ(x.origin.line, y.origin.line);
      EXPECT_EQ(x.kind, y.kind);
      EXPECT_EQ(x.status, y.status);
      EXPECT_EQ(clean(x.summary), y.summary);
      EXPECT_EQ(clean(x.raw), y.raw);
      EXPECT_EQ(x.fields.size(), y.fields.size());
      EXPECT_EQ(x.link_reason, y.link_reason);
    }
    ASSERT_EQ(a1->findings.size(), a2->findings.size());
    for (size_t k = 0; k < a1->findings.size(); ++k) {
      const StoredFinding &x = a1->findings[k], &y = a2->findings[k];
      EXPECT_EQ(x.rule_id, y.rule_id);
      EXPECT_EQ(x.fields, y.fields);
      EXPECT_EQ(x.root_cause, y.root_cause);
      EXPECT_EQ(x.related_rules, y.related_rules);
      ASSERT_EQ(x.evidence.size(), y.evidence.size());
      for (size_t e = 0; e < x.evidence.size(); ++e) {
        EXPECT_EQ(clean(x.evidence[e].text), y.evidence[e].text);
        EXPECT_EQ(x.evidence[e].line, y.evidence[e].line);
        EXPECT_EQ(x.evidence[e].event_id != 0, y.evidence[e].event_id != 0);
      }
    }
    // The same conversation, legs and links.
    const auto v1 = s1->load_conversation(c1[i].call_id, c1[i].case_name, &error);
    const auto v2 = s2->load_conversation(c2[i].call_id, c2[i].case_name, &error);
    ASSERT_TRUE(v1 && v2) << c1[i].call_id << error;
    EXPECT_EQ(v1->id, v2->id);
    EXPECT_EQ(v1->call_ids, v2->call_ids);
    ASSERT_EQ(v1->links.size(), v2->links.size());
    for (size_t k = 0; k < v1->links.size(); ++k) {
      EXPECT_EQ(v1->links[k].key, v2->links[k].key);
      EXPECT_EQ(v1->links[k].value, v2->links[k].value);
    }
    // `show` prints the same call the same way (hostile bytes aside).
    if (c1[i].case_name.find("hostile") == std::string::npos) {
      const std::string args = " show --width 100 --case " + quote(c1[i].case_name) + " " +
                               quote(c1[i].call_id) + " --db ";
      EXPECT_EQ(sh("\"$F\"" + args + quote(lite), "x").out,
                sh("\"$F\"" + args + quote(url_), "y").out)
          << c1[i].call_id;
    }
  }
  const auto sum1 = s1->summary("", &error);
  const auto sum2 = s2->summary("", &error);
  ASSERT_TRUE(sum1 && sum2);
  EXPECT_EQ(sum1->events, sum2->events);
  EXPECT_EQ(sum1->findings, sum2->findings);
  EXPECT_EQ(sum1->findings_by_rule.size(), sum2->findings_by_rule.size());
  EXPECT_EQ(sum1->conversations, sum2->conversations);
  EXPECT_EQ(sum1->multi_leg_conversations, sum2->multi_leg_conversations);
  EXPECT_EQ(s1->list_conversation_ids("", &error), s2->list_conversation_ids("", &error));

  // Again: nothing new is read; with --replace everything is re-stored, nothing twice.
  const CliRun again1 = analyze(lite, paths);
  const CliRun again2 = analyze(url_, paths);
  EXPECT_EQ(again1.status, again2.status) << again2.err;
  EXPECT_NE(again2.out.find("0 case(s) analysed"), std::string::npos) << again2.out;
  expect_same_rows(lite);
  ASSERT_EQ(analyze(lite, paths, "--replace").status, a.status);
  ASSERT_EQ(analyze(url_, paths, "--replace").status, b.status);
  expect_same_rows(lite);
}

TEST_F(PgStore, ManyProcessesOnOverlappingBundlesStoreEachCaseOnce) {
  const std::string lite = (dir_ / "ref.db").string();
  std::vector<std::string> paths;
  for (const auto& e : fs::directory_iterator(kTestdata + "/scenarios")) paths.push_back(e.path());
  paths.push_back(kTestdata + "/bundles/federation-failure.tar.gz");
  paths.push_back(kTestdata + "/expressway");
  std::sort(paths.begin(), paths.end());
  ASSERT_EQ(analyze(lite, paths).status, 0);

  // Five processes at once on an empty database (they also create the schema together),
  // each given an overlapping, rotated list.
  std::string line;
  for (int p = 0; p < 5; ++p) {
    std::vector<std::string> mine = paths;
    std::rotate(mine.begin(), mine.begin() + p % mine.size(), mine.end());
    if (p % 2) mine.resize(mine.size() - 1);
    line += "\"$F\" analyze -q --jobs 2 --db " + quote(url_);
    for (const std::string& m : mine) line += " " + quote(m);
    line += " > /dev/null 2>" + quote((dir_ / ("w" + std::to_string(p))).string()) + " & ";
  }
  const CliRun all =
      sh(line + "fail=0; for j in $(jobs -p); do wait $j || fail=1; done; exit $fail");
  for (int p = 0; p < 5; ++p) EXPECT_EQ(slurp((dir_ / ("w" + std::to_string(p))).string()), "");
  ASSERT_EQ(all.status, 0);
  expect_same_rows(lite);
  EXPECT_EQ(pg_count("SELECT count(*) FROM runs WHERE status = 'ok'"), 5);
}

// Holds a lock that a case write needs at its very end (source_files), so that a worker is
// caught mid-case, everything else of the case written inside its transaction.
class CaseBlocker {
 public:
  explicit CaseBlocker(const std::string& url) : db_(url, "test") {
    db_.exec("BEGIN");
    db_.exec("LOCK TABLE source_files IN SHARE MODE");
  }
  // The backend pid of a fedtriage worker waiting for the lock (0 after a timeout).
  int64_t wait_for_blocked_worker(const std::string& url) {
    pg::Connection watch(url, "test");
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (Clock::now() < deadline) {
      pg::Result r = watch.exec(
          "SELECT pid FROM pg_stat_activity WHERE application_name = 'fedtriage' "
          "AND datname = current_database() AND wait_event_type = 'Lock'");
      if (r.rows()) return r.int64(0, 0);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return 0;
  }
  pg::Connection& db() { return db_; }
  void release() { db_.exec("COMMIT"); }

 private:
  pg::Connection db_;
};

void wait_for_no_workers(const std::string& url) {
  pg::Connection watch(url, "test");
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < deadline &&
         watch.exec("SELECT 1 FROM pg_stat_activity WHERE application_name = 'fedtriage' "
                    "AND datname = current_database()")
                 .rows() > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

TEST_F(PgStore, KilledMidCaseLeavesNothingAndTheRerunTakesOver) {
  const std::string lite = (dir_ / "ref.db").string();
  const std::vector<std::string> paths = {kTestdata + "/bundles/federation-failure.tar.gz",
                                          kTestdata + "/scenarios/tls-failure"};
  ASSERT_EQ(analyze(lite, paths).status, 0);
  ASSERT_EQ(sh("\"$F\" db init --db " + quote(url_)).status, 0);
  CaseBlocker blocker(url_);
  std::vector<std::string> args = {"analyze", "-q", "--jobs", "1", "--db", url_};
  args.insert(args.end(), paths.begin(), paths.end());
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::vector<char*> argv{const_cast<char*>(kBinary.c_str())};
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    freopen("/dev/null", "w", stdout);
    execv(kBinary.c_str(), argv.data());
    _exit(127);
  }
  const int64_t backend = blocker.wait_for_blocked_worker(url_);
  EXPECT_NE(backend, 0) << "no worker reached the end of its case";
  kill(pid, SIGKILL);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFSIGNALED(status));
  blocker.release();
  wait_for_no_workers(url_);
  for (const char* t : {"cases", "inputs", "events", "calls", "findings", "source_files"}) {
    EXPECT_EQ(pg_count(std::string("SELECT count(*) FROM ") + t), 0) << t;
  }
  const CliRun again = analyze(url_, paths);
  ASSERT_EQ(again.status, 0) << again.err;
  expect_same_rows(lite);
}

TEST_F(PgStore, ConnectionLostMidCaseFailsThatCaseOnly) {
  const std::vector<std::string> paths = {kTestdata + "/bundles/federation-failure.tar.gz",
                                          kTestdata + "/scenarios/tls-failure"};
  ASSERT_EQ(sh("\"$F\" db init --db " + quote(url_)).status, 0);
  CaseBlocker blocker(url_);
  std::thread run([&] {
    const CliRun r = analyze(url_, paths, "--jobs 1");
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_NE(r.err.find("connection"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("@127.0.0.1:"), std::string::npos) << r.err;  // names the server
    EXPECT_EQ(r.err.find(password_of(url_)), std::string::npos) << r.err;
  });
  const int64_t backend = blocker.wait_for_blocked_worker(url_);
  EXPECT_NE(backend, 0);
  blocker.db().exec("SELECT pg_terminate_backend(" + std::to_string(backend) + ")");
  blocker.release();
  run.join();
  // The cut-off case left nothing; the next one was stored on a new connection.
  EXPECT_EQ(pg("SELECT name FROM cases"), std::vector<std::string>{"tls-failure"});
  EXPECT_EQ(pg_count("SELECT count(*) FROM inputs i JOIN cases c ON c.id = i.case_id "
                     "WHERE c.name = 'federation-failure'"),
            0);
  const CliRun again = analyze(url_, paths);
  EXPECT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(pg_count("SELECT count(*) FROM cases"), 2);
}

class PgRefusals : public PgStore {
 protected:
  // The run failed with exit 1 and a message that names the server, not the password.
  void expect_refused(const CliRun& r, const std::string& password, const std::string& what) {
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_NE(r.err.find("postgresql://"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("127.0.0.1"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
    if (!password.empty()) {
      EXPECT_EQ(r.err.find(password), std::string::npos) << r.err;
      EXPECT_EQ(r.out.find(password), std::string::npos) << r.out;
    }
  }
  std::vector<std::string> tables() {
    return sorted(
        pg("SELECT table_name FROM information_schema.tables "
           "WHERE table_schema = current_schema()"));
  }
  const std::string scenario = kTestdata + "/scenarios/tls-failure";
};

TEST_F(PgRefusals, ServerDown) {
  // Port 1 on the loopback: nothing listens there.
  const std::string url = "postgresql://postgres:hunter2-secret@127.0.0.1:1/fedtriage";
  expect_refused(analyze(url, {scenario}), "hunter2-secret", "cannot connect");
  expect_refused(sh("\"$F\" show x --db " + quote(url)), "hunter2-secret", "cannot connect");
  expect_refused(sh("\"$F\" db status --db " + quote(url)), "hunter2-secret", "cannot connect");
}

TEST_F(PgRefusals, WrongPassword) {
  const std::string url = with_password(url_, "postgres", "wrong-secret-42");
  expect_refused(analyze(url, {scenario}), "wrong-secret-42", "password authentication failed");
  EXPECT_TRUE(tables().empty());
}

TEST_F(PgRefusals, NoPermission) {
  // A role that may connect but not create tables (PostgreSQL 15: public belongs to the
  // database owner), then one that may read but not write.
  const std::string role = "ft_" + db_->name().substr(8);
  pg("CREATE ROLE " + role + " LOGIN PASSWORD 'role-secret-7'");
  const std::string url = with_password(url_, role, "role-secret-7");
  expect_refused(analyze(url, {scenario}), "role-secret-7", "permission denied");
  EXPECT_TRUE(tables().empty());

  ASSERT_EQ(analyze(url_, {kTestdata + "/scenarios/srv-record-missing"}).status, 0);
  pg("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);
  const int64_t events = pg_count("SELECT count(*) FROM events");
  expect_refused(analyze(url, {scenario}), "role-secret-7", "permission denied");
  EXPECT_EQ(pg_count("SELECT count(*) FROM events"), events);
  EXPECT_EQ(pg("SELECT name FROM cases"), std::vector<std::string>{"srv-record-missing"});
  // Reading is allowed.
  const CliRun viewer = sh("\"$F\" cases --db " + quote(url));
  EXPECT_EQ(viewer.status, 0) << viewer.err;
  EXPECT_NE(viewer.out.find("srv-record-missing"), std::string::npos);
  pg("DROP OWNED BY " + role);
  pg("DROP ROLE " + role);
}

TEST_F(PgRefusals, DatabaseOfAnotherApplication) {
  pg("CREATE TABLE customers (id int PRIMARY KEY, name text)");
  pg("INSERT INTO customers VALUES (1, 'x')");
  expect_refused(analyze(url_, {scenario}), password_of(url_), "another application");
  expect_refused(sh("\"$F\" db init --db " + quote(url_)), password_of(url_),
                 "another application");
  EXPECT_EQ(sh("\"$F\" db status --db " + quote(url_)).status, 1);
  EXPECT_EQ(tables(), std::vector<std::string>{"customers"});
  EXPECT_EQ(pg_count("SELECT count(*) FROM customers"), 1);
}

TEST_F(PgRefusals, NewerSchema) {
  ASSERT_EQ(analyze(url_, {scenario}).status, 0);
  pg("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
  const auto before = pg("SELECT count(*) FROM events");
  expect_refused(analyze(url_, {kTestdata + "/scenarios/srv-record-missing"}), password_of(url_),
                 "newer than this fedtriage supports");
  expect_refused(sh("\"$F\" cases --db " + quote(url_)), password_of(url_), "newer");
  EXPECT_EQ(pg("SELECT count(*) FROM events"), before);
  EXPECT_EQ(pg("SELECT value FROM meta WHERE key = 'schema_version'"),
            std::vector<std::string>{"99"});
}

TEST_F(PgStore, OlderSchemaIsMigrated) {
  ASSERT_EQ(sh("\"$F\" db init --db " + quote(url_)).status, 0);
  // A real version 1 schema: no source_files (v2), no conversations (v3), no cases.origin nor
  // runs.owner (v4), no compressed raw text (v5), no calls.outcome (v6), no event_texts (v7).
  pg("DROP TABLE source_files");
  pg("ALTER TABLE cases DROP COLUMN origin");
  pg("ALTER TABLE runs DROP COLUMN owner");
  pg("DROP TABLE conversations");
  pg("DROP TABLE conversation_links");
  pg("DROP TABLE raw_dicts");
  pg("ALTER TABLE events DROP COLUMN raw_zstd, DROP COLUMN raw_dict");
  pg("CREATE INDEX events_file_line ON events(file, line)");
  pg("ALTER TABLE calls DROP COLUMN outcome");
  pg("DROP TABLE event_texts");
  pg("ALTER TABLE events DROP COLUMN text_id, DROP COLUMN text_at, DROP COLUMN raw_len");
  pg("CREATE INDEX events_call_id ON events(call_id)");
  pg("UPDATE meta SET value = '1' WHERE key = 'schema_version'");
  const CliRun status = sh("\"$F\" db status --db " + quote(url_));
  EXPECT_EQ(status.status, 0);
  EXPECT_NE(status.out.find("version 1"), std::string::npos) << status.out;
  ASSERT_EQ(analyze(url_, {kTestdata + "/scenarios/tls-failure"}).status, 0);
  EXPECT_EQ(pg("SELECT value FROM meta WHERE key = 'schema_version'"),
            std::vector<std::string>{std::to_string(Store::schema_version())});
  EXPECT_EQ(pg_count("SELECT count(*) FROM source_files"), 1);
  EXPECT_EQ(pg_count("SELECT count(*) FROM conversations"), 1);
}

TEST_F(PgStore, PasswordNeverShownNorRecordedAndFedtriageDbIsTheDefault) {
  const std::string secret = password_of(url_);
  ASSERT_FALSE(secret.empty());
  const CliRun r =
      sh("\"$F\" analyze --db=" + quote(url_) + " " + quote(kTestdata + "/scenarios/tls-failure"));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.find(secret), std::string::npos);
  EXPECT_EQ(r.err.find(secret), std::string::npos);
  EXPECT_NE(r.out.find("Stored in postgresql://postgres@127.0.0.1:"), std::string::npos) << r.out;
  const auto args = pg("SELECT args FROM runs");
  ASSERT_EQ(args.size(), 1u);
  EXPECT_EQ(args[0].find(secret), std::string::npos) << args[0];
  EXPECT_NE(args[0].find("--db=postgresql://postgres@127.0.0.1:"), std::string::npos) << args[0];

  const CliRun cases = sh("FEDTRIAGE_DB=" + quote(url_) + " \"$F\" cases");
  EXPECT_EQ(cases.status, 0) << cases.err;
  EXPECT_NE(cases.out.find("tls-failure"), std::string::npos) << cases.out;
  const CliRun status = sh("FEDTRIAGE_DB=" + quote(url_) + " \"$F\" db status");
  EXPECT_EQ(status.status, 0) << status.err;
  EXPECT_NE(status.out.find("fedtriage version " + std::to_string(Store::schema_version())),
            std::string::npos)
      << status.out;
  EXPECT_EQ(status.out.find(secret), std::string::npos);
  // libpq's environment: the password from PGPASSWORD rather than the URL.
  const std::string no_password = displayable_db(url_);
  const CliRun env = sh("PGPASSWORD=" + quote(secret) + " \"$F\" cases --db " + quote(no_password));
  EXPECT_EQ(env.status, 0) << env.err;
  EXPECT_NE(env.out.find("tls-failure"), std::string::npos) << env.out;
}

TEST(DisplayableDb, DropsThePasswordWhereverTheUrlHasIt) {
  EXPECT_EQ(displayable_db("postgresql://u:pw@h:5432/db"), "postgresql://u@h:5432/db");
  EXPECT_EQ(displayable_db("postgres://u:p%40w@h/db?sslmode=require"),
            "postgres://u@h/db?sslmode=require");
  EXPECT_EQ(displayable_db("postgresql://u@h/db?password=pw&sslmode=require"),
            "postgresql://u@h/db?sslmode=require");
  EXPECT_EQ(displayable_db("postgresql://h/db?sslmode=require&password=pw"),
            "postgresql://h/db?sslmode=require");
  EXPECT_EQ(displayable_db("cases.db"), "cases.db");
}

TEST(PgText, StorableTextAndCopyEscapes) {
  EXPECT_TRUE(pg::storable("plain ascii \t and é"));
  EXPECT_FALSE(pg::storable(std::string("nul\0byte", 8)));
  EXPECT_FALSE(pg::storable("bad \xC3 byte"));
  EXPECT_EQ(pg::storable_copy("bad \xC3 byte"), "bad \xEF\xBF\xBD byte");
  std::string out;
  pg::append_copy_field(out, "a\\b\tc\nd\re");
  EXPECT_EQ(out, "a\\\\b\\tc\\nd\\re");
  EXPECT_EQ(pg::text_array({"a", "b\"c", "d\\e"}), "{\"a\",\"b\\\"c\",\"d\\\\e\"}");
}

}  // namespace
}  // namespace fedtriage
