#include "lib/store/open_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>
#include <zstd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/sqlite_rows.h"

namespace fedtriage {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test, removed afterwards.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("fedtriage_store_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(dir_);
    path_ = (dir_ / "analysis.db").string();
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::unique_ptr<Store> open_db(const StoreOptions& options = {}) {
    std::string error;
    auto store = fedtriage::open_store(path_, options, &error);
    EXPECT_TRUE(store) << error;
    return store;
  }

  // Rows as "a|b|c" strings, read with a plain sqlite3 connection.
  std::vector<std::string> query(const std::string& sql) { return testing::query_rows(path_, sql); }

  std::string count(const std::string& table) {
    auto rows = query("SELECT count(*) FROM " + table);
    return rows.empty() ? "?" : rows[0];
  }

  fs::path dir_;
  std::string path_;
};

// One realistic analysis: a Lync client calls through Edge and Expressway; the call fails
// with 504 because Edge finds no SRV record for the domain. A second call succeeds.
struct Analysis {
  std::vector<InputRecord> inputs;
  std::vector<Event> events;
  std::vector<Call> calls;
  std::vector<Finding> findings;
  std::vector<RuleInfo> rules;
};

constexpr const char* kExp = "bundle.tar.gz!/loggingsnapshot.txt";
constexpr const char* kEdge = "bundle.tar.gz!/edge/CLS_0001.log";
constexpr const char* kClient = "bundle.tar.gz!/Tracing/Lync-UccApi-0.UccApilog";
constexpr const char* kFailedCall = "a1b2c3@10.0.0.5";
constexpr const char* kOkCall = "ok-77@10.0.0.5";
constexpr int64_t kT0 = 1488438646240;  // 2017-03-02T07:10:46.240Z

Event sip_event(Source source, const char* file, uint64_t line, int64_t ts, const char* call_id,
                bool request, int status, Direction direction) {
  Event e;
  e.ts_ms = ts;
  e.source = source;
  e.kind = EventKind::Sip;
  e.origin = {file, line};
  e.host = source == Source::Client ? "PC-042" : "edge01.example.com";
  e.call_id = call_id;
  e.cseq = "1 INVITE";
  e.direction = direction;
  e.local = "10.0.0.5:5061";
  e.remote = "192.0.2.10:5061";
  SipMessage m;
  m.is_request = request;
  m.method = "INVITE";
  m.call_id = call_id;
  m.cseq_number = 1;
  m.cseq_method = "INVITE";
  if (request) {
    m.request_uri = "sip:alice@cms.steven.lab";
    e.raw = "INVITE sip:alice@cms.steven.lab SIP/2.0\r\nCall-ID: " + std::string(call_id) +
            "\r\nCSeq: 1 INVITE\r\n\r\n";
    e.summary = "INVITE sip:alice@cms.steven.lab";
  } else {
    m.status_code = status;
    m.reason_phrase = status == 504 ? "Server time-out" : "OK";
    MsDiagnostic d;
    d.code = 1046;
    d.reason = "Failed to connect to a federated peer server";
    d.params = {{"domain", "cms.steven.lab"}, {"source", "edge01.example.com"}};
    if (status == 504) m.ms_diagnostics.push_back(d);
    e.raw = "SIP/2.0 " + std::to_string(status) + " " + m.reason_phrase +
            "\r\nCall-ID: " + std::string(call_id) + "\r\n\r\n";
    e.summary = std::to_string(status) + " " + m.reason_phrase;
  }
  e.sip = m;
  return e;
}

Analysis sample() {
  Analysis a;
  InputRecord exp{kExp, "expressway", 4096, 80, 3, std::string(64, 'a'), {}, false, ""};
  InputRecord edge{kEdge, "edge", 8192, 120, 2, std::string(64, 'b'), {}, false, ""};
  InputRecord client{kClient, "client", 2048, 40, 1, std::string(64, 'c'), {}, false, ""};
  client.problems.push_back({Problem::Severity::Warning, kClient, 17, "truncated record"});
  InputRecord junk{
      "bundle.tar.gz!/readme.pdf", "unknown", 100, 0, 0, std::string(64, 'd'), {}, true,
      "not a known log format"};
  a.inputs = {exp, edge, client, junk};

  // 0..4 the failed call, 5..6 the good one.
  a.events.push_back(
      sip_event(Source::Client, kClient, 10, kT0, kFailedCall, true, 0, Direction::Out));
  a.events.push_back(
      sip_event(Source::Edge, kEdge, 20, kT0 + 15, kFailedCall, true, 0, Direction::In));
  Event diag;
  diag.ts_ms = kT0 + 20;
  diag.source = Source::Edge;
  diag.kind = EventKind::Diagnostic;
  diag.origin = {kEdge, 31};
  diag.host = "edge01.example.com";
  diag.call_id = kFailedCall;
  diag.fields = {{"Result-Code", "0xC3E93C7F"}, {"domain", "cms.steven.lab"}, {"Level", "ERROR"}};
  diag.summary = "SRV lookup for _sipfederationtls._tcp.cms.steven.lab failed";
  diag.raw =
      "TL_ERROR(TF_DIAG) [edge01]...\nResult-Code: 0xC3E93C7F\nData: domain=\"cms.steven.lab\"";
  a.events.push_back(diag);
  Event call_event;
  call_event.ts_ms = kT0 + 30;
  call_event.source = Source::Expressway;
  call_event.kind = EventKind::CallEvent;
  call_event.origin = {kExp, 44};
  call_event.host = "vcse01";
  call_event.fields = {{"Event", "Call Attempted"}, {"Call-serial-number", "6b2a"}};
  call_event.summary = "Call Attempted";
  call_event.raw = "2017-03-02T07:10:46.270+00:00 vcse01 tvcs: Event=\"Call Attempted\"";
  a.events.push_back(call_event);
  a.events.push_back(
      sip_event(Source::Client, kClient, 25, kT0 + 40, kFailedCall, false, 504, Direction::In));
  a.events.push_back(
      sip_event(Source::Expressway, kExp, 60, kT0 + 1000, kOkCall, true, 0, Direction::In));
  a.events.push_back(
      sip_event(Source::Expressway, kExp, 70, kT0 + 1200, kOkCall, false, 200, Direction::Out));

  Call failed;
  failed.call_id = kFailedCall;
  failed.first_ms = kT0;
  failed.last_ms = kT0 + 40;
  failed.from_uri = "sip:bob@lync.example.com";
  failed.from_display = "Bob";
  failed.to_uri = "sip:alice@cms.steven.lab";
  failed.request_uri = "sip:alice@cms.steven.lab";
  failed.method = "INVITE";
  failed.final_status = 504;
  failed.outcome = Outcome::Failed;
  failed.phase = CallPhase::Setup;
  failed.failure_status = 504;
  failed.final_reason = "Server time-out";
  failed.sources = {Source::Expressway, Source::Edge, Source::Client};
  failed.hosts = {"PC-042", "edge01.example.com", "vcse01"};
  failed.events = {0, 1, 2, 4};
  failed.links = {{3, "Call-serial-number 6b2a = Via proxy-call-id"}};
  failed.messages = {{{0, 1}, "INVITE 1"}, {{4}, "504 1"}};
  Call ok;
  ok.call_id = kOkCall;
  ok.first_ms = kT0 + 1000;
  ok.last_ms = kT0 + 1200;
  ok.method = "INVITE";
  ok.final_status = 200;
  ok.final_reason = "OK";
  ok.sources = {Source::Expressway};
  ok.hosts = {"edge01.example.com"};
  ok.events = {5, 6};
  a.calls = {failed, ok};

  Finding f;
  f.call_id = kFailedCall;
  f.rule_id = "srv-record-missing";
  f.title = "Edge finds no federation SRV record";
  f.severity = FindingSeverity::Error;
  f.fields = {{"domain", "cms.steven.lab"}, {"fqdn", "_sipfederationtls._tcp.cms.steven.lab"}};
  f.root_cause = "No _sipfederationtls._tcp SRV record for cms.steven.lab";
  f.fix = "Publish the SRV record, or add the domain as a federated partner";
  f.related_rules = {"unexplained-504"};
  f.evidence = {{2, kEdge, 31, "Result-Code: 0xC3E93C7F"},
                {4, kClient, 25, "SIP/2.0 504 Server time-out"}};
  a.findings = {f};
  a.rules = {{"srv-record-missing", f.title, FindingSeverity::Error,
              "rules/srv-record-missing.yaml", std::string(64, 'e')}};
  return a;
}

bool write(Store& store, const std::string& case_name, const Analysis& a, std::string* error,
           const WriteOptions& options = {}) {
  return store.write_analysis(case_name, a.inputs, a.events, a.calls, a.findings, a.rules, options,
                              error);
}

TEST_F(StoreTest, RoundTripOfARealisticAnalysis) {
  auto store = open_db();
  ASSERT_TRUE(store);
  std::string error;
  Analysis a = sample();
  ASSERT_TRUE(write(*store, "case-1", a, &error)) << error;

  auto call = store->load_call(kFailedCall, "", &error);
  ASSERT_TRUE(call) << error;
  EXPECT_EQ(call->call.case_name, "case-1");
  EXPECT_EQ(call->call.final_status, 504);
  EXPECT_TRUE(call->call.failed());
  EXPECT_EQ(call->call.final_reason, "Server time-out");
  EXPECT_EQ(call->call.from_display, "Bob");
  EXPECT_EQ(call->call.sources,
            (std::vector<Source>{Source::Expressway, Source::Edge, Source::Client}));
  EXPECT_EQ(call->call.hosts, a.calls[0].hosts);
  EXPECT_EQ(call->call.rule_ids, std::vector<std::string>{"srv-record-missing"});

  // All five events, linked one included, in time order with origin and raw text.
  ASSERT_EQ(call->events.size(), 5u);
  const std::vector<size_t> order = {0, 1, 2, 3, 4};
  for (size_t i = 0; i < order.size(); ++i) {
    const Event& want = a.events[order[i]];
    const StoredEvent& got = call->events[i];
    EXPECT_EQ(got.ts_ms, want.ts_ms);
    EXPECT_EQ(got.source, want.source);
    EXPECT_EQ(got.kind, want.kind);
    EXPECT_EQ(got.origin.file, want.origin.file);
    EXPECT_EQ(got.origin.line, want.origin.line);
    EXPECT_EQ(got.input_name, want.origin.file);
    EXPECT_EQ(got.raw, want.raw);
    EXPECT_EQ(got.summary, want.summary);
    EXPECT_EQ(got.fields, want.fields);
    EXPECT_EQ(got.direction, want.direction);
  }
  EXPECT_EQ(call->events[3].link_reason, "Call-serial-number 6b2a = Via proxy-call-id");
  EXPECT_EQ(call->events[0].link_reason, "");
  EXPECT_EQ(call->events[0].method, "INVITE");
  EXPECT_EQ(call->events[0].request_uri, "sip:alice@cms.steven.lab");
  EXPECT_EQ(call->events[4].status, 504);
  ASSERT_EQ(call->events[4].ms_diagnostics.size(), 1u);
  EXPECT_EQ(call->events[4].ms_diagnostics[0].code, 1046);
  EXPECT_EQ(*call->events[4].ms_diagnostics[0].param("domain"), "cms.steven.lab");

  ASSERT_EQ(call->findings.size(), 1u);
  const StoredFinding& f = call->findings[0];
  EXPECT_EQ(f.rule_id, "srv-record-missing");
  EXPECT_EQ(f.severity, FindingSeverity::Error);
  EXPECT_EQ(f.fields, a.findings[0].fields);
  EXPECT_EQ(f.root_cause, a.findings[0].root_cause);
  EXPECT_EQ(f.fix, a.findings[0].fix);
  EXPECT_EQ(f.related_rules, std::vector<std::string>{"unexplained-504"});
  ASSERT_EQ(f.evidence.size(), 2u);
  EXPECT_EQ(f.evidence[0].file, kEdge);
  EXPECT_EQ(f.evidence[0].line, 31u);
  EXPECT_EQ(f.evidence[0].event_id, call->events[2].id);
  EXPECT_EQ(f.evidence[1].text, "SIP/2.0 504 Server time-out");
  EXPECT_EQ(f.evidence[1].event_id, call->events[4].id);

  auto calls = store->list_calls({}, &error);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].call_id, kFailedCall);
  EXPECT_EQ(calls[1].call_id, kOkCall);
  EXPECT_TRUE(calls[1].rule_ids.empty());
  CallQuery failed_only;
  failed_only.failed_only = true;
  EXPECT_EQ(store->list_calls(failed_only, &error).size(), 1u);
  CallQuery by_rule;
  by_rule.rule_id = "srv-record-missing";
  EXPECT_EQ(store->list_calls(by_rule, &error).size(), 1u);
  by_rule.rule_id = "no-such-rule";
  EXPECT_TRUE(store->list_calls(by_rule, &error).empty());

  auto summary = store->summary("", &error);
  ASSERT_TRUE(summary) << error;
  EXPECT_EQ(summary->cases, 1u);
  EXPECT_EQ(summary->inputs, 4u);
  EXPECT_EQ(summary->skipped_inputs, 1u);
  EXPECT_EQ(summary->inputs_with_problems, 1u);
  EXPECT_EQ(summary->events, 7u);
  EXPECT_EQ(summary->calls, 2u);
  EXPECT_EQ(summary->failed_calls, 1u);
  EXPECT_EQ(summary->findings, 1u);
  ASSERT_EQ(summary->findings_by_rule.size(), 1u);
  EXPECT_EQ(summary->findings_by_rule[0].rule_id, "srv-record-missing");
  EXPECT_EQ(summary->findings_by_rule[0].findings, 1u);

  auto cases = store->list_cases(&error);
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].name, "case-1");
  EXPECT_EQ(cases[0].calls, 2u);

  EXPECT_FALSE(store->load_call("unknown-call", "", &error));
  EXPECT_EQ(error, "");
}

// The example queries of docs/schema.md, run as a support engineer would.
TEST_F(StoreTest, DocumentedQueriesWork) {
  auto store = open_db();
  std::string error;
  ASSERT_TRUE(write(*store, "case-1", sample(), &error)) << error;

  EXPECT_EQ(query("SELECT c.call_id, c.final_status, f.rule_id, f.root_cause FROM calls c "
                  "LEFT JOIN findings f ON f.case_id = c.case_id AND f.call_id = c.call_id "
                  "WHERE c.failed ORDER BY c.first_ms"),
            std::vector<std::string>{std::string(kFailedCall) +
                                     "|504|srv-record-missing|No _sipfederationtls._tcp "
                                     "SRV record for cms.steven.lab"});
  EXPECT_EQ(query("SELECT json_extract(fields, '$.domain'), count(*) FROM findings "
                  "WHERE rule_id = 'srv-record-missing' GROUP BY 1"),
            std::vector<std::string>{"cms.steven.lab|1"});
  EXPECT_EQ(query("SELECT call_id FROM calls WHERE json_array_length(sources) = 3"),
            std::vector<std::string>{kFailedCall});
  EXPECT_EQ(query("SELECT ev.file, ev.line, ev.text FROM evidence ev "
                  "JOIN findings f ON f.id = ev.finding_id WHERE f.call_id = 'a1b2c3@10.0.0.5' "
                  "ORDER BY f.id, ev.ordinal")
                .size(),
            2u);
  EXPECT_EQ(query("SELECT i.name, p.line, p.message FROM inputs i "
                  "JOIN input_problems p ON p.input_id = i.id ORDER BY i.name, p.ordinal"),
            std::vector<std::string>{std::string(kClient) + "|17|truncated record"});
  EXPECT_EQ(query("SELECT e.source, e.file, e.line FROM calls c "
                  "JOIN call_links l ON l.call_row = c.id JOIN events e ON e.id = l.event_id "
                  "WHERE c.call_id = 'a1b2c3@10.0.0.5' ORDER BY e.ts_ms, l.ordinal")
                .size(),
            5u);
  EXPECT_EQ(query("SELECT value FROM meta WHERE key = 'schema_version'"),
            std::vector<std::string>{std::to_string(Store::schema_version())});
  EXPECT_EQ(query("PRAGMA journal_mode"), std::vector<std::string>{"wal"});
  EXPECT_EQ(query("PRAGMA foreign_key_check"), std::vector<std::string>{});
}

// Every ```sql block of docs/schema.md runs against a real database: the document cannot rot.
TEST_F(StoreTest, QueriesInSchemaDocRun) {
  auto store = open_db();
  std::string error;
  ASSERT_TRUE(write(*store, "case-1", sample(), &error)) << error;
  std::ifstream doc(std::string(FEDTRIAGE_TESTDATA_DIR) + "/../docs/schema.md");
  ASSERT_TRUE(doc) << "docs/schema.md not found";
  std::string line, block;
  bool in_sql = false;
  int blocks = 0;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  while (std::getline(doc, line)) {
    if (!in_sql && line == "```sql") {
      in_sql = true;
      block.clear();
    } else if (in_sql && line == "```") {
      in_sql = false;
      ++blocks;
      const char* tail = block.c_str();
      while (*tail) {
        sqlite3_stmt* stmt = nullptr;
        const char* next = nullptr;
        ASSERT_EQ(sqlite3_prepare_v2(db, tail, -1, &stmt, &next), SQLITE_OK)
            << sqlite3_errmsg(db) << "\n"
            << tail;
        int rc = SQLITE_DONE;
        while (stmt && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        }
        EXPECT_EQ(rc, SQLITE_DONE) << sqlite3_errmsg(db) << "\n" << tail;
        sqlite3_finalize(stmt);
        tail = next;
      }
    } else if (in_sql) {
      block += line + "\n";
    }
  }
  sqlite3_close(db);
  EXPECT_GE(blocks, 8);
}

TEST_F(StoreTest, WritingTheSameAnalysisTwiceDuplicatesNothing) {
  auto store = open_db();
  std::string error;
  Analysis a = sample();
  ASSERT_TRUE(write(*store, "case-1", a, &error)) << error;
  const std::vector<std::string> tables = {"cases",    "inputs",   "input_problems",
                                           "events",   "calls",    "call_links",
                                           "findings", "evidence", "rules"};
  std::vector<std::string> before;
  for (const auto& t : tables) before.push_back(count(t));
  auto ids_before = query("SELECT id FROM events ORDER BY id");

  ASSERT_TRUE(write(*store, "case-1", a, &error)) << error;
  auto other = open_db();  // another connection, as a second `fedtriage analyze` would be
  ASSERT_TRUE(write(*other, "case-1", a, &error)) << error;

  std::vector<std::string> after;
  for (const auto& t : tables) after.push_back(count(t));
  EXPECT_EQ(before, after);
  EXPECT_EQ(ids_before, query("SELECT id FROM events ORDER BY id"));  // ids stay stable
  EXPECT_EQ(before[3], "7");
}

TEST_F(StoreTest, ReanalysisReplacesCallsFindingsAndEvidence) {
  auto store = open_db();
  std::string error;
  Analysis a = sample();
  ASSERT_TRUE(write(*store, "case-1", a, &error)) << error;

  a.findings[0].root_cause = "changed";
  a.findings[0].evidence.pop_back();
  a.calls[0].final_reason = "Gateway time-out";
  Finding second = a.findings[0];
  second.rule_id = "tls-handshake";
  a.findings.push_back(second);
  ASSERT_TRUE(write(*store, "case-1", a, &error)) << error;

  auto call = store->load_call(kFailedCall, "case-1", &error);
  ASSERT_TRUE(call) << error;
  EXPECT_EQ(call->call.final_reason, "Gateway time-out");
  ASSERT_EQ(call->findings.size(), 2u);
  EXPECT_EQ(call->findings[0].root_cause, "changed");
  EXPECT_EQ(call->findings[0].evidence.size(), 1u);
  EXPECT_EQ(count("evidence"), "2");
  EXPECT_EQ(count("calls"), "2");

  // A call whose rule no longer fires loses its finding.
  a.findings.clear();
  ASSERT_TRUE(write(*store, "case-1", a, &error)) << error;
  EXPECT_EQ(count("findings"), "0");
  EXPECT_EQ(count("evidence"), "0");

  // The same analysis under another case is stored beside the first.
  ASSERT_TRUE(write(*store, "case-2", sample(), &error)) << error;
  EXPECT_EQ(count("calls"), "4");
  auto latest = store->load_call(kFailedCall, "", &error);
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->call.case_name, "case-2");
}

TEST_F(StoreTest, AnInputWrittenAgainLosesEventsItNoLongerHas) {
  auto store = open_db();
  std::string error;
  Analysis a = sample();
  ASSERT_TRUE(write(*store, "case-1", a, &error)) << error;
  // A newer parser drops the Expressway Event= line (index 3).
  a.events.erase(a.events.begin() + 3);
  a.calls[0].events = {0, 1, 2, 3};
  a.calls[0].links.clear();
  a.calls[1].events = {4, 5};
  a.findings[0].evidence = {{2, kEdge, 31, "Result-Code"}, {3, kClient, 25, "504"}};
  ASSERT_TRUE(write(*store, "case-1", a, &error)) << error;
  EXPECT_EQ(count("events"), "6");
  EXPECT_EQ(count("call_links"), "6");
  EXPECT_EQ(query("PRAGMA foreign_key_check"), std::vector<std::string>{});
}

TEST_F(StoreTest, HostileStringsAreStoredAndReadBackExactly) {
  auto store = open_db();
  std::string error;
  const std::string hostile =
      "'; DROP TABLE calls; --\"<script>alert('x')</script>\\ \x01\x02\x1f\x7f\t\r\n"
      "\xc3\xa9\xe2\x82\xac %s %n ?1 :name $x `tick`";
  Analysis a = sample();
  a.calls[0].call_id = hostile;
  a.calls[0].final_reason = hostile;
  a.calls[0].hosts = {hostile};
  for (size_t i : {0, 1, 2, 4}) a.events[i].call_id = hostile;
  a.events[2].fields.emplace_back(hostile, hostile);
  a.events[2].raw = hostile + "\xff\xfe invalid UTF-8 kept in raw";
  a.events[2].summary = hostile;
  a.events[2].origin.file = hostile;  // no input record names it: a placeholder input is made
  a.findings[0].call_id = hostile;
  a.findings[0].rule_id = hostile;
  a.findings[0].fields.emplace_back("quote\"key'", hostile);
  a.findings[0].root_cause = hostile;
  a.findings[0].evidence[0].text = hostile;
  a.inputs[2].problems[0].message = hostile;
  ASSERT_TRUE(write(*store, hostile, a, &error)) << error;
  EXPECT_EQ(count("calls"), "2");

  auto call = store->load_call(hostile, hostile, &error);
  ASSERT_TRUE(call) << error;
  EXPECT_EQ(call->call.case_name, hostile);
  EXPECT_EQ(call->call.call_id, hostile);
  EXPECT_EQ(call->call.final_reason, hostile);
  EXPECT_EQ(call->call.hosts, std::vector<std::string>{hostile});
  EXPECT_EQ(call->call.rule_ids, std::vector<std::string>{hostile});
  ASSERT_EQ(call->events.size(), 5u);
  EXPECT_EQ(call->events[2].raw, a.events[2].raw);
  EXPECT_EQ(call->events[2].summary, hostile);
  EXPECT_EQ(call->events[2].origin.file, hostile);
  EXPECT_EQ(call->events[2].input_name, hostile);
  EXPECT_EQ(call->events[2].fields, a.events[2].fields);
  ASSERT_EQ(call->findings.size(), 1u);
  EXPECT_EQ(call->findings[0].rule_id, hostile);
  EXPECT_EQ(call->findings[0].fields, a.findings[0].fields);
  EXPECT_EQ(call->findings[0].root_cause, hostile);
  EXPECT_EQ(call->findings[0].evidence[0].text, hostile);
  CallQuery q;
  q.case_name = hostile;
  q.rule_id = hostile;
  EXPECT_EQ(store->list_calls(q, &error).size(), 1u);
  EXPECT_EQ(query("SELECT message FROM input_problems"), std::vector<std::string>{hostile});
  EXPECT_EQ(query("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
}

TEST_F(StoreTest, HasInputAndReplaceCase) {
  auto store = open_db();
  std::string error;
  Analysis a = sample();
  EXPECT_FALSE(store->has_input(a.inputs[0].sha256, &error));
  ASSERT_TRUE(write(*store, "case-1", a, &error)) << error;
  ASSERT_TRUE(write(*store, "case-2", a, &error)) << error;
  EXPECT_TRUE(store->has_input(a.inputs[0].sha256, &error));
  EXPECT_FALSE(store->has_input(std::string(64, 'f'), &error));

  EXPECT_TRUE(store->replace_case("case-1", &error)) << error;
  EXPECT_FALSE(store->replace_case("case-1", &error));
  EXPECT_EQ(error, "");
  auto summary = store->summary("", &error);
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->cases, 1u);
  EXPECT_EQ(summary->events, 7u);
  EXPECT_EQ(summary->findings, 1u);
  EXPECT_EQ(count("evidence"), "2");
  EXPECT_EQ(count("call_links"), "7");
  EXPECT_EQ(count("input_problems"), "1");

  // replace_case in the write: the case holds exactly the new analysis.
  Analysis smaller = sample();
  smaller.calls.pop_back();
  smaller.events.resize(5);
  WriteOptions replace;
  replace.replace_case = true;
  ASSERT_TRUE(write(*store, "case-2", smaller, &error, replace)) << error;
  EXPECT_EQ(count("calls"), "1");
  EXPECT_EQ(count("events"), "5");
}

TEST_F(StoreTest, RunsRecordTheRulesUsed) {
  auto store = open_db();
  std::string error;
  int64_t run = store->begin_run({"analyze", "bundle.tar.gz", "--db", "x'.db"}, &error);
  ASSERT_GT(run, 0) << error;
  WriteOptions options;
  options.run_id = run;
  ASSERT_TRUE(write(*store, "case-1", sample(), &error, options)) << error;
  ASSERT_TRUE(store->finish_run(run, "ok", &error)) << error;
  EXPECT_EQ(query("SELECT status, args, finished_ms IS NOT NULL FROM runs"),
            std::vector<std::string>{R"(ok|["analyze","bundle.tar.gz","--db","x'.db"]|1)"});
  EXPECT_EQ(query("SELECT r.rule_id, r.file FROM run_rules rr JOIN rules r ON r.id = rr.rule_row"),
            std::vector<std::string>{"srv-record-missing|rules/srv-record-missing.yaml"});
  EXPECT_EQ(query("SELECT count(*) FROM findings f JOIN rules r ON r.id = f.rule_row "
                  "WHERE f.run_id = " +
                  std::to_string(run)),
            std::vector<std::string>{"1"});
}

TEST_F(StoreTest, BadEventIndexRollsBackTheWholeWrite) {
  auto store = open_db();
  std::string error;
  ASSERT_TRUE(write(*store, "case-1", sample(), &error)) << error;
  Analysis bad = sample();
  bad.calls[1].events.push_back(99);  // written after inputs, events and the first call
  EXPECT_FALSE(write(*store, "case-2", bad, &error));
  EXPECT_NE(error.find("event 99"), std::string::npos) << error;
  EXPECT_EQ(count("cases"), "1");
  EXPECT_EQ(count("events"), "7");
  EXPECT_EQ(count("calls"), "2");
  // The connection is still usable.
  ASSERT_TRUE(write(*store, "case-2", sample(), &error)) << error;
  EXPECT_EQ(count("cases"), "2");
}

TEST_F(StoreTest, FullDiskRollsBackAndKeepsEarlierData) {
  std::string error;
  {
    auto store = open_db();
    ASSERT_TRUE(write(*store, "small", sample(), &error)) << error;
  }
  // A store limited to about the current size: a large analysis cannot fit.
  StoreOptions limited;
  limited.max_bytes = fs::file_size(path_) + 8192;
  auto store = open_db(limited);
  ASSERT_TRUE(store);
  Analysis big = sample();
  for (int i = 0; i < 2000; ++i) {
    Event e = big.events[2];
    e.origin.line = 1000 + i;
    e.raw = std::string(2000, 'x');
    big.events.push_back(e);
    big.calls[0].events.push_back(big.events.size() - 1);
  }
  EXPECT_FALSE(write(*store, "big", big, &error));
  EXPECT_NE(error.find("full"), std::string::npos) << error;

  auto summary = store->summary("", &error);
  ASSERT_TRUE(summary) << error;
  EXPECT_EQ(summary->cases, 1u);
  EXPECT_EQ(summary->events, 7u);
  store.reset();
  auto reopened = open_db();
  ASSERT_TRUE(reopened);
  EXPECT_EQ(query("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
  EXPECT_TRUE(reopened->load_call(kFailedCall, "small", &error));
  ASSERT_TRUE(write(*reopened, "big", big, &error)) << error;
  EXPECT_EQ(count("cases"), "2");
}

// A bundle-sized analysis: thousands of calls in one transaction, twice.
TEST_F(StoreTest, LargeAnalysisIsWrittenOnce) {
  auto store = open_db();
  std::string error;
  Analysis big;
  big.inputs = sample().inputs;
  Analysis one = sample();
  for (int c = 0; c < 500; ++c) {
    for (const Call& call : one.calls) {
      Call copy = call;
      copy.call_id += "-" + std::to_string(c);
      copy.links.clear();
      copy.events.clear();
      for (size_t i : call.events) {
        Event e = one.events[i];
        e.origin.line += 100 * c;
        e.call_id = copy.call_id;
        copy.events.push_back(big.events.size());
        big.events.push_back(std::move(e));
      }
      big.calls.push_back(std::move(copy));
    }
    Finding f = one.findings[0];
    f.call_id = big.calls[big.calls.size() - 2].call_id;
    big.findings.push_back(f);
  }
  ASSERT_TRUE(write(*store, "big", big, &error)) << error;
  ASSERT_TRUE(write(*store, "big", big, &error)) << error;
  EXPECT_EQ(count("events"), "3000");
  EXPECT_EQ(count("calls"), "1000");
  EXPECT_EQ(count("evidence"), "1000");
  CallQuery failed;
  failed.failed_only = true;
  EXPECT_EQ(store->list_calls(failed, &error).size(), 500u);
}

// Rows written before schema version 7 hold their text in their own columns (no text_id):
// they are read from there, beside rows of version 7.
TEST_F(StoreTest, EventsWrittenBeforeVersion7AreReadFromTheirColumns) {
  auto store = open_db();
  std::string error;
  ASSERT_TRUE(write(*store, "case-1", sample(), &error)) << error;
  const auto first = query(
      "SELECT e.id FROM events e JOIN call_links l ON l.event_id = e.id JOIN calls c ON "
      "c.id = l.call_row WHERE c.call_id = '" +
      std::string(kFailedCall) + "' ORDER BY e.id LIMIT 1");
  ASSERT_EQ(first.size(), 1u);
  query(
      "UPDATE events SET text_id = NULL, text_at = NULL, raw_len = NULL, raw = 'old raw', "
      "summary = 'old summary', fields = '{\"k\":\"v\"}', local = '10.0.0.1:5061', "
      "file = 'old/file.log', request_uri = 'sip:old@example' WHERE id = " +
      first[0]);
  const auto raw = store->event_raw(std::stoll(first[0]), &error);
  ASSERT_TRUE(raw) << error;
  EXPECT_EQ(*raw, "old raw");
  const auto call = store->load_call(kFailedCall, "", &error);
  ASSERT_TRUE(call) << error;
  size_t old_rows = 0;
  for (const StoredEvent& e : call->events) {
    if (std::to_string(e.id) != first[0]) {
      EXPECT_EQ(e.origin.file, e.input_name);
      continue;
    }
    ++old_rows;
    EXPECT_EQ(e.raw, "old raw");
    EXPECT_EQ(e.summary, "old summary");
    EXPECT_EQ(e.fields, (Fields{{"k", "v"}}));
    EXPECT_EQ(e.local, "10.0.0.1:5061");
    EXPECT_EQ(e.origin.file, "old/file.log");
    EXPECT_EQ(e.request_uri, "sip:old@example");
  }
  EXPECT_EQ(old_rows, 1u);
}

// Raw text is stored as zstd frames: past 1 MiB of text a case gets a trained dictionary;
// show's reads and `db message` (Store::event_raw) give back the exact bytes either way.
TEST_F(StoreTest, RawTextIsCompressedAndReadBackExactly) {
  const std::string kSdp =
      "\r\nContent-Type: application/sdp\r\n\r\nv=0\r\no=- 1 1 IN IP4 10.0.0.77\r\ns=-\r\n"
      "c=IN IP4 10.0.0.77\r\nt=0 0\r\nm=audio 36000 RTP/SAVP 0 8 101\r\n"
      "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\nm=video 36002 RTP/SAVP 97\r\n"
      "a=rtpmap:97 H264/90000\r\na=fmtp:97 profile-level-id=42e016;packetization-mode=1\r\n"
      "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n";
  auto store = open_db();
  std::string error;
  Analysis big;
  big.inputs = sample().inputs;
  const Analysis one = sample();
  for (int c = 0; c < 600; ++c) {
    for (const Call& call : one.calls) {
      Call copy = call;
      copy.call_id += "-" + std::to_string(c);
      copy.links.clear();
      copy.events.clear();
      for (size_t i : call.events) {
        Event e = one.events[i];
        e.origin.line += 100 * c;
        e.call_id = copy.call_id;
        e.raw += "\r\nVia: SIP/2.0/TLS 10.0.1.20:5061;branch=z9hG4bK" + std::to_string(c * 7919) +
                 "\r\nCall-ID: " + copy.call_id + kSdp + std::string(c % 7, '\0') + "\xff";
        copy.events.push_back(big.events.size());
        big.events.push_back(std::move(e));
      }
      big.calls.push_back(std::move(copy));
    }
  }
  big.events[0].raw.clear();  // no text: no frame
  ASSERT_TRUE(write(*store, "raw", big, &error)) << error;
  EXPECT_EQ(count("raw_dicts"), "1");
  // Schema version 7: every event's text in a frame of event_texts, none in its row.
  EXPECT_EQ(query("SELECT count(*) FROM events WHERE raw <> '' OR summary <> '' OR "
                  "fields <> '{}' OR raw_zstd IS NOT NULL OR text_id IS NULL"),
            std::vector<std::string>{"0"});
  // One batch of 2 400 events: frames of at most 256 KiB of text; the first MiB without a
  // dictionary, the rest with one.
  EXPECT_EQ(query("SELECT count(*) > 4, count(dict) > 0, count(dict) < count(*) FROM event_texts"),
            std::vector<std::string>{"1|1|1"});
  const std::vector<std::string> ids = query("SELECT id FROM events ORDER BY id");
  ASSERT_EQ(ids.size(), big.events.size());
  for (size_t k = 0; k < ids.size(); k += 97) {  // written in order: ids follow the events
    const auto raw = store->event_raw(std::stoll(ids[k]), &error);
    ASSERT_TRUE(raw) << error;
    EXPECT_EQ(*raw, big.events[k].raw) << k;
  }
  EXPECT_FALSE(store->event_raw(1 << 30, &error));
  EXPECT_EQ(error, "");
  const auto call = store->load_call(big.calls.back().call_id, "raw", &error);
  ASSERT_TRUE(call) << error;
  ASSERT_EQ(call->events.size(), big.calls.back().events.size());
  for (const StoredEvent& e : call->events) {
    EXPECT_NE(e.raw.find(big.calls.back().call_id), std::string::npos);
    EXPECT_EQ(e.raw.back(), '\xff');
  }
  // The recipe of docs/schema.md ("Reading an event's text") with plain SQL and zstd.
  for (size_t k = 1; k < ids.size(); k += 331) {
    const std::string where =
        " FROM events e JOIN event_texts t ON t.id = e.text_id "
        "LEFT JOIN raw_dicts d ON d.id = t.dict WHERE e.id = " +
        ids[k];
    const auto frame = query("SELECT t.zstd" + where);
    const auto dict = query("SELECT coalesce(d.dict, '')" + where);
    const auto place = query("SELECT e.text_at, e.raw_len" + where);
    ASSERT_EQ(frame.size(), 1u);
    ASSERT_EQ(place.size(), 1u);
    std::string text(ZSTD_getFrameContentSize(frame[0].data(), frame[0].size()), '\0');
    ZSTD_DCtx* dctx = ZSTD_createDCtx();
    const size_t n = ZSTD_decompress_usingDict(dctx, text.data(), text.size(), frame[0].data(),
                                               frame[0].size(), dict[0].data(), dict[0].size());
    ZSTD_freeDCtx(dctx);
    ASSERT_EQ(n, text.size()) << k;
    const size_t bar = place[0].find('|');
    EXPECT_EQ(
        text.substr(std::stoul(place[0].substr(0, bar)), std::stoul(place[0].substr(bar + 1))),
        big.events[k].raw)
        << k;
  }
  // Written again (upserted): the frames the events left go.
  const std::string frames = count("event_texts");
  ASSERT_TRUE(write(*store, "raw", big, &error)) << error;
  EXPECT_EQ(count("event_texts"), frames);
  EXPECT_EQ(query("SELECT count(*) FROM events e WHERE NOT EXISTS "
                  "(SELECT 1 FROM event_texts t WHERE t.id = e.text_id)"),
            std::vector<std::string>{"0"});
  // Deleting the case takes its dictionary and frames along.
  ASSERT_TRUE(store->replace_case("raw", &error)) << error;
  EXPECT_EQ(count("raw_dicts"), "0");
  EXPECT_EQ(count("event_texts"), "0");
  EXPECT_EQ(query("PRAGMA foreign_key_check"), std::vector<std::string>{});
}

TEST_F(StoreTest, TwoConnectionsWriteConcurrently) {
  constexpr int kWrites = 15;
  std::atomic<int> failures{0};
  std::vector<std::string> errors(2);
  auto worker = [&](int id) {
    std::string error;
    auto store = fedtriage::open_store(path_, &error);  // both open a fresh file at once
    if (!store) {
      errors[id] = error;
      ++failures;
      return;
    }
    Analysis a = sample();
    for (int i = 0; i < kWrites; ++i) {
      // Distinct cases per thread, plus one case both write into.
      std::string name = i % 5 == 0 ? "shared" : "t" + std::to_string(id) + "-" + std::to_string(i);
      if (!write(*store, name, a, &error)) {
        errors[id] = error;
        ++failures;
        return;
      }
      if (!store->list_calls({}, &error).size()) ++failures;  // a reader between writes
    }
  };
  std::thread t0(worker, 0), t1(worker, 1);
  t0.join();
  t1.join();
  EXPECT_EQ(failures.load(), 0) << errors[0] << " / " << errors[1];
  // 12 private cases per thread + "shared".
  EXPECT_EQ(count("cases"), "25");
  EXPECT_EQ(count("calls"), "50");
  EXPECT_EQ(count("events"), "175");
}

}  // namespace
}  // namespace fedtriage
