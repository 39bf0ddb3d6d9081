#include "lib/store/sqlite/sqlite_reader.h"

#include <string_view>

#include "lib/store/enum_text.h"
#include "lib/store/event_text.h"
#include "lib/store/json_columns.h"
#include "lib/store/raw_text.h"

namespace fedtriage::store_read {
namespace {

// Columns 0..16 of every call listing; `c` is calls, `cs` is cases.
#define FEDTRIAGE_CALL_COLUMNS                                                                   \
  "cs.name, c.call_id, c.first_ms, c.last_ms, c.from_uri, c.from_display, c.to_uri, "            \
  "c.request_uri, c.method, c.final_status, c.final_reason, c.sources, c.hosts, "                \
  "c.event_count, c.outcome, (SELECT json_group_array(rule_id) FROM (SELECT DISTINCT f.rule_id " \
  "FROM "                                                                                        \
  "findings f WHERE f.case_id = c.case_id AND f.call_id = c.call_id ORDER BY f.rule_id)), "      \
  "coalesce((SELECT v.conversation_id FROM conversations v WHERE v.case_id = c.case_id AND "     \
  "v.call_id = c.call_id), '')"
constexpr int kCallColumns = 17;

std::string raw_dictionary(sql::Db& db, int64_t id) {
  sql::Stmt& s = db.prepare("SELECT dict FROM raw_dicts WHERE id = ?");
  s.bind_all(id);
  std::string out = s.step() ? s.blob(0) : std::string();
  s.reset();
  return out;
}

store_cold::TextReader::Frame event_text(sql::Db& db, int64_t id) {
  sql::Stmt& s = db.prepare("SELECT zstd, dict FROM event_texts WHERE id = ?");
  s.bind_all(id);
  store_cold::TextReader::Frame out;
  if (s.step()) out = {s.blob(0), s.int64(1), true};
  s.reset();
  return out;
}

store_cold::TextReader text_reader(sql::Db& db) {
  return store_cold::TextReader([&db](int64_t id) { return event_text(db, id); },
                                [&db](int64_t id) { return raw_dictionary(db, id); });
}

CallSummary read_call(const sql::Stmt& s) {
  CallSummary c;
  c.case_name = s.text(0);
  c.call_id = s.text(1);
  c.first_ms = s.int64(2);
  c.last_ms = s.int64(3);
  c.from_uri = s.text(4);
  c.from_display = s.text(5);
  c.to_uri = s.text(6);
  c.request_uri = s.text(7);
  c.method = s.text(8);
  c.final_status = static_cast<int>(s.int64(9));  // NULL reads as 0
  c.final_reason = s.text(10);
  for (const auto& name : store_json::to_strings(s.text(11))) {
    c.sources.push_back(store_text::source_from(name));
  }
  c.hosts = store_json::to_strings(s.text(12));
  c.event_count = static_cast<uint64_t>(s.int64(13));
  c.outcome = s.text(14);
  c.rule_ids = store_json::to_strings(s.text(15));
  c.conversation = s.text(16);
  return c;
}

StoredEvent read_event(const sql::Stmt& s, store_raw::Unpacker& raw,
                       store_cold::TextReader& texts) {
  StoredEvent e;
  e.id = s.int64(0);
  e.ts_ms = s.int64(1);
  e.basis = store_text::basis_from(s.text(2));
  e.source = store_text::source_from(s.text(3));
  e.kind = store_text::kind_from(s.text(4));
  e.origin.file = s.text(5);
  e.origin.line = static_cast<uint64_t>(s.int64(6));
  e.input_name = s.text(7);
  e.host = s.text(8);
  e.call_id = s.text(9);
  e.cseq = s.text(10);
  e.method = s.text(11);
  e.status = static_cast<int>(s.int64(12));
  e.reason_phrase = s.text(13);
  e.request_uri = s.text(14);
  e.direction = store_text::direction_from(s.text(15));
  e.local = s.text(16);
  e.remote = s.text(17);
  e.summary = s.text(18);
  e.fields = store_json::to_fields(s.text(19));
  e.ms_diagnostics = store_json::to_ms_diagnostics(s.text(20));
  e.link_reason = s.text(22);
  if (!s.is_null(25)) {  // schema version 7: the cold text in the call's frame
    if (e.origin.file.empty()) e.origin.file = e.input_name;
    texts.fill(e, s.int64(25), s.int64(26), s.int64(27));
  } else {
    e.raw = s.is_null(23) ? s.text(21) : raw.unpack(s.blob(23), s.int64(24));
  }
  return e;
}

std::vector<StoredFinding> read_findings(sql::Db& db, int64_t case_id, const std::string& call_id) {
  std::vector<StoredFinding> out;
  sql::Stmt& f = db.prepare(
      "SELECT id, call_id, rule_id, title, severity, fields, root_cause, fix, related_rules "
      "FROM findings "
      "WHERE case_id = ? AND call_id = ? ORDER BY id");
  f.bind_all(case_id, call_id);
  while (f.step()) {
    StoredFinding sf;
    sf.id = f.int64(0);
    sf.call_id = f.text(1);
    sf.rule_id = f.text(2);
    sf.title = f.text(3);
    sf.severity = store_text::severity_from(f.text(4));
    sf.fields = store_json::to_fields(f.text(5));
    sf.root_cause = f.text(6);
    sf.fix = f.text(7);
    sf.related_rules = store_json::to_strings(f.text(8));
    out.push_back(std::move(sf));
  }
  f.reset();
  for (StoredFinding& sf : out) {
    sql::Stmt& e = db.prepare(
        "SELECT event_id, file, line, text FROM evidence WHERE finding_id = ? ORDER BY ordinal");
    e.bind_all(sf.id);
    while (e.step()) {
      sf.evidence.push_back(
          StoredEvidence{e.int64(0), e.text(1), static_cast<uint64_t>(e.int64(2)), e.text(3)});
    }
    e.reset();
  }
  return out;
}

}  // namespace

std::vector<CaseInfo> cases(sql::Db& db) {
  std::vector<CaseInfo> out;
  sql::Stmt& s = db.prepare(
      "SELECT id, name, created_at, updated_at, "
      "(SELECT count(*) FROM inputs WHERE case_id = cases.id), "
      "(SELECT count(*) FROM calls WHERE case_id = cases.id), origin FROM cases ORDER BY name");
  while (s.step()) {
    out.push_back(CaseInfo{s.int64(0), s.text(1), s.text(2), s.text(3),
                           static_cast<uint64_t>(s.int64(4)), static_cast<uint64_t>(s.int64(5)),
                           s.text(6)});
  }
  s.reset();
  return out;
}

std::vector<CallSummary> calls(sql::Db& db, const CallQuery& query) {
  std::vector<CallSummary> out;
  sql::Stmt& s = db.prepare(
      "SELECT " FEDTRIAGE_CALL_COLUMNS
      " FROM calls c JOIN cases cs ON cs.id = c.case_id "
      "WHERE (?1 = '' OR cs.name = ?1) AND (?2 = 0 OR c.failed = 1) AND (?3 = '' OR EXISTS "
      "(SELECT 1 FROM findings f WHERE f.case_id = c.case_id AND f.call_id = c.call_id "
      "AND f.rule_id = ?3)) ORDER BY c.first_ms, c.call_id, cs.name LIMIT ?4");
  int64_t limit = query.limit ? static_cast<int64_t>(query.limit) : -1;
  s.bind_all(query.case_name, query.failed_only ? 1 : 0, query.rule_id, limit);
  while (s.step()) out.push_back(read_call(s));
  s.reset();
  return out;
}

std::optional<StoredCall> call(sql::Db& db, const std::string& call_id,
                               const std::string& case_name) {
  sql::Stmt& s = db.prepare("SELECT " FEDTRIAGE_CALL_COLUMNS
                            ", c.id, c.case_id FROM calls c JOIN cases cs ON cs.id = c.case_id "
                            "WHERE c.call_id = ?1 AND (?2 = '' OR cs.name = ?2) "
                            "ORDER BY c.updated_at DESC, c.id DESC LIMIT 1");
  s.bind_all(call_id, case_name);
  if (!s.step()) {
    s.reset();
    return std::nullopt;
  }
  StoredCall out;
  out.call = read_call(s);
  int64_t row = s.int64(kCallColumns);
  int64_t case_id = s.int64(kCallColumns + 1);
  s.reset();

  sql::Stmt& e = db.prepare(
      "SELECT e.id, e.ts_ms, e.basis, e.source, e.kind, e.file, e.line, i.name, e.host, "
      "e.call_id, e.cseq, e.method, e.status, e.reason_phrase, e.request_uri, e.direction, "
      "e.local, e.remote, e.summary, e.fields, e.ms_diagnostics, e.raw, l.reason, e.raw_zstd, "
      "e.raw_dict, e.text_id, e.text_at, e.raw_len "
      "FROM call_links l JOIN events e ON e.id = l.event_id JOIN inputs i ON i.id = e.input_id "
      "WHERE l.call_row = ? ORDER BY e.ts_ms, l.ordinal");
  e.bind_all(row);
  store_raw::Unpacker raw([&db](int64_t id) { return raw_dictionary(db, id); });
  store_cold::TextReader texts = text_reader(db);
  while (e.step()) out.events.push_back(read_event(e, raw, texts));
  e.reset();
  out.findings = read_findings(db, case_id, call_id);
  return out;
}

StoreSummary summary(sql::Db& db, const std::string& case_name) {
  // ?1 = '' means every case.
  StoreSummary out;
  sql::Stmt& s = db.prepare(
      "WITH sel AS (SELECT id FROM cases WHERE ?1 = '' OR name = ?1) SELECT "
      "(SELECT count(*) FROM sel), "
      "(SELECT count(*) FROM inputs WHERE case_id IN sel), "
      "(SELECT count(*) FROM inputs WHERE case_id IN sel AND skipped), "
      "(SELECT count(*) FROM inputs WHERE case_id IN sel AND problem_count > 0), "
      "(SELECT count(*) FROM events WHERE case_id IN sel), "
      "(SELECT count(*) FROM calls WHERE case_id IN sel), "
      "(SELECT count(*) FROM calls WHERE case_id IN sel AND failed), "
      "(SELECT count(*) FROM findings WHERE case_id IN sel), "
      "(SELECT count(DISTINCT case_id || ' ' || conversation_id) FROM conversations "
      "WHERE case_id IN sel), "
      "(SELECT count(*) FROM (SELECT 1 FROM conversations WHERE case_id IN sel "
      "GROUP BY case_id, conversation_id HAVING count(*) > 1))");
  s.bind_all(case_name);
  if (s.step()) {
    out.cases = static_cast<uint64_t>(s.int64(0));
    out.inputs = static_cast<uint64_t>(s.int64(1));
    out.skipped_inputs = static_cast<uint64_t>(s.int64(2));
    out.inputs_with_problems = static_cast<uint64_t>(s.int64(3));
    out.events = static_cast<uint64_t>(s.int64(4));
    out.calls = static_cast<uint64_t>(s.int64(5));
    out.failed_calls = static_cast<uint64_t>(s.int64(6));
    out.findings = static_cast<uint64_t>(s.int64(7));
    out.conversations = static_cast<uint64_t>(s.int64(8));
    out.multi_leg_conversations = static_cast<uint64_t>(s.int64(9));
  }
  s.reset();
  sql::Stmt& r = db.prepare(
      "SELECT rule_id, max(title), count(*) FROM findings WHERE case_id IN "
      "(SELECT id FROM cases WHERE ?1 = '' OR name = ?1) "
      "GROUP BY rule_id ORDER BY count(*) DESC, rule_id");
  r.bind_all(case_name);
  while (r.step()) {
    out.findings_by_rule.push_back(
        RuleCount{r.text(0), r.text(1), static_cast<uint64_t>(r.int64(2))});
  }
  r.reset();
  return out;
}

#undef FEDTRIAGE_CALL_COLUMNS

std::optional<std::string> event_raw(sql::Db& db, int64_t event_id) {
  sql::Stmt& s = db.prepare(
      "SELECT raw, raw_zstd, raw_dict, text_id, text_at, raw_len FROM events WHERE id = ?");
  s.bind_all(event_id);
  if (!s.step()) {
    s.reset();
    return std::nullopt;
  }
  std::string raw = s.text(0), frame = s.blob(1);
  const bool packed = !s.is_null(1);
  const int64_t dict = s.int64(2);
  const bool in_text = !s.is_null(3);
  const int64_t text_id = s.int64(3), at = s.int64(4), raw_len = s.int64(5);
  s.reset();
  if (in_text) return text_reader(db).raw(text_id, at, raw_len);
  if (!packed) return raw;
  store_raw::Unpacker unpacker([&db](int64_t id) { return raw_dictionary(db, id); });
  return unpacker.unpack(frame, dict);
}

}  // namespace fedtriage::store_read
