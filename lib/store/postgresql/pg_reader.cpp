#include "lib/store/postgresql/pg_reader.h"

#include "lib/store/enum_text.h"
#include "lib/store/event_text.h"
#include "lib/store/json_columns.h"
#include "lib/store/postgresql/pg_text.h"
#include "lib/store/raw_text.h"

namespace fedtriage::pg_read {
namespace {

using pg::Params;

// Columns 0..16 of every call listing; `c` is calls, `cs` is cases.
#define FEDTRIAGE_PG_CALL_COLUMNS                                                             \
  "cs.name, c.call_id, c.first_ms, c.last_ms, c.from_uri, c.from_display, c.to_uri, "         \
  "c.request_uri, c.method, c.final_status, c.final_reason, c.sources, c.hosts, "             \
  "c.event_count, c.outcome, (SELECT coalesce(json_agg(r.rule_id ORDER BY r.rule_id COLLATE " \
  "\"C\"), "                                                                                  \
  "'[]') FROM (SELECT DISTINCT f.rule_id FROM findings f WHERE f.case_id = c.case_id AND "    \
  "f.call_id = c.call_id) r), "                                                               \
  "coalesce((SELECT v.conversation_id FROM conversations v WHERE v.case_id = c.case_id AND "  \
  "v.call_id = c.call_id), '')"
constexpr int kCallColumns = 17;

CallSummary read_call(const pg::Result& s, int row) {
  CallSummary c;
  c.case_name = s.text(row, 0);
  c.call_id = s.text(row, 1);
  c.first_ms = s.int64(row, 2);
  c.last_ms = s.int64(row, 3);
  c.from_uri = s.text(row, 4);
  c.from_display = s.text(row, 5);
  c.to_uri = s.text(row, 6);
  c.request_uri = s.text(row, 7);
  c.method = s.text(row, 8);
  c.final_status = static_cast<int>(s.int64(row, 9));  // NULL reads as 0
  c.final_reason = s.text(row, 10);
  for (const auto& name : store_json::to_strings(s.text(row, 11))) {
    c.sources.push_back(store_text::source_from(name));
  }
  c.hosts = store_json::to_strings(s.text(row, 12));
  c.event_count = static_cast<uint64_t>(s.int64(row, 13));
  c.outcome = s.text(row, 14);
  c.rule_ids = store_json::to_strings(s.text(row, 15));
  c.conversation = s.text(row, 16);
  return c;
}

std::string raw_dictionary(pg::Connection& db, int64_t id) {
  pg::Result r = db.exec("SELECT dict FROM raw_dicts WHERE id = $1", Params().add(id));
  return r.rows() == 0 ? std::string() : pg::bytea_from_hex(r.text(0, 0));
}

store_cold::TextReader text_reader(pg::Connection& db) {
  return store_cold::TextReader(
      [&db](int64_t id) {
        pg::Result r =
            db.exec("SELECT zstd, dict FROM event_texts WHERE id = $1", Params().add(id));
        store_cold::TextReader::Frame f;
        if (r.rows() > 0) f = {pg::bytea_from_hex(r.text(0, 0)), r.int64(0, 1), true};
        return f;
      },
      [&db](int64_t id) { return raw_dictionary(db, id); });
}

StoredEvent read_event(const pg::Result& s, int row, store_raw::Unpacker& raw,
                       store_cold::TextReader& texts) {
  StoredEvent e;
  e.id = s.int64(row, 0);
  e.ts_ms = s.int64(row, 1);
  e.basis = store_text::basis_from(s.text(row, 2));
  e.source = store_text::source_from(s.text(row, 3));
  e.kind = store_text::kind_from(s.text(row, 4));
  e.origin.file = s.text(row, 5);
  e.origin.line = static_cast<uint64_t>(s.int64(row, 6));
  e.input_name = s.text(row, 7);
  e.host = s.text(row, 8);
  e.call_id = s.text(row, 9);
  e.cseq = s.text(row, 10);
  e.method = s.text(row, 11);
  e.status = static_cast<int>(s.int64(row, 12));
  e.reason_phrase = s.text(row, 13);
  e.request_uri = s.text(row, 14);
  e.direction = store_text::direction_from(s.text(row, 15));
  e.local = s.text(row, 16);
  e.remote = s.text(row, 17);
  e.summary = s.text(row, 18);
  e.fields = store_json::to_fields(s.text(row, 19));
  e.ms_diagnostics = store_json::to_ms_diagnostics(s.text(row, 20));
  e.link_reason = s.text(row, 22);
  if (!s.is_null(row, 25)) {  // schema version 7: the cold text in the call's frame
    if (e.origin.file.empty()) e.origin.file = e.input_name;
    texts.fill(e, s.int64(row, 25), s.int64(row, 26), s.int64(row, 27));
  } else {
    e.raw = s.is_null(row, 23) ? s.text(row, 21)
                               : raw.unpack(pg::bytea_from_hex(s.text(row, 23)), s.int64(row, 24));
  }
  return e;
}

std::vector<StoredFinding> read_findings(pg::Connection& db, int64_t case_id,
                                         const std::string& call_id) {
  std::vector<StoredFinding> out;
  pg::Result f = db.exec(
      "SELECT id, call_id, rule_id, title, severity, fields, root_cause, fix, related_rules "
      "FROM findings WHERE case_id = $1 AND call_id = $2 ORDER BY id",
      Params().add(case_id).add(call_id));
  for (int row = 0; row < f.rows(); ++row) {
    StoredFinding sf;
    sf.id = f.int64(row, 0);
    sf.call_id = f.text(row, 1);
    sf.rule_id = f.text(row, 2);
    sf.title = f.text(row, 3);
    sf.severity = store_text::severity_from(f.text(row, 4));
    sf.fields = store_json::to_fields(f.text(row, 5));
    sf.root_cause = f.text(row, 6);
    sf.fix = f.text(row, 7);
    sf.related_rules = store_json::to_strings(f.text(row, 8));
    out.push_back(std::move(sf));
  }
  for (StoredFinding& sf : out) {
    pg::Result e = db.exec(
        "SELECT event_id, file, line, text FROM evidence WHERE finding_id = $1 ORDER BY ordinal",
        Params().add(sf.id));
    for (int row = 0; row < e.rows(); ++row) {
      sf.evidence.push_back(StoredEvidence{e.int64(row, 0), e.text(row, 1),
                                           static_cast<uint64_t>(e.int64(row, 2)), e.text(row, 3)});
    }
  }
  return out;
}

}  // namespace

std::vector<CaseInfo> cases(pg::Connection& db) {
  std::vector<CaseInfo> out;
  pg::Result s = db.exec(
      "SELECT id, name, created_at, updated_at, "
      "(SELECT count(*) FROM inputs WHERE case_id = cases.id), "
      "(SELECT count(*) FROM calls WHERE case_id = cases.id), origin FROM cases "
      "ORDER BY name COLLATE \"C\"");
  for (int r = 0; r < s.rows(); ++r) {
    out.push_back(CaseInfo{s.int64(r, 0), s.text(r, 1), s.text(r, 2), s.text(r, 3),
                           static_cast<uint64_t>(s.int64(r, 4)),
                           static_cast<uint64_t>(s.int64(r, 5)), s.text(r, 6)});
  }
  return out;
}

std::vector<CallSummary> calls(pg::Connection& db, const CallQuery& query) {
  std::vector<CallSummary> out;
  Params p;
  p.add(query.case_name).add(query.failed_only ? 1 : 0).add(query.rule_id);
  if (query.limit) {
    p.add(static_cast<uint64_t>(query.limit));
  } else {
    p.null();  // LIMIT NULL: no limit
  }
  pg::Result s = db.exec(
      "SELECT " FEDTRIAGE_PG_CALL_COLUMNS
      " FROM calls c JOIN cases cs ON cs.id = c.case_id "
      "WHERE ($1 = '' OR cs.name = $1) AND ($2::bigint = 0 OR c.failed = 1) AND ($3 = '' OR "
      "EXISTS (SELECT 1 FROM findings f WHERE f.case_id = c.case_id AND f.call_id = c.call_id "
      "AND f.rule_id = $3)) ORDER BY c.first_ms, c.call_id COLLATE \"C\", cs.name COLLATE \"C\" "
      "LIMIT $4::bigint",
      p);
  for (int r = 0; r < s.rows(); ++r) out.push_back(read_call(s, r));
  return out;
}

std::optional<StoredCall> call(pg::Connection& db, const std::string& call_id,
                               const std::string& case_name) {
  pg::Result s = db.exec("SELECT " FEDTRIAGE_PG_CALL_COLUMNS
                         ", c.id, c.case_id FROM calls c JOIN cases cs ON cs.id = c.case_id "
                         "WHERE c.call_id = $1 AND ($2 = '' OR cs.name = $2) "
                         "ORDER BY c.updated_at COLLATE \"C\" DESC, c.id DESC LIMIT 1",
                         Params().add(call_id).add(case_name));
  if (s.rows() == 0) return std::nullopt;
  StoredCall out;
  out.call = read_call(s, 0);
  const int64_t row = s.int64(0, kCallColumns);
  const int64_t case_id = s.int64(0, kCallColumns + 1);

  pg::Result e = db.exec(
      "SELECT e.id, e.ts_ms, e.basis, e.source, e.kind, e.file, e.line, i.name, e.host, "
      "e.call_id, e.cseq, e.method, e.status, e.reason_phrase, e.request_uri, e.direction, "
      "e.local, e.remote, e.summary, e.fields, e.ms_diagnostics, e.raw, l.reason, e.raw_zstd, "
      "e.raw_dict, e.text_id, e.text_at, e.raw_len "
      "FROM call_links l JOIN events e ON e.id = l.event_id JOIN inputs i ON i.id = e.input_id "
      "WHERE l.call_row = $1 ORDER BY e.ts_ms, l.ordinal",
      Params().add(row));
  store_raw::Unpacker raw([&db](int64_t id) { return raw_dictionary(db, id); });
  store_cold::TextReader texts = text_reader(db);
  for (int r = 0; r < e.rows(); ++r) out.events.push_back(read_event(e, r, raw, texts));
  out.findings = read_findings(db, case_id, call_id);
  return out;
}

StoreSummary summary(pg::Connection& db, const std::string& case_name) {
  // $1 = '' means every case.
  StoreSummary out;
  pg::Result s = db.exec(
      "WITH sel AS (SELECT id FROM cases WHERE $1 = '' OR name = $1) SELECT "
      "(SELECT count(*) FROM sel), "
      "(SELECT count(*) FROM inputs WHERE case_id IN (SELECT id FROM sel)), "
      "(SELECT count(*) FROM inputs WHERE case_id IN (SELECT id FROM sel) AND skipped <> 0), "
      "(SELECT count(*) FROM inputs WHERE case_id IN (SELECT id FROM sel) AND problem_count > 0), "
      "(SELECT count(*) FROM events WHERE case_id IN (SELECT id FROM sel)), "
      "(SELECT count(*) FROM calls WHERE case_id IN (SELECT id FROM sel)), "
      "(SELECT count(*) FROM calls WHERE case_id IN (SELECT id FROM sel) AND failed <> 0), "
      "(SELECT count(*) FROM findings WHERE case_id IN (SELECT id FROM sel)), "
      "(SELECT count(*) FROM (SELECT DISTINCT case_id, conversation_id FROM conversations "
      "WHERE case_id IN (SELECT id FROM sel)) d), "
      "(SELECT count(*) FROM (SELECT 1 FROM conversations WHERE case_id IN (SELECT id FROM sel) "
      "GROUP BY case_id, conversation_id HAVING count(*) > 1) m)",
      Params().add(case_name));
  if (s.rows()) {
    out.cases = static_cast<uint64_t>(s.int64(0, 0));
    out.inputs = static_cast<uint64_t>(s.int64(0, 1));
    out.skipped_inputs = static_cast<uint64_t>(s.int64(0, 2));
    out.inputs_with_problems = static_cast<uint64_t>(s.int64(0, 3));
    out.events = static_cast<uint64_t>(s.int64(0, 4));
    out.calls = static_cast<uint64_t>(s.int64(0, 5));
    out.failed_calls = static_cast<uint64_t>(s.int64(0, 6));
    out.findings = static_cast<uint64_t>(s.int64(0, 7));
    out.conversations = static_cast<uint64_t>(s.int64(0, 8));
    out.multi_leg_conversations = static_cast<uint64_t>(s.int64(0, 9));
  }
  pg::Result r = db.exec(
      "SELECT rule_id, max(title COLLATE \"C\"), count(*) FROM findings WHERE case_id IN "
      "(SELECT id FROM cases WHERE $1 = '' OR name = $1) "
      "GROUP BY rule_id ORDER BY count(*) DESC, rule_id COLLATE \"C\"",
      Params().add(case_name));
  for (int k = 0; k < r.rows(); ++k) {
    out.findings_by_rule.push_back(
        RuleCount{r.text(k, 0), r.text(k, 1), static_cast<uint64_t>(r.int64(k, 2))});
  }
  return out;
}

CaseDigest case_digest(pg::Connection& db) {
  CaseDigest out;
  pg::Result c = db.exec(
      "SELECT name, created_at, updated_at, "
      "(SELECT count(*) FROM source_files WHERE case_id = cases.id), "
      "(SELECT count(*) FROM inputs WHERE case_id = cases.id), "
      "(SELECT count(*) FROM calls WHERE case_id = cases.id), "
      "(SELECT count(*) FROM calls c WHERE c.case_id = cases.id AND c.failed <> 0), "
      "(SELECT count(*) FROM findings WHERE case_id = cases.id), "
      "(SELECT count(DISTINCT conversation_id) FROM conversations WHERE case_id = cases.id), "
      "(SELECT count(*) FROM (SELECT 1 FROM conversations WHERE case_id = cases.id "
      "GROUP BY conversation_id HAVING count(*) > 1) m) "
      "FROM cases ORDER BY name COLLATE \"C\"");
  for (int r = 0; r < c.rows(); ++r) {
    CaseOverview o;
    o.name = c.text(r, 0);
    o.created_at = c.text(r, 1);
    o.updated_at = c.text(r, 2);
    o.source_files = static_cast<uint64_t>(c.int64(r, 3));
    o.inputs = static_cast<uint64_t>(c.int64(r, 4));
    o.calls = static_cast<uint64_t>(c.int64(r, 5));
    o.failed_calls = static_cast<uint64_t>(c.int64(r, 6));
    o.findings = static_cast<uint64_t>(c.int64(r, 7));
    o.conversations = static_cast<uint64_t>(c.int64(r, 8));
    o.multi_leg_conversations = static_cast<uint64_t>(c.int64(r, 9));
    out.cases.push_back(std::move(o));
  }
  pg::Result f = db.exec(
      "SELECT cs.name, f.call_id, f.rule_id, f.title, f.severity, f.fields "
      "FROM findings f JOIN cases cs ON cs.id = f.case_id ORDER BY cs.name COLLATE \"C\", f.id");
  for (int r = 0; r < f.rows(); ++r) {
    CaseFinding cf;
    cf.case_name = f.text(r, 0);
    cf.call_id = f.text(r, 1);
    cf.rule_id = f.text(r, 2);
    cf.title = f.text(r, 3);
    cf.severity = store_text::severity_from(f.text(r, 4));
    cf.fields = store_json::to_fields(f.text(r, 5));
    out.findings.push_back(std::move(cf));
  }
  return out;
}

#undef FEDTRIAGE_PG_CALL_COLUMNS

std::optional<std::string> event_raw(pg::Connection& db, int64_t event_id) {
  pg::Result r =
      db.exec("SELECT raw, raw_zstd, raw_dict, text_id, text_at, raw_len FROM events WHERE id = $1",
              Params().add(event_id));
  if (r.rows() == 0) return std::nullopt;
  if (!r.is_null(0, 3)) return text_reader(db).raw(r.int64(0, 3), r.int64(0, 4), r.int64(0, 5));
  if (r.is_null(0, 1)) return r.text(0, 0);
  store_raw::Unpacker raw([&db](int64_t id) { return raw_dictionary(db, id); });
  return raw.unpack(pg::bytea_from_hex(r.text(0, 1)), r.int64(0, 2));
}

}  // namespace fedtriage::pg_read
