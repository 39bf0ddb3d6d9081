// The streaming write (Store::begin_case / CaseWriter): same content as write_analysis,
// one transaction from begin_case to commit, clean failures.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "tests/support/pg_test_db.h"
#include "tests/support/sqlite_rows.h"

#include "lib/base/json_dump.h"
#include "lib/store/case_writer.h"
#include "lib/store/json_columns.h"
#include "lib/store/open_store.h"

namespace fedtriage {
namespace {

namespace fs = std::filesystem;

constexpr const char* kExp = "bundle.tar.gz!/loggingsnapshot.txt";
constexpr const char* kEdge = "bundle.tar.gz!/edge/CLS_0001.log";
constexpr const char* kFailedCall = "a1b2c3@10.0.0.5";
constexpr const char* kOkCall = "ok-77@10.0.0.5";
constexpr const char* kOrphanCall = "orphan@10.0.0.9";
constexpr int64_t kT0 = 1488438646240;

Event event(const char* file, uint64_t line, EventKind kind, int64_t ts, const char* call_id,
            int status) {
  Event e;
  e.ts_ms = ts;
  e.source = file == std::string(kEdge) ? Source::Edge : Source::Expressway;
  e.kind = kind;
  e.origin = {file, line};
  e.host = "edge01";
  e.call_id = call_id;
  e.cseq = "1 INVITE";
  e.direction = Direction::In;
  e.local = "10.0.0.5:5061";
  e.remote = "192.0.2.10:5061";
  e.summary = "event at " + std::to_string(line);
  e.fields = {{"Level", "ERROR"}, {"quote\"and\\slash", "tab\there\x01"}, {"Level", "dup"}};
  e.raw = "raw text of line " + std::to_string(line) + std::string("\0zero", 5);
  if (kind == EventKind::Sip) {
    SipMessage m;
    m.is_request = status == 0;
    m.method = "INVITE";
    m.call_id = call_id;
    if (status) {
      m.status_code = status;
      m.reason_phrase = status == 504 ? "Server time-out" : "OK";
      if (status == 504) m.ms_diagnostics.push_back({1046, -1, false, "no peer", {{"d", "x"}}});
    } else {
      m.request_uri = "sip:alice@cms.steven.lab";
    }
    e.sip = m;
  }
  return e;
}

// An analysis as the streaming caller has it: per call, its own events (indices local to
// them), with origin.seq set as a parser sets it.
struct Piece {
  std::vector<Event> events;
  Call call;
  std::vector<Finding> findings;
};

struct Sample {
  std::vector<InputRecord> inputs;
  std::vector<Piece> pieces;
  std::vector<Finding> orphan_findings;  // of kOrphanCall, which has no Call
  std::vector<RuleInfo> rules;
  WriteOptions options;

  // The same analysis in write_analysis's form.
  void flatten(std::vector<Event>* events, std::vector<Call>* calls,
               std::vector<Finding>* findings) const {
    for (const Piece& p : pieces) {
      const size_t base = events->size();
      events->insert(events->end(), p.events.begin(), p.events.end());
      Call c = p.call;
      for (size_t& i : c.events) i += base;
      for (CallLink& l : c.links) l.event += base;
      calls->push_back(c);
      for (Finding f : p.findings) {
        for (Evidence& ev : f.evidence) ev.event += base;
        findings->push_back(f);
      }
    }
    findings->insert(findings->end(), orphan_findings.begin(), orphan_findings.end());
  }
};

Finding finding(const char* call_id, const char* rule, std::vector<Evidence> evidence) {
  Finding f;
  f.call_id = call_id;
  f.rule_id = rule;
  f.title = std::string("title of ") + rule;
  f.fields = {{"domain", "cms.steven.lab"}};
  f.root_cause = "cause";
  f.fix = "fix";
  f.related_rules = {"unexplained-504"};
  f.evidence = std::move(evidence);
  return f;
}

Sample sample() {
  Sample s;
  InputRecord exp{kExp, "expressway", 4096, 80, 3, std::string(64, 'a'), {}, false, ""};
  InputRecord edge{kEdge, "edge", 8192, 120, 4, std::string(64, 'b'), {}, false, ""};
  edge.problems.push_back({Problem::Severity::Warning, kEdge, 17, "truncated record"});
  InputRecord junk{
      "bundle.tar.gz!/readme.pdf", "unknown", 100, 0, 0, std::string(64, 'd'), {}, true,
      "not a known log format"};
  s.inputs = {exp, edge, junk};

  Piece failed;
  failed.events.push_back(event(kEdge, 20, EventKind::Sip, kT0, kFailedCall, 0));
  failed.events.push_back(event(kEdge, 20, EventKind::Sip, kT0 + 1, kFailedCall, 0));
  failed.events[1].origin.seq = 1;  // a second event of the same line and kind
  failed.events.push_back(event(kEdge, 31, EventKind::Diagnostic, kT0 + 20, kFailedCall, 0));
  failed.events.push_back(event(kExp, 44, EventKind::CallEvent, kT0 + 30, "", 0));
  failed.events.push_back(event(kEdge, 60, EventKind::Sip, kT0 + 40, kFailedCall, 504));
  failed.call.call_id = kFailedCall;
  failed.call.first_ms = kT0;
  failed.call.last_ms = kT0 + 40;
  failed.call.from_uri = "sip:bob@lync.example.com";
  failed.call.from_display = "Bob";
  failed.call.method = "INVITE";
  failed.call.final_status = 504;
  failed.call.outcome = Outcome::Failed;
  failed.call.failure_status = 504;
  failed.call.final_reason = "Server time-out";
  failed.call.sources = {Source::Expressway, Source::Edge};
  failed.call.hosts = {"edge01", "vcse01"};
  failed.call.events = {0, 1, 2, 4};
  failed.call.links = {{3, "Call-serial-number 6b2a = Via proxy-call-id"}};
  failed.call.messages = {{{0, 1}, "INVITE 1"}, {{4}, "504 1"}};
  failed.findings = {finding(kFailedCall, "srv-record-missing", {{2, kEdge, 31, "Result-Code"}}),
                     finding(kFailedCall, "unexplained-504",
                             {{4, kEdge, 60, "504"}, {99, "gone.log", 7, "no such event"}})};

  Piece ok;
  ok.events.push_back(event(kExp, 60, EventKind::Sip, kT0 + 1000, kOkCall, 0));
  ok.events.push_back(event(kExp, 70, EventKind::Sip, kT0 + 1200, kOkCall, 200));
  ok.events.push_back(event("unlisted.log", 5, EventKind::Tls, kT0 + 1300, "", 0));
  ok.call.call_id = kOkCall;
  ok.call.first_ms = kT0 + 1000;
  ok.call.last_ms = kT0 + 1200;
  ok.call.final_status = 200;
  ok.call.sources = {Source::Expressway};
  ok.call.events = {0, 1};
  ok.call.links = {{2, "same connection"}};
  s.pieces = {failed, ok};

  s.orphan_findings = {finding(kOrphanCall, "lonely-rule", {{0, kEdge, 20, "INVITE"}})};
  s.rules = {
      {"srv-record-missing", "SRV", FindingSeverity::Error, "rules/srv.yaml", std::string(64, 'e')},
      {"unexplained-504", "504", FindingSeverity::Warning, "rules/504.yaml", std::string(64, 'f')}};
  s.options.sources = {{"bundle.tar.gz", std::string(64, '1'), 12345}};
  return s;
}

class CaseWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("fedtriage_case_writer_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(dir_);
    path_ = (dir_ / "a.db").string();
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::unique_ptr<Store> open_db(const std::string& path, const StoreOptions& options = {}) {
    std::string error;
    auto store = fedtriage::open_store(path, options, &error);
    EXPECT_TRUE(store) << error;
    return store;
  }

  // Rows as "a|b|c" strings, read with a plain sqlite3 connection.
  static std::vector<std::string> query(const std::string& path, const std::string& sql) {
    return testing::query_rows(path, sql, SQLITE_OPEN_READONLY);
  }
  std::vector<std::string> query(const std::string& sql) { return query(path_, sql); }
  std::string count(const std::string& table) { return query("SELECT count(*) FROM " + table)[0]; }

  // Every table's content by natural keys: ids and write times left out.
  static std::map<std::string, std::vector<std::string>> content(const std::string& path) {
    return content_with([&](const std::string& sql) { return query(path, sql); });
  }
  template <typename Query>
  static std::map<std::string, std::vector<std::string>> content_with(Query query) {
    const std::string event_key = "e.file || ':' || e.line || ':' || e.kind || ':' || e.seq";
    std::map<std::string, std::vector<std::string>> out;
    out["cases"] = query("SELECT name, run_id FROM cases ORDER BY name");
    out["inputs"] = query(
        "SELECT c.name, i.name, format, bytes, lines, events, sha256, skipped, "
        "skip_reason, problem_count, i.run_id FROM inputs i JOIN cases c ON "
        "c.id = i.case_id ORDER BY 1, 2, 7");
    out["input_problems"] = query(
        "SELECT i.name, p.ordinal, p.severity, p.file, p.line, "
        "p.message FROM input_problems p JOIN inputs i ON i.id = "
        "p.input_id ORDER BY 1, 2");
    out["events"] = query(
        "SELECT c.name, i.name, e.seq, e.ts, e.ts_ms, e.basis, e.source, "
        "e.kind, e.file, e.line, e.host, e.call_id, e.cseq, e.method, "
        "e.status, e.reason_phrase, e.request_uri, e.direction, e.local, "
        "e.remote, e.summary, e.fields, e.ms_diagnostics, hex(e.raw) FROM "
        "events e JOIN inputs i ON i.id = e.input_id JOIN cases c ON c.id = "
        "e.case_id ORDER BY 2, e.line, e.kind, e.seq");
    out["calls"] = query(
        "SELECT c.name, call_id, first_ts, first_ms, last_ts, last_ms, "
        "from_uri, from_display, to_uri, request_uri, method, final_status, "
        "final_reason, failed, sources, hosts, event_count, link_count, "
        "message_count, k.run_id FROM calls k JOIN cases c ON c.id = k.case_id "
        "ORDER BY 1, 2");
    out["call_links"] = query("SELECT k.call_id, " + event_key +
                              ", l.ordinal, l.reason FROM call_links l JOIN calls k "
                              "ON k.id = l.call_row JOIN events e ON e.id = "
                              "l.event_id ORDER BY 1, 3");
    out["findings"] = query(
        "SELECT c.name, f.call_id, f.rule_id, r.rule_id, r.sha256, f.title, "
        "f.severity, f.fields, f.root_cause, f.fix, f.related_rules, "
        "f.run_id FROM findings f JOIN cases c ON c.id = f.case_id LEFT "
        "JOIN rules r ON r.id = f.rule_row ORDER BY 1, 2, 3");
    out["evidence"] = query("SELECT f.call_id, f.rule_id, v.ordinal, coalesce(" + event_key +
                            ", 'none'), v.file, v.line, v.text FROM evidence v JOIN "
                            "findings f ON f.id = v.finding_id LEFT JOIN events e ON "
                            "e.id = v.event_id ORDER BY 1, 2, 3");
    out["rules"] = query("SELECT rule_id, title, severity, file, sha256 FROM rules ORDER BY 1, 5");
    out["run_rules"] = query(
        "SELECT x.run_id, r.rule_id FROM run_rules x JOIN rules r ON r.id = "
        "x.rule_row ORDER BY 1, 2");
    out["source_files"] = query(
        "SELECT c.name, s.name, sha256, bytes, s.run_id FROM "
        "source_files s JOIN cases c ON c.id = s.case_id ORDER BY 1, 2");
    return out;
  }

  // The sample streamed: inputs, then per call its events and the call, then the orphan
  // findings (whose evidence indices refer to the first call's events).
  // With `release`, the writer gives its cache back after every call (as before the
  // conversations are linked).
  static bool stream(Store& store, const std::string& case_name, const Sample& s,
                     std::string* error, bool release = false) {
    auto writer = store.begin_case(case_name, s.rules, s.options, error);
    if (!writer || !writer->write_inputs(s.inputs, error)) return false;
    std::vector<int64_t> first_ids;
    for (const Piece& p : s.pieces) {
      std::vector<int64_t> ids;
      if (!writer->write_events(p.events, &ids, error) ||
          !writer->write_call(p.call, p.findings, ids, error)) {
        return false;
      }
      if (release) writer->release_memory();
      if (first_ids.empty()) first_ids = ids;
    }
    return writer->write_findings(kOrphanCall, s.orphan_findings, first_ids, error) &&
           writer->commit(error);
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(CaseWriterTest, StreamingWriteEqualsWriteAnalysis) {
  const Sample s = sample();
  std::string error;
  const std::string batch_path = (dir_ / "batch.db").string();
  {
    auto batch = open_db(batch_path);
    ASSERT_TRUE(batch);
    std::vector<Event> events;
    std::vector<Call> calls;
    std::vector<Finding> findings;
    s.flatten(&events, &calls, &findings);
    for (Event& e : events) e.origin.seq = 7;  // write_analysis counts seq itself
    ASSERT_TRUE(batch->write_analysis("case-1", s.inputs, events, calls, findings, s.rules,
                                      s.options, &error))
        << error;
  }
  auto store = open_db(path_);
  ASSERT_TRUE(store);
  ASSERT_TRUE(stream(*store, "case-1", s, &error)) << error;

  const auto expected = content(batch_path);
  const auto actual = content(path_);
  for (const auto& [table, rows] : expected) {
    EXPECT_EQ(actual.at(table), rows) << table;
  }
  EXPECT_EQ(expected.at("events").size(), 8u);
  EXPECT_EQ(expected.at("call_links").size(), 8u);
  EXPECT_EQ(expected.at("evidence").size(), 4u);
  EXPECT_EQ(expected.at("inputs").size(), 4u);  // with the placeholder of unlisted.log
}

// Releasing the cache mid-write (dirty pages go to the WAL, still inside the transaction)
// stores the same rows, and a writer dropped after it still rolls back.
TEST_F(CaseWriterTest, ReleasingTheCacheMidWriteKeepsTheTransaction) {
  const Sample s = sample();
  std::string error;
  const std::string plain_path = (dir_ / "plain.db").string();
  {
    auto plain = open_db(plain_path);
    ASSERT_TRUE(plain);
    ASSERT_TRUE(stream(*plain, "case-1", s, &error)) << error;
  }
  auto store = open_db(path_);
  ASSERT_TRUE(store);
  ASSERT_TRUE(stream(*store, "case-1", s, &error, /*release=*/true)) << error;
  const auto expected = content(plain_path);
  const auto actual = content(path_);
  EXPECT_EQ(expected.at("events").size(), 8u);
  for (const auto& [table, rows] : expected) {
    if (table == "runs" || table == "cases") continue;  // times and run ids differ
    EXPECT_EQ(actual.at(table), rows) << table;
  }
  {
    auto writer = store->begin_case("dropped", s.rules, s.options, &error);
    ASSERT_TRUE(writer) << error;
    ASSERT_TRUE(writer->write_inputs(s.inputs, &error)) << error;
    std::vector<int64_t> ids;
    ASSERT_TRUE(writer->write_events(s.pieces[0].events, &ids, &error)) << error;
    writer->release_memory();
  }  // not committed
  EXPECT_EQ(content(path_), actual);
}

TEST_F(CaseWriterTest, UncommittedWriterRollsBack) {
  auto store = open_db(path_);
  ASSERT_TRUE(store);
  std::string error;
  ASSERT_TRUE(stream(*store, "old", sample(), &error)) << error;
  const auto before = content(path_);
  {
    Sample s = sample();
    s.options.replace_case = true;
    auto writer = store->begin_case("old", s.rules, s.options, &error);  // drops "old" first
    ASSERT_TRUE(writer) << error;
    ASSERT_TRUE(writer->write_inputs(s.inputs, &error)) << error;
    std::vector<int64_t> ids;
    ASSERT_TRUE(writer->write_events(s.pieces[0].events, &ids, &error)) << error;
    ASSERT_TRUE(writer->write_call(s.pieces[0].call, {}, ids, &error)) << error;
    // Another write on the same store meanwhile is refused and leaves this one alone.
    EXPECT_FALSE(store->begin_case("other", {}, {}, &error));
    EXPECT_NE(error.find("in progress"), std::string::npos) << error;
    ASSERT_TRUE(writer->write_call(s.pieces[0].call, {}, ids, &error)) << error;
  }
  EXPECT_EQ(content(path_), before);
  {
    auto writer = store->begin_case("new", {}, {}, &error);
    ASSERT_TRUE(writer) << error;
    ASSERT_TRUE(writer->write_inputs(sample().inputs, &error)) << error;
  }
  EXPECT_EQ(content(path_), before);
  EXPECT_EQ(query("SELECT name FROM cases"), std::vector<std::string>{"old"});
  // The lock is free again.
  ASSERT_TRUE(stream(*store, "new", sample(), &error)) << error;
  EXPECT_EQ(count("cases"), "2");
}

TEST_F(CaseWriterTest, RewriteAddsNoCopiesAndDropsWhatAnInputNoLongerYields) {
  auto store = open_db(path_);
  ASSERT_TRUE(store);
  std::string error;
  Sample s = sample();
  ASSERT_TRUE(stream(*store, "c", s, &error)) << error;
  const auto first = content(path_);
  const auto ids = query("SELECT id, file, line, kind, seq FROM events ORDER BY id");
  ASSERT_TRUE(stream(*store, "c", s, &error)) << error;
  EXPECT_EQ(content(path_), first);
  EXPECT_EQ(query("SELECT id, file, line, kind, seq FROM events ORDER BY id"), ids);

  // A newer parser no longer yields the call event of the expressway log (linked to the
  // failed call) nor the second event of edge line 20.
  Piece& failed = s.pieces[0];
  failed.events.erase(failed.events.begin() + 3);
  failed.events.erase(failed.events.begin() + 1);
  failed.call.events = {0, 1, 2};
  failed.call.links.clear();
  failed.findings[0].evidence = {{1, kEdge, 31, "Result-Code"}};
  failed.findings[1].evidence = {{2, kEdge, 60, "504"}};
  ASSERT_TRUE(stream(*store, "c", s, &error)) << error;
  EXPECT_EQ(count("events"), "6");
  EXPECT_EQ(query("SELECT count(*) FROM events WHERE kind = 'call_event'")[0], "0");
  EXPECT_EQ(query("SELECT count(*) FROM events WHERE line = 20")[0], "1");
  EXPECT_EQ(query("SELECT count(*) FROM call_links l JOIN calls k ON k.id = l.call_row WHERE "
                  "k.call_id = '" +
                  std::string(kFailedCall) + "'")[0],
            "3");
  // The events that stayed kept their ids.
  for (const std::string& row : query("SELECT id, file, line, kind, seq FROM events")) {
    EXPECT_NE(std::find(ids.begin(), ids.end(), row), ids.end()) << row;
  }
  EXPECT_EQ(count("inputs"), "4");
  EXPECT_EQ(count("findings"), "3");
}

TEST_F(CaseWriterTest, OutOfRangeEventIndexFailsAndRollsBack) {
  auto store = open_db(path_);
  ASSERT_TRUE(store);
  std::string error;
  ASSERT_TRUE(stream(*store, "old", sample(), &error)) << error;
  const auto before = content(path_);

  Sample s = sample();
  auto writer = store->begin_case("bad", s.rules, s.options, &error);
  ASSERT_TRUE(writer) << error;
  ASSERT_TRUE(writer->write_inputs(s.inputs, &error)) << error;
  std::vector<int64_t> ids;
  ASSERT_TRUE(writer->write_events(s.pieces[0].events, &ids, &error)) << error;
  Call c = s.pieces[0].call;
  c.events.push_back(99);
  EXPECT_FALSE(writer->write_call(c, {}, ids, &error));
  EXPECT_NE(error.find("cannot store analysis (" + path_ + "): "), std::string::npos) << error;
  EXPECT_NE(error.find("refers to event 99 of 5"), std::string::npos) << error;
  // Unusable from now on, and nothing of it is stored, even before it is destroyed.
  EXPECT_EQ(content(path_), before);
  error.clear();
  EXPECT_FALSE(writer->write_call(s.pieces[0].call, {}, ids, &error));
  EXPECT_FALSE(error.empty());
  EXPECT_FALSE(writer->commit(&error));
  writer.reset();
  EXPECT_EQ(content(path_), before);
  // The store is fine for the next write.
  ASSERT_TRUE(stream(*store, "good", sample(), &error)) << error;
  EXPECT_EQ(count("cases"), "2");
}

TEST_F(CaseWriterTest, FullDiskMidwayStoresNothing) {
  std::string error;
  {
    auto store = open_db(path_);
    ASSERT_TRUE(store);
    ASSERT_TRUE(stream(*store, "small", sample(), &error)) << error;
  }
  const auto before = content(path_);
  StoreOptions limited;
  limited.max_bytes = fs::file_size(path_) + 8192;
  auto store = open_db(path_, limited);
  ASSERT_TRUE(store);
  Sample s = sample();
  auto writer = store->begin_case("big", s.rules, s.options, &error);
  ASSERT_TRUE(writer) << error;
  ASSERT_TRUE(writer->write_inputs(s.inputs, &error)) << error;
  bool failed = false;
  for (int round = 0; round < 100 && !failed; ++round) {
    std::vector<Event> events;
    for (int i = 0; i < 50; ++i) {
      Event e = s.pieces[0].events[2];
      e.origin.line = 1000 + static_cast<uint64_t>(round * 50 + i);
      e.raw = std::string(2000, 'x');
      events.push_back(e);
    }
    std::vector<int64_t> ids;
    if (!writer->write_events(events, &ids, &error)) failed = true;
  }
  ASSERT_TRUE(failed);
  EXPECT_NE(error.find("full"), std::string::npos) << error;
  EXPECT_FALSE(writer->commit(&error));
  writer.reset();
  EXPECT_EQ(content(path_), before);
  EXPECT_EQ(query("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
}

TEST_F(CaseWriterTest, ConcurrentReaderSeesNothingUntilCommit) {
  auto store = open_db(path_);
  auto reader = open_db(path_);
  ASSERT_TRUE(store && reader);
  std::string error;
  Sample s = sample();
  auto writer = store->begin_case("c", s.rules, s.options, &error);
  ASSERT_TRUE(writer) << error;
  ASSERT_TRUE(writer->write_inputs(s.inputs, &error)) << error;
  std::vector<int64_t> ids;
  ASSERT_TRUE(writer->write_events(s.pieces[0].events, &ids, &error)) << error;
  ASSERT_TRUE(writer->write_call(s.pieces[0].call, s.pieces[0].findings, ids, &error)) << error;

  EXPECT_TRUE(reader->list_cases(&error).empty()) << error;
  EXPECT_FALSE(reader->load_call(kFailedCall, "", &error));
  EXPECT_EQ(count("events"), "0");
  EXPECT_EQ(count("calls"), "0");

  ASSERT_TRUE(writer->commit(&error)) << error;
  EXPECT_EQ(reader->list_cases(&error).size(), 1u) << error;
  EXPECT_TRUE(reader->load_call(kFailedCall, "", &error)) << error;
  EXPECT_EQ(count("events"), "5");
  // Committed: further pieces are refused.
  EXPECT_FALSE(writer->write_events(s.pieces[1].events, &ids, &error));
}

// The hand-written JSON of the hot path is byte for byte what nlohmann writes.
TEST(StoreJsonTest, FieldsAndStringsMatchTheTreeDump) {
  using Json = nlohmann::ordered_json;
  auto reference = [](const Fields& fields) {
    Json object = Json::object();
    for (const auto& [key, value] : fields) {
      if (!object.contains(key)) object[key] = value;
    }
    return dump_json(object);  // the project's one JSON dump: DEL and C1 escaped too
  };
  std::string all_bytes;
  for (int c = 1; c < 256; ++c) all_bytes += static_cast<char>(c);
  const std::vector<Fields> cases = {
      {},
      {{"a", "b"}},
      {{"module", "network.sip"}, {"level", "DEBUG"}, {"module", "again"}},
      {{"", ""}, {"q\"b\\s/", "\b\f\n\r\t\x01\x1f\x7f"}},
      {{"ctl", std::string("nul\0in", 6)}},
      {{"utf8", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"}},
      {{"bad", "\xff\xfe half \xc3"}, {"\xc3\x28", "x"}},
      {{"all", all_bytes}},
  };
  for (const Fields& f : cases) {
    EXPECT_EQ(store_json::from_fields(f), reference(f));
    std::vector<std::string> strings;
    Json array = Json::array();
    for (const auto& [k, v] : f) {
      strings.push_back(k);
      strings.push_back(v);
      array.push_back(k);
      array.push_back(v);
    }
    EXPECT_EQ(store_json::from_strings(strings), dump_json(array));
  }
}

}  // namespace
}  // namespace fedtriage

namespace fedtriage {
namespace {

// An event given twice in one write (it belongs to two calls) is one row with one id.
// The event written twice reads as written the second time (its text is in that write's
// frame).
void expect_one_changed(Store& store, const std::string& call_id) {
  std::string error;
  const auto call = store.load_call(call_id, "c", &error);
  ASSERT_TRUE(call) << error;
  size_t changed = 0;
  for (const StoredEvent& e : call->events) changed += e.summary == "changed" ? 1 : 0;
  EXPECT_EQ(changed, 1u);
}

TEST_F(CaseWriterTest, AnEventWrittenTwiceInOneWriteIsOneRow) {
  auto store = open_db(path_);
  ASSERT_TRUE(store);
  std::string error;
  Sample s = sample();
  auto writer = store->begin_case("c", {}, {}, &error);
  ASSERT_TRUE(writer && writer->write_inputs(s.inputs, &error)) << error;
  std::vector<int64_t> first, second;
  ASSERT_TRUE(writer->write_events(s.pieces[0].events, &first, &error)) << error;
  s.pieces[0].events[0].summary = "changed";
  ASSERT_TRUE(writer->write_events(s.pieces[0].events, &second, &error)) << error;
  EXPECT_EQ(first, second);
  ASSERT_TRUE(writer->write_call(s.pieces[0].call, {}, second, &error)) << error;
  ASSERT_TRUE(writer->commit(&error)) << error;
  EXPECT_EQ(count("events"), "5");
  expect_one_changed(*store, s.pieces[0].call.call_id);
  // The frame the first write left goes at commit (schema version 7, docs/schema.md).
  EXPECT_EQ(count("event_texts"), "1");
}

// A call and its findings written twice in one write: one row each with the second write's
// values and links, whether the case is new (rows inserted, the second write falls back to
// an upsert) or held the call already (upserted from the start).
TEST_F(CaseWriterTest, ACallWrittenTwiceInOneWriteKeepsTheSecondWrite) {
  auto store = open_db(path_);
  ASSERT_TRUE(store);
  std::string error;
  const Sample s = sample();
  const Piece& p = s.pieces[0];
  ASSERT_FALSE(p.findings.empty());
  auto write_twice = [&](const std::string& case_name) {
    auto writer = store->begin_case(case_name, s.rules, {}, &error);
    ASSERT_TRUE(writer && writer->write_inputs(s.inputs, &error)) << error;
    std::vector<int64_t> ids;
    ASSERT_TRUE(writer->write_events(p.events, &ids, &error)) << error;
    Call first = p.call, second = p.call;
    first.final_reason = "first";
    second.final_reason = "second";
    second.links.clear();
    std::vector<Finding> findings = p.findings;
    for (Finding& f : findings) f.title = "second " + f.title;
    findings[0].evidence.resize(1);
    ASSERT_TRUE(writer->write_call(first, p.findings, ids, &error)) << error;
    ASSERT_TRUE(writer->write_call(second, findings, ids, &error)) << error;
    ASSERT_TRUE(writer->commit(&error)) << error;
  };
  write_twice("new");
  write_twice("again");
  write_twice("again");  // the case held the call and its findings before this write
  const std::string rows =
      "SELECT k.final_reason, k.link_count, (SELECT count(*) FROM call_links l WHERE l.call_row "
      "= k.id), (SELECT group_concat(f.title || ':' || (SELECT count(*) FROM evidence v WHERE "
      "v.finding_id = f.id), ',') FROM findings f WHERE f.case_id = k.case_id AND f.call_id = "
      "k.call_id) FROM calls k JOIN cases c ON c.id = k.case_id WHERE c.name = ";
  const std::vector<std::string> fresh = query(rows + "'new'");
  ASSERT_EQ(fresh.size(), 1u);
  EXPECT_EQ(fresh, query(rows + "'again'"));
  EXPECT_EQ(fresh[0].rfind("second|0|", 0), 0u) << fresh[0];
  EXPECT_EQ(fresh[0].find("first"), std::string::npos) << fresh[0];
  EXPECT_NE(fresh[0].find("second " + p.findings[0].title + ":1"), std::string::npos) << fresh[0];
}

// The same writes on PostgreSQL (tests/support/pg_test_db.h; skipped without a server): the
// streaming write and write_analysis store what SQLite stores, row for row, with the same
// re-write, duplicate and rollback rules.
class PgCaseWriterTest : public CaseWriterTest {
 protected:
  void SetUp() override {
    FEDTRIAGE_NEED_PG();
    CaseWriterTest::SetUp();
    pg_ = std::make_unique<testing::PgTestDb>();
  }
  void TearDown() override {
    pg_.reset();
    CaseWriterTest::TearDown();
  }
  // Both back ends' content, rows sorted (the order of text depends on a collation).
  static std::map<std::string, std::vector<std::string>> sorted(
      std::map<std::string, std::vector<std::string>> m) {
    for (auto& [table, rows] : m) std::sort(rows.begin(), rows.end());
    return m;
  }
  std::map<std::string, std::vector<std::string>> pg_content() {
    return sorted(content_with([&](std::string sql) {
      const std::string hex = "hex(e.raw)";
      const size_t at = sql.find(hex);
      if (at != std::string::npos) {
        sql.replace(at, hex.size(), "upper(encode(convert_to(e.raw, 'UTF8'), 'hex'))");
      }
      return testing::pg_rows(pg_->url(), sql);
    }));
  }
  // SQLite's, with the NUL byte of the sample's raw text as PostgreSQL stores it (U+FFFD): the
  // last column of an events row is hex(raw).
  std::map<std::string, std::vector<std::string>> lite_content() {
    auto m = content(path_);
    for (std::string& row : m["events"]) {
      const size_t start = row.rfind('|') + 1;
      std::string hex;
      for (size_t i = start; i + 1 < row.size(); i += 2) {
        hex += row.compare(i, 2, "00") == 0 ? std::string("EFBFBD") : row.substr(i, 2);
      }
      row = row.substr(0, start) + hex;
    }
    return sorted(m);
  }
  std::string pg_count(const std::string& table) {
    return testing::pg_rows(pg_->url(), "SELECT count(*) FROM " + table)[0];
  }

  std::unique_ptr<testing::PgTestDb> pg_;
};

TEST_F(PgCaseWriterTest, StreamingAndWriteAnalysisStoreWhatSqliteStores) {
  const Sample s = sample();
  std::string error;
  auto lite = open_db(path_);
  auto server = open_db(pg_->url());
  ASSERT_TRUE(lite && server);
  ASSERT_TRUE(stream(*lite, "case-1", s, &error)) << error;
  ASSERT_TRUE(stream(*server, "case-1", s, &error)) << error;
  std::vector<Event> events;
  std::vector<Call> calls;
  std::vector<Finding> findings;
  s.flatten(&events, &calls, &findings);
  for (Event& e : events) e.origin.seq = 7;  // write_analysis counts seq itself
  ASSERT_TRUE(
      lite->write_analysis("case-2", s.inputs, events, calls, findings, s.rules, s.options, &error))
      << error;
  ASSERT_TRUE(server->write_analysis("case-2", s.inputs, events, calls, findings, s.rules,
                                     s.options, &error))
      << error;
  const auto expected = lite_content();
  const auto actual = pg_content();
  for (const auto& [table, rows] : expected) EXPECT_EQ(actual.at(table), rows) << table;
  EXPECT_EQ(expected.at("events").size(), 16u);
  EXPECT_EQ(server->name().find("postgresql://"), 0u);
}

TEST_F(PgCaseWriterTest, RewriteAddsNoCopiesAndDropsWhatAnInputNoLongerYields) {
  auto lite = open_db(path_);
  auto server = open_db(pg_->url());
  ASSERT_TRUE(lite && server);
  std::string error;
  Sample s = sample();
  for (Store* st : {lite.get(), server.get()}) ASSERT_TRUE(stream(*st, "c", s, &error)) << error;
  const auto ids = testing::pg_rows(pg_->url(), "SELECT id FROM events ORDER BY id");
  for (Store* st : {lite.get(), server.get()}) ASSERT_TRUE(stream(*st, "c", s, &error)) << error;
  EXPECT_EQ(pg_content(), lite_content());
  EXPECT_EQ(testing::pg_rows(pg_->url(), "SELECT id FROM events ORDER BY id"), ids);

  Piece& failed = s.pieces[0];
  failed.events.erase(failed.events.begin() + 3);
  failed.events.erase(failed.events.begin() + 1);
  failed.call.events = {0, 1, 2};
  failed.call.links.clear();
  failed.findings[0].evidence = {{1, kEdge, 31, "Result-Code"}};
  failed.findings[1].evidence = {{2, kEdge, 60, "504"}};
  for (Store* st : {lite.get(), server.get()}) ASSERT_TRUE(stream(*st, "c", s, &error)) << error;
  EXPECT_EQ(pg_content(), lite_content());
  EXPECT_EQ(pg_count("events"), "6");
  EXPECT_EQ(pg_count("findings"), "3");
}

TEST_F(PgCaseWriterTest, AnEventWrittenTwiceInOneWriteIsOneRow) {
  auto store = open_db(pg_->url());
  ASSERT_TRUE(store);
  std::string error;
  Sample s = sample();
  auto writer = store->begin_case("c", {}, {}, &error);
  ASSERT_TRUE(writer && writer->write_inputs(s.inputs, &error)) << error;
  std::vector<int64_t> first, second;
  ASSERT_TRUE(writer->write_events(s.pieces[0].events, &first, &error)) << error;
  s.pieces[0].events[0].summary = "changed";
  ASSERT_TRUE(writer->write_events(s.pieces[0].events, &second, &error)) << error;
  EXPECT_EQ(first, second);
  ASSERT_TRUE(writer->write_call(s.pieces[0].call, {}, second, &error)) << error;
  ASSERT_TRUE(writer->commit(&error)) << error;
  EXPECT_EQ(pg_count("events"), "5");
  expect_one_changed(*store, s.pieces[0].call.call_id);
  EXPECT_EQ(pg_count("event_texts"), "1");
}

TEST_F(PgCaseWriterTest, FailedOrDroppedWritersStoreNothing) {
  auto store = open_db(pg_->url());
  auto reader = open_db(pg_->url());
  ASSERT_TRUE(store && reader);
  std::string error;
  ASSERT_TRUE(stream(*store, "old", sample(), &error)) << error;
  const auto before = pg_content();
  {
    Sample s = sample();
    s.options.replace_case = true;
    auto writer = store->begin_case("old", s.rules, s.options, &error);  // drops "old" first
    ASSERT_TRUE(writer) << error;
    ASSERT_TRUE(writer->write_inputs(s.inputs, &error)) << error;
    std::vector<int64_t> ids;
    ASSERT_TRUE(writer->write_events(s.pieces[0].events, &ids, &error)) << error;
    ASSERT_TRUE(writer->write_call(s.pieces[0].call, s.pieces[0].findings, ids, &error)) << error;
    EXPECT_FALSE(store->begin_case("other", {}, {}, &error));
    EXPECT_NE(error.find("in progress"), std::string::npos) << error;
    // Another connection sees the old case until then.
    EXPECT_EQ(reader->list_cases(&error).size(), 1u);
  }
  EXPECT_EQ(pg_content(), before);

  Sample s = sample();
  auto writer = store->begin_case("bad", s.rules, s.options, &error);
  ASSERT_TRUE(writer) << error;
  ASSERT_TRUE(writer->write_inputs(s.inputs, &error)) << error;
  std::vector<int64_t> ids;
  ASSERT_TRUE(writer->write_events(s.pieces[0].events, &ids, &error)) << error;
  Call c = s.pieces[0].call;
  c.events.push_back(99);
  EXPECT_FALSE(writer->write_call(c, {}, ids, &error));
  EXPECT_NE(error.find("cannot store analysis (postgresql://"), std::string::npos) << error;
  EXPECT_NE(error.find("refers to event 99 of 5"), std::string::npos) << error;
  EXPECT_EQ(error.find(std::string(":") + "@"), std::string::npos) << error;
  EXPECT_FALSE(writer->commit(&error));
  writer.reset();
  EXPECT_EQ(pg_content(), before);
  ASSERT_TRUE(stream(*store, "good", sample(), &error)) << error;
  EXPECT_EQ(pg_count("cases"), "2");
}

}  // namespace
}  // namespace fedtriage
