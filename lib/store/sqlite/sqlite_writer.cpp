#include "lib/store/sqlite/sqlite_writer.h"
#include "lib/store/event_key.h"
#include "lib/store/input_placeholder.h"

#include <sqlite3.h>

#include <chrono>
#include <optional>
#include <set>
#include <stdexcept>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "lib/core/timestamp.h"
#include "lib/store/case_origin.h"
#include "lib/store/enum_text.h"
#include "lib/store/event_text.h"
#include "lib/store/json_columns.h"
#include "lib/store/raw_text.h"
#include "lib/store/shared_sql.h"
#include "lib/store/sqlite/conversation_tables.h"
#include "lib/store/sqlite/source_files.h"

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

#define FEDTRIAGE_INSERT_EVENT                                                    \
  "INSERT INTO events(case_id, input_id, seq, ts, ts_ms, basis, source, kind, "   \
  "file, line, host, call_id, cseq, method, status, reason_phrase, request_uri, " \
  "direction, local, remote, summary, fields, ms_diagnostics, raw, raw_zstd, "    \
  "raw_dict, text_id, text_at, raw_len) "                                         \
  "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "

#define FEDTRIAGE_INSERT_CALL                                                                \
  "INSERT INTO calls(case_id, call_id, first_ts, first_ms, last_ts, last_ms, from_uri, "     \
  "from_display, to_uri, request_uri, method, final_status, final_reason, failed, sources, " \
  "hosts, event_count, link_count, message_count, updated_at, run_id, outcome) "             \
  "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
#define FEDTRIAGE_INSERT_FINDING                                                        \
  "INSERT INTO findings(case_id, call_id, rule_id, rule_row, title, severity, fields, " \
  "root_cause, fix, related_rules, run_id) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "

// Into an input without earlier events nothing conflicts: a plain insert, no RETURNING.
constexpr const char* kInsertEvent = FEDTRIAGE_INSERT_EVENT;
constexpr const char* kUpsertEvent =
    FEDTRIAGE_INSERT_EVENT FEDTRIAGE_SQL_EVENT_UPSERT "RETURNING id";
#undef FEDTRIAGE_INSERT_EVENT

}  // namespace

// An input events may name: its row and whether events of it were stored before this write
// (then their ids are found again by upsert, and if this write describes the input, the ones
// not written again are dropped at the end).
struct InputState {
  int64_t id = 0;
  bool had_events = false;
  bool track = false;  // record written ids in temp.written_events, drop the rest in finish()
};

struct CaseWrite::State {
  State(sql::Db& d, const WriteOptions& o) : db(d), options(o) {}

  sql::Db& db;
  WriteOptions options;
  int64_t now_ms = 0;
  std::string now;
  std::optional<int64_t> run;
  int64_t case_id = 0;
  bool inputs_written = false;
  bool events_written = false;
  bool tracking = false;    // temp.written_events is prepared
  bool superseded = false;  // an old version of a file was dropped: drop what only it held
  bool rewritten = false;   // events stored before were written again: their old text goes
  std::unordered_map<std::string, int64_t> rule_rows;
  std::unordered_map<std::string, InputState> inputs;  // by name; the first record wins
  std::vector<int64_t> tracked_inputs;
  std::unordered_map<EventKey, int64_t, EventKeyHash> seqs;  // seq 0: the next seq of a line
  std::unordered_set<std::string> covered_calls;  // findings already replaced in this write
  // The case held no calls / no findings when this write began (a first analysis): rows are
  // inserted, not upserted, and nothing stored earlier needs replacing.
  bool no_calls_before = false;
  bool no_findings_before = false;

  int64_t upsert_input(const InputRecord& in) {
    return returned_id(
        db.prepare("INSERT INTO inputs(case_id, name, format, bytes, lines, events, sha256, "
                   "skipped, skip_reason, problem_count, run_id) "
                   "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                   "ON CONFLICT(case_id, sha256, name) DO UPDATE SET format = excluded.format, "
                   "bytes = excluded.bytes, lines = excluded.lines, events = excluded.events, "
                   "skipped = excluded.skipped, skip_reason = excluded.skip_reason, "
                   "problem_count = excluded.problem_count, "
                   "run_id = coalesce(excluded.run_id, run_id) RETURNING id")
            .bind_all(case_id, in.name, in.format, in.bytes, in.lines, in.events, in.sha256,
                      in.skipped ? 1 : 0, in.skip_reason, static_cast<uint64_t>(in.problems.size()),
                      run));
  }

  bool has_events(int64_t input) {
    sql::Stmt& s = db.prepare("SELECT 1 FROM events WHERE input_id = ? LIMIT 1");
    s.bind_all(input);
    const bool found = s.step();
    s.reset();
    return found;
  }

  void start_tracking() {
    if (tracking) return;
    db.exec("CREATE TEMP TABLE IF NOT EXISTS written_events(id INTEGER PRIMARY KEY)");
    db.exec("DELETE FROM temp.written_events");
    tracking = true;
  }

  // The input an event came from: one of this write, one stored earlier in the case, or,
  // when the caller gave no record for the file, a placeholder with an empty sha256.
  InputState& input_for(const Event& e) {
    auto it = inputs.find(e.origin.file);
    if (it != inputs.end()) return it->second;
    sql::Stmt& s =
        db.prepare("SELECT id FROM inputs WHERE case_id = ? AND name = ? ORDER BY id DESC LIMIT 1");
    s.bind_all(case_id, e.origin.file);
    std::optional<int64_t> id;
    if (s.step()) id = s.int64(0);
    s.reset();
    InputState state;
    if (id) {
      state.id = *id;
      state.had_events = has_events(*id);
    } else {
      state.id = upsert_input(input_placeholder(e));
    }
    return inputs.emplace(e.origin.file, state).first->second;
  }

  // The cold text of each write_events() batch as one zstd frame (event_text.h), packed by
  // the caller; the case's dictionary is stored once, with the first frame that needs it.
  int64_t dictionary_row = 0;
  std::vector<store_cold::RecordPlace> places;

  void store_frames(const store_cold::PackedEvents& packed) {
    places = store_cold::store_packed(
        packed, dictionary_row,
        [this](const std::string& dict) {
          sql::Stmt& s = db.prepare("INSERT INTO raw_dicts(case_id, dict) VALUES(?, ?)");
          s.reset();
          s.bind(1, case_id).bind_blob(2, dict).run();
          return db.last_insert_rowid();
        },
        [this](const std::string& frame, int64_t dict) {
          sql::Stmt& s = db.prepare("INSERT INTO event_texts(case_id, dict, zstd) VALUES(?, ?, ?)");
          s.reset();
          s.bind(1, case_id).bind(2, dict ? std::optional<int64_t>(dict) : std::nullopt);
          s.bind_blob(3, frame).run();
          return db.last_insert_rowid();
        });
  }

  // The hot path: statements looked up once, no RETURNING into a fresh input.
  sql::Stmt* insert_event = nullptr;
  sql::Stmt* upsert_event = nullptr;
  sql::Stmt* record_written = nullptr;

  // ts, file and the cold text are not stored in the row (schema version 7): ts is ts_ms,
  // file the input's name, the rest in the batch's frame (fields: `{}`). MS diagnostics stay
  // in the row: they are few and queried (docs/schema.md).
  // Every parameter is bound again for each event, the event's strings without a copy: they
  // live until the statement has run (sql::Stmt::bind_unowned).
  std::string diagnostics;
  void bind_event(sql::Stmt& s, const Event& e, int64_t input, int64_t seq,
                  const store_cold::RecordPlace& place) {
    static const std::vector<MsDiagnostic> kNone;
    diagnostics = store_json::from_ms_diagnostics(e.sip ? e.sip->ms_diagnostics : kNone);
    const SipMessage* sip = e.sip ? &*e.sip : nullptr;
    const std::string_view none;
    s.rewind();
    s.bind(1, case_id).bind(2, input).bind(3, seq).bind_unowned(4, none).bind(5, e.ts_ms);
    s.bind_unowned(6, to_string(e.basis)).bind_unowned(7, to_string(e.source));
    s.bind_unowned(8, to_string(e.kind)).bind_unowned(9, none).bind(10, e.origin.line);
    s.bind_unowned(11, e.host).bind_unowned(12, e.call_id).bind_unowned(13, e.cseq);
    s.bind_unowned(14, sip ? std::string_view(sip->method) : none);
    if (sip && !sip->is_request && sip->status_code) {
      s.bind(15, static_cast<int64_t>(sip->status_code));
    } else {
      s.bind(15, nullptr);
    }
    s.bind_unowned(16, sip ? std::string_view(sip->reason_phrase) : none);
    s.bind_unowned(17, none).bind_unowned(18, to_string(e.direction));
    s.bind_unowned(19, none).bind_unowned(20, none);
    s.bind_unowned(21, none).bind_unowned(22, std::string_view("{}"));
    s.bind_unowned(23, diagnostics);
    s.bind_unowned(24, none).bind(25, nullptr).bind(26, nullptr);
    s.bind(27, place.text_id).bind(28, place.at).bind(29, place.raw_len);
  }

  int64_t upsert(const Event& e, int64_t input, int64_t seq, const store_cold::RecordPlace& place) {
    if (!upsert_event) upsert_event = &db.prepare(kUpsertEvent);
    bind_event(*upsert_event, e, input, seq, place);
    return returned_id(*upsert_event);
  }

  int64_t write_event(const Event& e, const store_cold::RecordPlace& place) {
    InputState& input = input_for(e);
    const int64_t seq = options.seq_in_write_order
                            ? seqs[{input.id, static_cast<int64_t>(e.origin.line), e.kind, 0}]++
                            : e.origin.seq;
    int64_t id = 0;
    if (input.had_events) {
      rewritten = true;
      id = upsert(e, input.id, seq, place);
    } else {
      if (!insert_event) insert_event = &db.prepare(kInsertEvent);
      bind_event(*insert_event, e, input.id, seq, place);
      try {
        insert_event->run();
        id = db.last_insert_rowid();
      } catch (const sql::Error& error) {
        // The caller wrote one event twice in this write (e.g. for two calls): the row it
        // already has.
        if (error.code() != SQLITE_CONSTRAINT) throw;
        rewritten = true;
        id = upsert(e, input.id, seq, place);
      }
    }
    if (input.track) {
      if (!record_written) {
        record_written = &db.prepare("INSERT OR IGNORE INTO temp.written_events(id) VALUES(?)");
      }
      record_written->reset();
      record_written->bind(1, id).run();
    }
    return id;
  }

  // The first time this write names a call id, the findings stored for it go: a finding that
  // no longer fires disappears.
  void cover(const std::string& call_id) {
    if (no_findings_before) return;  // nothing stored earlier to replace
    if (!covered_calls.insert(call_id).second) return;
    db.prepare("DELETE FROM findings WHERE case_id = ? AND call_id = ?")
        .bind_all(case_id, call_id)
        .run();
  }

  // The id of the row `bind` describes. A plain insert where nothing can conflict yet (a
  // case without such rows when this write began): an upsert with RETURNING builds a temporary
  // table per statement, which cost about a third of storing a call (bench/README.md).
  // Otherwise, or on a conflict within this write (the same call or finding twice), `upsert`,
  // then `drop_children` deletes the rows the upserted one had (its id bound as ?1).
  template <typename Bind>
  int64_t insert_or_upsert(bool nothing_before, const char* insert, const char* upsert,
                           const char* drop_children, Bind&& bind) {
    if (nothing_before) {
      sql::Stmt& s = db.prepare(insert);
      bind(s);
      try {
        s.run();
        return db.last_insert_rowid();
      } catch (const sql::Error& error) {
        s.reset();
        if (error.code() != SQLITE_CONSTRAINT) throw;
      }
    }
    sql::Stmt& s = db.prepare(upsert);
    bind(s);
    const int64_t id = returned_id(s);
    db.prepare(drop_children).bind_all(id).run();
    return id;
  }

  void write_call(const Call& c, const std::vector<int64_t>& ids) {
    std::vector<std::string> sources;
    for (Source s : c.sources) sources.emplace_back(to_string(s));
    auto bind = [&](sql::Stmt& s) {
      s.bind_all(case_id, c.call_id, format_iso_utc(c.first_ms), c.first_ms,
                 format_iso_utc(c.last_ms), c.last_ms, c.from_uri, c.from_display, c.to_uri,
                 c.request_uri, c.method, nonzero(c.final_status), c.final_reason,
                 c.failed() ? 1 : 0, store_json::from_strings(sources),
                 store_json::from_strings(c.hosts), static_cast<uint64_t>(c.events.size()),
                 static_cast<uint64_t>(c.links.size()), static_cast<uint64_t>(c.messages.size()),
                 now, run, std::string(to_string(c.outcome)));
    };
    const int64_t row = insert_or_upsert(
        no_calls_before, FEDTRIAGE_INSERT_CALL,
        FEDTRIAGE_INSERT_CALL
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
        "run_id = coalesce(excluded.run_id, run_id), outcome = excluded.outcome "
        "RETURNING id",
        "DELETE FROM call_links WHERE call_row = ?1", bind);

    std::unordered_map<size_t, const std::string*> reasons;
    for (const CallLink& l : c.links) reasons.emplace(l.event, &l.reason);
    int64_t ordinal = 0;
    sql::Stmt& insert = db.prepare(
        "INSERT INTO call_links(call_row, event_id, ordinal, reason) "
        "VALUES(?, ?, ?, ?) ON CONFLICT DO NOTHING");
    auto link = [&](size_t index, std::string_view reason) {
      insert.reset();
      insert.bind_all(row, event_row_id(ids, index, c.call_id), ordinal++, reason).run();
    };
    for (size_t index : c.events) {
      auto it = reasons.find(index);
      link(index, it == reasons.end() ? std::string_view() : std::string_view(*it->second));
    }
    for (const CallLink& l : c.links) link(l.event, l.reason);  // ignored when already linked
  }

  void write_findings(const std::vector<Finding>& findings, const std::vector<int64_t>& ids) {
    for (const Finding& f : findings) {
      auto rule = rule_rows.find(f.rule_id);
      std::optional<int64_t> rule_row;
      if (rule != rule_rows.end()) rule_row = rule->second;
      // Two findings of one rule for one call within a write: the last one stands.
      auto bind = [&](sql::Stmt& s) {
        s.bind_all(case_id, f.call_id, f.rule_id, rule_row, f.title,
                   store_text::severity(f.severity), store_json::from_fields(f.fields),
                   f.root_cause, f.fix, store_json::from_strings(f.related_rules), run);
      };
      const int64_t row =
          insert_or_upsert(no_findings_before, FEDTRIAGE_INSERT_FINDING,
                           FEDTRIAGE_INSERT_FINDING
                           "ON CONFLICT(case_id, call_id, rule_id) DO UPDATE SET "
                           "rule_row = excluded.rule_row, title = excluded.title, "
                           "severity = excluded.severity, fields = excluded.fields, "
                           "root_cause = excluded.root_cause, fix = excluded.fix, "
                           "related_rules = excluded.related_rules, "
                           "run_id = coalesce(excluded.run_id, run_id) RETURNING id",
                           "DELETE FROM evidence WHERE finding_id = ?1", bind);
      int64_t ordinal = 0;
      for (const Evidence& ev : f.evidence) {
        // Evidence keeps its file, line and text even when it names no event of the write.
        std::optional<int64_t> event;
        if (ev.event < ids.size()) event = ids[ev.event];
        db.prepare(
              "INSERT INTO evidence(finding_id, ordinal, event_id, file, line, text) "
              "VALUES(?, ?, ?, ?, ?, ?)")
            .bind_all(row, ordinal++, event, ev.file, ev.line, ev.text)
            .run();
      }
    }
  }
};

CaseWrite::CaseWrite(sql::Db& db, const std::string& case_name, const std::vector<RuleInfo>& rules,
                     const WriteOptions& options)
    : s_(std::make_unique<State>(db, options)) {
  State& s = *s_;
  s.now_ms = now_ms();
  s.now = format_iso_utc(s.now_ms);
  s.run = nonzero(options.run_id);
  if (options.replace_case)
    db.prepare("DELETE FROM cases WHERE name = ?").bind_all(case_name).run();
  sql::Stmt& upsert = db.prepare(
      "INSERT INTO cases(name, created_at, updated_at, run_id, origin) "
      "VALUES(?1, ?2, ?2, ?3, ?4) ON CONFLICT(name) DO UPDATE SET "
      "updated_at = excluded.updated_at, run_id = coalesce(excluded.run_id, run_id), "
      "origin = CASE WHEN origin = '' THEN excluded.origin ELSE origin END RETURNING id, origin");
  upsert.bind_all(case_name, s.now, s.run, options.case_origin);
  if (!upsert.step()) throw sql::Error(SQLITE_ERROR, "no case row returned");
  s.case_id = upsert.int64(0);
  const std::string stored_origin = upsert.text(1);
  upsert.reset();
  store_guard::check_case_origin(case_name, stored_origin, options.case_origin);
  auto none_in_case = [&](const char* sql) {
    sql::Stmt& q = db.prepare(sql);
    q.bind_all(s.case_id);
    const bool found = q.step();
    q.reset();
    return !found;
  };
  s.no_calls_before = none_in_case("SELECT 1 FROM calls WHERE case_id = ? LIMIT 1");
  s.no_findings_before = none_in_case("SELECT 1 FROM findings WHERE case_id = ? LIMIT 1");
  for (const RuleInfo& r : rules) {
    int64_t row = returned_id(
        db.prepare("INSERT INTO rules(rule_id, title, severity, file, sha256) "
                   "VALUES(?, ?, ?, ?, ?) ON CONFLICT(rule_id, sha256) DO UPDATE SET "
                   "title = excluded.title, severity = excluded.severity, "
                   "file = excluded.file RETURNING id")
            .bind_all(r.id, r.title, store_text::severity(r.severity), r.file, r.sha256));
    s.rule_rows.emplace(r.id, row);
    if (s.run) {
      db.prepare("INSERT OR IGNORE INTO run_rules(run_id, rule_row) VALUES(?, ?)")
          .bind_all(*s.run, row)
          .run();
    }
  }
}

CaseWrite::~CaseWrite() = default;

void CaseWrite::inputs(const std::vector<InputRecord>& inputs) {
  State& s = *s_;
  if (s.inputs_written || s.events_written) {
    throw std::logic_error("inputs must be written once, before any event");
  }
  s.inputs_written = true;
  for (const InputRecord& in : inputs) {
    if (!s.options.case_origin.empty()) {
      s.db.prepare(FEDTRIAGE_SQL_DROP_OLD_INPUT).bind_all(s.case_id, in.name, in.sha256).run();
      s.superseded = s.superseded || sqlite3_changes(s.db.handle()) > 0;
    }
    int64_t id = s.upsert_input(in);
    // An input written again is described by this write alone: the ids of its events written
    // now are recorded, the others go in finish(). A fresh input needs none of that.
    const bool had_events = s.has_events(id);
    if (had_events) {
      s.start_tracking();
      s.tracked_inputs.push_back(id);
    }
    s.inputs.emplace(in.name, InputState{id, had_events, had_events});  // the first record wins
    s.db.prepare("DELETE FROM input_problems WHERE input_id = ?").bind_all(id).run();
    int64_t ordinal = 0;
    for (const Problem& p : in.problems) {
      s.db.prepare(
              "INSERT INTO input_problems(input_id, ordinal, severity, file, line, message) "
              "VALUES(?, ?, ?, ?, ?, ?)")
          .bind_all(id, ordinal++, to_string(p.severity), p.file, p.line, p.message)
          .run();
    }
  }
}

store_cold::PackedEvents CaseWrite::pack(store_cold::BatchPacker& packer, const EventRefs& events) {
  std::vector<store_cold::ColdText> texts;
  texts.reserve(events.size());
  for (const Event& e : events) texts.push_back(store_cold::cold_text(e));
  return packer.pack(texts);
}

void CaseWrite::events(const EventRefs& events, const store_cold::PackedEvents& packed,
                       std::vector<int64_t>* ids) {
  State& s = *s_;
  s.events_written = true;
  if (packed.places.size() != events.size()) {
    throw std::logic_error("events written with the text packed for other events");
  }
  if (ids) ids->reserve(ids->size() + events.size());
  if (events.empty()) return;
  // Inputs first: a placeholder input is a row of its own, before the batch's frame.
  for (const Event& e : events) s.input_for(e);
  s.store_frames(packed);
  for (size_t k = 0; k < events.size(); ++k) {
    int64_t id = s.write_event(events[k], s.places[k]);
    if (ids) ids->push_back(id);
  }
}

void CaseWrite::call(const Call& call, const std::vector<Finding>& findings,
                     const std::vector<int64_t>& event_ids) {
  s_->cover(call.call_id);
  s_->write_call(call, event_ids);
  s_->write_findings(findings, event_ids);
}

void CaseWrite::findings(const std::string& call_id, const std::vector<Finding>& findings,
                         const std::vector<int64_t>& event_ids) {
  s_->cover(call_id);
  s_->write_findings(findings, event_ids);
}

void CaseWrite::conversations(const ConversationSet& set) {
  store_conversations::write(s_->db, s_->case_id, set, s_->run);
}

void CaseWrite::finish() {
  State& s = *s_;
  // An input written again is described by this write alone: events it no longer yields (a
  // parser that changed) go, with their call links.
  for (int64_t input : s.tracked_inputs) {
    s.db.prepare(
            "DELETE FROM events WHERE input_id = ? AND id NOT IN "
            "(SELECT id FROM temp.written_events)")
        .bind_all(input)
        .run();
  }
  if (!s.options.case_origin.empty()) {
    for (const SourceRecord& f : s.options.sources) {
      s.db.prepare(FEDTRIAGE_SQL_DROP_OLD_SOURCE).bind_all(s.case_id, f.name, f.sha256).run();
    }
  }
  if (s.superseded) {
    s.db.prepare(FEDTRIAGE_SQL_DROP_CALLS_WITHOUT_EVENTS).bind_all(s.case_id).run();
    s.db.prepare(FEDTRIAGE_SQL_DROP_FINDINGS_WITHOUT_CALL).bind_all(s.case_id).run();
  }
  if (s.rewritten || s.superseded || !s.tracked_inputs.empty()) {
    s.db.prepare(FEDTRIAGE_SQL_DROP_UNUSED_TEXTS).bind_all(s.case_id).run();
  }
  store_sources::write(s.db, s.case_id, s.options.sources, s.run, s.now);
}

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace fedtriage::store_write

#undef FEDTRIAGE_INSERT_CALL
#undef FEDTRIAGE_INSERT_FINDING
