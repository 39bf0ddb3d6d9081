#include "lib/store/analysis_writer.h"

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

#include "lib/core/timestamp.h"
#include "lib/store/enum_text.h"
#include "lib/store/json_columns.h"
#include "lib/store/source_files.h"

namespace fedtriage::store_write {
namespace {

std::optional<int64_t> nonzero(int64_t v) {
  return v ? std::optional<int64_t>(v) : std::nullopt;
}

int64_t returned_id(sql::Stmt& s) {
  if (!s.step()) throw sql::Error(1, "upsert returned no row");
  int64_t id = s.int64(0);
  s.run();  // finish the statement so that it holds nothing
  return id;
}

class Writer {
 public:
  Writer(sql::Db& db, const Batch& b) : db_(db), b_(b) {
    now_ms_ = now_ms();
    now_ = format_iso_utc(now_ms_);
    run_ = nonzero(b.options.run_id);
  }

  void run() {
    if (b_.options.replace_case) {
      db_.prepare("DELETE FROM cases WHERE name = ?").bind_all(b_.case_name).run();
    }
    case_id_ = returned_id(db_.prepare("INSERT INTO cases(name, created_at, updated_at, run_id) "
                                       "VALUES(?1, ?2, ?2, ?3) ON CONFLICT(name) DO UPDATE SET "
                                       "updated_at = excluded.updated_at, "
                                       "run_id = coalesce(excluded.run_id, run_id) RETURNING id")
                               .bind_all(b_.case_name, now_, run_));
    write_rules();
    write_inputs();
    write_events();
    drop_stale_events();
    write_calls();
    write_findings();
    store_sources::write(db_, case_id_, b_.options.sources, run_, now_);
  }

 private:
  void write_rules() {
    for (const RuleInfo& r : b_.rules) {
      int64_t row = returned_id(
          db_.prepare("INSERT INTO rules(rule_id, title, severity, file, sha256) "
                      "VALUES(?, ?, ?, ?, ?) ON CONFLICT(rule_id, sha256) DO UPDATE SET "
                      "title = excluded.title, severity = excluded.severity, "
                      "file = excluded.file RETURNING id")
              .bind_all(r.id, r.title, store_text::severity(r.severity), r.file, r.sha256));
      rule_rows_.emplace(r.id, row);
      if (run_) {
        db_.prepare("INSERT OR IGNORE INTO run_rules(run_id, rule_row) VALUES(?, ?)")
            .bind_all(*run_, row)
            .run();
      }
    }
  }

  int64_t upsert_input(const InputRecord& in) {
    return returned_id(
        db_.prepare("INSERT INTO inputs(case_id, name, format, bytes, lines, events, sha256, "
                    "skipped, skip_reason, problem_count, run_id) "
                    "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(case_id, sha256, name) DO UPDATE SET format = excluded.format, "
                    "bytes = excluded.bytes, lines = excluded.lines, events = excluded.events, "
                    "skipped = excluded.skipped, skip_reason = excluded.skip_reason, "
                    "problem_count = excluded.problem_count, "
                    "run_id = coalesce(excluded.run_id, run_id) RETURNING id")
            .bind_all(case_id_, in.name, in.format, in.bytes, in.lines, in.events, in.sha256,
                      in.skipped ? 1 : 0, in.skip_reason, static_cast<uint64_t>(in.problems.size()),
                      run_));
  }

  void write_inputs() {
    for (const InputRecord& in : b_.inputs) {
      int64_t id = upsert_input(in);
      input_ids_.emplace(in.name, id);  // events name their file; the first record wins
      written_inputs_.insert(id);
      db_.prepare("DELETE FROM input_problems WHERE input_id = ?").bind_all(id).run();
      int64_t ordinal = 0;
      for (const Problem& p : in.problems) {
        db_.prepare(
               "INSERT INTO input_problems(input_id, ordinal, severity, file, line, message) "
               "VALUES(?, ?, ?, ?, ?, ?)")
            .bind_all(id, ordinal++, to_string(p.severity), p.file, p.line, p.message)
            .run();
      }
    }
  }

  // The input an event came from: one of this batch, one stored earlier in the case, or,
  // when the caller gave no record for the file, a placeholder with an empty sha256.
  int64_t input_for(const Event& e) {
    auto it = input_ids_.find(e.origin.file);
    if (it != input_ids_.end()) return it->second;
    sql::Stmt& s = db_.prepare(
        "SELECT id FROM inputs WHERE case_id = ? AND name = ? ORDER BY id DESC LIMIT 1");
    s.bind_all(case_id_, e.origin.file);
    std::optional<int64_t> id;
    if (s.step()) id = s.int64(0);
    s.reset();
    if (!id) {
      InputRecord placeholder;
      placeholder.name = e.origin.file;
      placeholder.format = std::string(to_string(e.source));
      id = upsert_input(placeholder);
    }
    input_ids_.emplace(e.origin.file, *id);
    return *id;
  }

  void write_events() {
    // Events already written for an input are found again by (input, line, kind, seq), seq
    // counting events of one line and kind in the order the parser gave them.
    std::map<std::tuple<int64_t, uint64_t, EventKind>, int64_t> seqs;
    db_.exec("CREATE TEMP TABLE IF NOT EXISTS written_events(id INTEGER PRIMARY KEY)");
    db_.exec("DELETE FROM temp.written_events");
    event_ids_.reserve(b_.events.size());
    for (const Event& e : b_.events) {
      int64_t input = input_for(e);
      int64_t seq = seqs[{input, e.origin.line, e.kind}]++;
      const SipMessage* sip = e.sip ? &*e.sip : nullptr;
      std::optional<int64_t> status;
      if (sip && !sip->is_request && sip->status_code) status = sip->status_code;
      int64_t id = returned_id(
          db_.prepare(
                 "INSERT INTO events(case_id, input_id, seq, ts, ts_ms, basis, source, kind, "
                 "file, line, host, call_id, cseq, method, status, reason_phrase, request_uri, "
                 "direction, local, remote, summary, fields, ms_diagnostics, raw) "
                 "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT(input_id, line, kind, seq) DO UPDATE SET "
                 "case_id = excluded.case_id, ts = excluded.ts, ts_ms = excluded.ts_ms, "
                 "basis = excluded.basis, source = excluded.source, file = excluded.file, "
                 "host = excluded.host, call_id = excluded.call_id, cseq = excluded.cseq, "
                 "method = excluded.method, status = excluded.status, "
                 "reason_phrase = excluded.reason_phrase, request_uri = excluded.request_uri, "
                 "direction = excluded.direction, local = excluded.local, "
                 "remote = excluded.remote, summary = excluded.summary, "
                 "fields = excluded.fields, ms_diagnostics = excluded.ms_diagnostics, "
                 "raw = excluded.raw RETURNING id")
              .bind_all(case_id_, input, seq, format_iso_utc(e.ts_ms), e.ts_ms, to_string(e.basis),
                        to_string(e.source), to_string(e.kind), e.origin.file, e.origin.line,
                        e.host, e.call_id, e.cseq,
                        sip ? std::string_view(sip->method) : std::string_view(), status,
                        sip ? std::string_view(sip->reason_phrase) : std::string_view(),
                        sip ? std::string_view(sip->request_uri) : std::string_view(),
                        to_string(e.direction), e.local, e.remote, e.summary,
                        store_json::from_fields(e.fields),
                        store_json::from_ms_diagnostics(sip ? sip->ms_diagnostics
                                                            : std::vector<MsDiagnostic>()),
                        e.raw));
      event_ids_.push_back(id);
      db_.prepare("INSERT OR IGNORE INTO temp.written_events(id) VALUES(?)").bind_all(id).run();
    }
  }

  // An input written again is described by this batch alone: events it no longer yields
  // (a parser that changed) go, with their call links.
  void drop_stale_events() {
    for (int64_t input : written_inputs_) {
      db_.prepare(
             "DELETE FROM events WHERE input_id = ? AND id NOT IN "
             "(SELECT id FROM temp.written_events)")
          .bind_all(input)
          .run();
    }
  }

  int64_t event_id(size_t index, const std::string& call_id) const {
    if (index >= event_ids_.size()) {
      throw std::invalid_argument("call " + call_id + " refers to event " + std::to_string(index) +
                                  " of " + std::to_string(event_ids_.size()));
    }
    return event_ids_[index];
  }

  void write_calls() {
    // Findings of every call id this batch covers are replaced, even for a call whose
    // findings all went away.
    std::set<std::string> covered;
    for (const Call& c : b_.calls) covered.insert(c.call_id);
    for (const Finding& f : b_.findings) covered.insert(f.call_id);
    for (const std::string& call_id : covered) {
      db_.prepare("DELETE FROM findings WHERE case_id = ? AND call_id = ?")
          .bind_all(case_id_, call_id)
          .run();
    }
    for (const Call& c : b_.calls) write_call(c);
  }

  void write_call(const Call& c) {
    std::vector<std::string> sources;
    for (Source s : c.sources) sources.emplace_back(to_string(s));
    int64_t row = returned_id(
        db_.prepare("INSERT INTO calls(case_id, call_id, first_ts, first_ms, last_ts, last_ms, "
                    "from_uri, from_display, to_uri, request_uri, method, final_status, "
                    "final_reason, failed, sources, hosts, event_count, link_count, "
                    "message_count, updated_at, run_id) "
                    "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(case_id, call_id) DO UPDATE SET first_ts = excluded.first_ts, "
                    "first_ms = excluded.first_ms, last_ts = excluded.last_ts, "
                    "last_ms = excluded.last_ms, from_uri = excluded.from_uri, "
                    "from_display = excluded.from_display, to_uri = excluded.to_uri, "
                    "request_uri = excluded.request_uri, method = excluded.method, "
                    "final_status = excluded.final_status, "
                    "final_reason = excluded.final_reason, failed = excluded.failed, "
                    "sources = excluded.sources, hosts = excluded.hosts, "
                    "event_count = excluded.event_count, link_count = excluded.link_count, "
                    "message_count = excluded.message_count, updated_at = excluded.updated_at, "
                    "run_id = coalesce(excluded.run_id, run_id) RETURNING id")
            .bind_all(case_id_, c.call_id, format_iso_utc(c.first_ms), c.first_ms,
                      format_iso_utc(c.last_ms), c.last_ms, c.from_uri, c.from_display, c.to_uri,
                      c.request_uri, c.method, nonzero(c.final_status), c.final_reason,
                      c.failed() ? 1 : 0, store_json::from_strings(sources),
                      store_json::from_strings(c.hosts), static_cast<uint64_t>(c.events.size()),
                      static_cast<uint64_t>(c.links.size()),
                      static_cast<uint64_t>(c.messages.size()), now_, run_));
    db_.prepare("DELETE FROM call_links WHERE call_row = ?").bind_all(row).run();

    std::unordered_map<size_t, const std::string*> reasons;
    for (const CallLink& l : c.links) reasons.emplace(l.event, &l.reason);
    int64_t ordinal = 0;
    auto link = [&](size_t index, std::string_view reason) {
      db_.prepare(
             "INSERT INTO call_links(call_row, event_id, ordinal, reason) "
             "VALUES(?, ?, ?, ?) ON CONFLICT DO NOTHING")
          .bind_all(row, event_id(index, c.call_id), ordinal++, reason)
          .run();
    };
    for (size_t index : c.events) {
      auto it = reasons.find(index);
      link(index, it == reasons.end() ? std::string_view() : std::string_view(*it->second));
    }
    for (const CallLink& l : c.links) link(l.event, l.reason);  // ignored when already linked
  }

  void write_findings() {
    for (const Finding& f : b_.findings) {
      auto rule = rule_rows_.find(f.rule_id);
      std::optional<int64_t> rule_row;
      if (rule != rule_rows_.end()) rule_row = rule->second;
      // Two findings of one rule for one call within a batch: the last one stands.
      int64_t row = returned_id(
          db_.prepare("INSERT INTO findings(case_id, call_id, rule_id, rule_row, title, severity, "
                      "fields, root_cause, fix, related_rules, run_id) "
                      "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                      "ON CONFLICT(case_id, call_id, rule_id) DO UPDATE SET "
                      "rule_row = excluded.rule_row, title = excluded.title, "
                      "severity = excluded.severity, fields = excluded.fields, "
                      "root_cause = excluded.root_cause, fix = excluded.fix, "
                      "related_rules = excluded.related_rules, "
                      "run_id = coalesce(excluded.run_id, run_id) RETURNING id")
              .bind_all(case_id_, f.call_id, f.rule_id, rule_row, f.title,
                        store_text::severity(f.severity), store_json::from_fields(f.fields),
                        f.root_cause, f.fix, store_json::from_strings(f.related_rules), run_));
      db_.prepare("DELETE FROM evidence WHERE finding_id = ?").bind_all(row).run();
      int64_t ordinal = 0;
      for (const Evidence& ev : f.evidence) {
        // Evidence keeps its file, line and text even when it names no event of the batch.
        std::optional<int64_t> event;
        if (ev.event < event_ids_.size()) event = event_ids_[ev.event];
        db_.prepare(
               "INSERT INTO evidence(finding_id, ordinal, event_id, file, line, text) "
               "VALUES(?, ?, ?, ?, ?, ?)")
            .bind_all(row, ordinal++, event, ev.file, ev.line, ev.text)
            .run();
      }
    }
  }

  sql::Db& db_;
  const Batch& b_;
  int64_t now_ms_ = 0;
  std::string now_;
  std::optional<int64_t> run_;
  int64_t case_id_ = 0;
  std::unordered_map<std::string, int64_t> rule_rows_;
  std::unordered_map<std::string, int64_t> input_ids_;
  std::set<int64_t> written_inputs_;
  std::vector<int64_t> event_ids_;
};

}  // namespace

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void write(sql::Db& db, const Batch& batch) {
  Writer(db, batch).run();
}

}  // namespace fedtriage::store_write
