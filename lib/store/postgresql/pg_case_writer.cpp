#include "lib/store/postgresql/pg_case_writer.h"
#include "lib/store/event_key.h"
#include "lib/store/input_placeholder.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <optional>
#include <set>
#include <stdexcept>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "lib/core/timestamp.h"
#include "lib/store/case_origin.h"
#include "lib/store/enum_text.h"
#include "lib/store/event_text.h"
#include "lib/store/json_columns.h"
#include "lib/store/postgresql/pg_connection.h"
#include "lib/store/postgresql/pg_conversations.h"
#include "lib/store/postgresql/pg_text.h"
#include "lib/store/raw_text.h"
#include "lib/store/shared_sql.h"
#include "lib/store/write_guard.h"

namespace fedtriage {
namespace {

using pg::Params;

std::optional<int64_t> nonzero(int64_t v) {
  return v ? std::optional<int64_t>(v) : std::nullopt;
}

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// {1,2,NULL}: a bigint[] parameter.
std::string int_array(const std::vector<std::optional<int64_t>>& values) {
  std::string out = "{";
  for (size_t k = 0; k < values.size(); ++k) {
    if (k) out += ',';
    out += values[k] ? std::to_string(*values[k]) : "NULL";
  }
  return out + "}";
}

// The session's scratch tables. fedtriage_stage receives one batch of events by COPY (then
// they are upserted into events in one statement); fedtriage_written holds the ids written
// into inputs that had events before, to drop the ones not written again.
constexpr const char* kTempTables = R"sql(
CREATE TEMP TABLE IF NOT EXISTS fedtriage_stage (
  ord bigint, case_id bigint, input_id bigint, seq bigint, ts text, ts_ms bigint, basis text,
  source text, kind text, file text, line bigint, host text, call_id text, cseq text,
  method text, status bigint, reason_phrase text, request_uri text, direction text,
  local text, remote text, summary text, fields text, ms_diagnostics text, raw text,
  raw_zstd bytea, raw_dict bigint, text_id bigint, text_at bigint, raw_len bigint);
CREATE INDEX IF NOT EXISTS fedtriage_stage_ord ON fedtriage_stage(ord);
CREATE TEMP TABLE IF NOT EXISTS fedtriage_written (id bigint PRIMARY KEY) ON COMMIT DELETE ROWS;
)sql";

constexpr const char* kCopyStage =
    "COPY fedtriage_stage(ord, case_id, input_id, seq, ts, ts_ms, basis, source, kind, file, "
    "line, host, call_id, cseq, method, status, reason_phrase, request_uri, direction, local, "
    "remote, summary, fields, ms_diagnostics, raw, raw_zstd, raw_dict, text_id, text_at, "
    "raw_len) FROM STDIN";

// One row per key (the last of the batch wins, as SQLite's upsert of a repeated event does),
// inserted in batch order so that ids follow it; RETURNING gives the ids by key.
constexpr const char* kUpsertStaged =
    "INSERT INTO events(case_id, input_id, seq, ts, ts_ms, basis, source, kind, file, line, "
    "host, call_id, cseq, method, status, reason_phrase, request_uri, direction, local, remote, "
    "summary, fields, ms_diagnostics, raw, raw_zstd, raw_dict, text_id, text_at, raw_len) "
    "SELECT case_id, input_id, seq, ts, ts_ms, basis, source, kind, file, line, host, call_id, "
    "cseq, method, status, reason_phrase, request_uri, direction, local, remote, summary, "
    "fields::json, ms_diagnostics::json, raw, raw_zstd, raw_dict, text_id, text_at, raw_len "
    "FROM (SELECT DISTINCT ON "
    "(input_id, line, kind, seq) "
    "* FROM fedtriage_stage WHERE ord >= %ORD% ORDER BY input_id, line, kind, seq, ord DESC) d "
    "ORDER BY ord " FEDTRIAGE_SQL_EVENT_UPSERT "RETURNING id, input_id, line, kind, seq, xmax = 0";

// Staged rows kept before the staging table is emptied (a TRUNCATE in a batch's query).
constexpr int64_t kStageRows = 100000;

struct InputState {
  int64_t id = 0;
  bool track = false;  // record written ids, drop the others at commit
};

class PgCaseWriter final : public CaseWriter {
 public:
  PgCaseWriter(pg::Connection& d, PgWriteCache& c, const WriteOptions& o)
      : db(d), cache(c), options(o) {}
  ~PgCaseWriter() override {
    if (state.open()) db.rollback_quietly();
  }

  void begin(const std::string& case_name, const std::vector<int64_t>& rule_rows,
             const std::vector<RuleInfo>& rules);

  bool write_inputs(const std::vector<InputRecord>& inputs, std::string* error) override {
    return step(error, [&] { do_inputs(inputs); });
  }
  bool pack_events(const EventRefs& events, store_cold::PackedEvents& out,
                   std::string* error) override {
    return store_guard::run(
        "cannot store analysis", db.shown(), error, [] {}, [&] { out = pack(events); });
  }
  bool write_packed_events(const EventRefs& events, store_cold::PackedEvents packed,
                           std::vector<int64_t>* ids, std::string* error) override {
    return step(error, [&] { do_events(events, packed, ids); });
  }
  bool write_call(const Call& call, const std::vector<Finding>& findings,
                  const std::vector<int64_t>& event_ids, std::string* error) override {
    return step(error, [&] {
      if (skip) return;
      std::vector<pg::Connection::Statement> batch;
      cover(call.call_id, batch);
      do_call(call, event_ids, batch);
      do_findings(findings, event_ids, batch);
      db.exec_all(batch);  // one round trip for the call and its findings
    });
  }
  bool write_findings(const std::string& call_id, const std::vector<Finding>& findings,
                      const std::vector<int64_t>& event_ids, std::string* error) override {
    return step(error, [&] {
      if (skip) return;
      std::vector<pg::Connection::Statement> batch;
      cover(call_id, batch);
      do_findings(findings, event_ids, batch);
      db.exec_all(batch);
    });
  }
  bool write_conversations(const ConversationSet& set, std::string* error) override {
    return step(error, [&] {
      if (!skip) pg_conversations::write(db, case_id, set, run);
    });
  }
  bool commit(std::string* error) override {
    return step(error, [&] {
      if (skip) {
        db.exec("ROLLBACK");  // stored meanwhile by another worker: nothing to add
      } else {
        finish();
        db.exec("COMMIT");
      }
      state.committed();
    });
  }

 private:
  template <typename F>
  bool step(std::string* error, F&& body) {
    return state.step(
        db.shown(), error, [&] { db.rollback_quietly(); }, body);
  }

  int64_t upsert_input(const InputRecord& in) {
    pg::Result r = db.exec(
        "INSERT INTO inputs(case_id, name, format, bytes, lines, events, sha256, skipped, "
        "skip_reason, problem_count, run_id) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
        "ON CONFLICT(case_id, sha256, name) DO UPDATE SET format = excluded.format, "
        "bytes = excluded.bytes, lines = excluded.lines, events = excluded.events, "
        "skipped = excluded.skipped, skip_reason = excluded.skip_reason, "
        "problem_count = excluded.problem_count, "
        "run_id = coalesce(excluded.run_id, inputs.run_id) RETURNING id",
        Params()
            .add(case_id)
            .add(in.name)
            .add(in.format)
            .add(in.bytes)
            .add(in.lines)
            .add(in.events)
            .add(in.sha256)
            .add(in.skipped ? 1 : 0)
            .add(in.skip_reason)
            .add(static_cast<uint64_t>(in.problems.size()))
            .add(run));
    return r.int64(0, 0);
  }

  bool has_events(int64_t input) {
    return db.exec("SELECT 1 FROM events WHERE input_id = $1 LIMIT 1", Params().add(input)).rows() >
           0;
  }

  void do_inputs(const std::vector<InputRecord>& list) {
    if (inputs_written || events_written) {
      throw std::logic_error("inputs must be written once, before any event");
    }
    inputs_written = true;
    if (skip) return;
    for (const InputRecord& in : list) {
      if (!options.case_origin.empty()) {
        pg::Result dropped = db.exec(FEDTRIAGE_SQL_DROP_OLD_INPUT,
                                     Params().add(case_id).add(in.name).add(in.sha256));
        superseded = superseded || dropped.affected() > 0;
      }
      const int64_t id = upsert_input(in);
      const bool had_events = has_events(id);
      if (had_events) tracking = true;
      inputs.emplace(in.name, InputState{id, had_events});  // the first record wins
      db.exec("DELETE FROM input_problems WHERE input_id = $1", Params().add(id));
      if (in.problems.empty()) continue;
      std::vector<std::optional<int64_t>> ordinals, lines;
      std::vector<std::string_view> severities, files, messages;
      int64_t ordinal = 0;
      for (const Problem& p : in.problems) {
        ordinals.push_back(ordinal++);
        severities.push_back(to_string(p.severity));
        files.push_back(p.file);
        lines.push_back(static_cast<int64_t>(p.line));
        messages.push_back(p.message);
      }
      db.exec(
          "INSERT INTO input_problems(input_id, ordinal, severity, file, line, message) "
          "SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], "
          "$6::text[])",
          Params()
              .add(id)
              .add(int_array(ordinals))
              .add(pg::text_array(severities))
              .add(pg::text_array(files))
              .add(int_array(lines))
              .add(pg::text_array(messages)));
    }
  }

  // The input an event came from: one of this write, one stored earlier in the case, or a
  // placeholder with an empty sha256 when the caller gave no record for the file.
  InputState& input_for(const Event& e) {
    auto it = inputs.find(e.origin.file);
    if (it != inputs.end()) return it->second;
    pg::Result r =
        db.exec("SELECT id FROM inputs WHERE case_id = $1 AND name = $2 ORDER BY id DESC LIMIT 1",
                Params().add(case_id).add(e.origin.file));
    InputState state;
    if (r.rows()) {
      state.id = r.int64(0, 0);
      rewritten = true;  // it may hold events that this write writes again
    } else {
      state.id = upsert_input(input_placeholder(e));
    }
    return inputs.emplace(e.origin.file, state).first->second;
  }

  // The batch's cold text, compressed. Text is made storable first, as PostgreSQL text
  // columns held it before, so that both back ends give back the same text.
  store_cold::PackedEvents pack(const EventRefs& events) {
    std::vector<store_cold::ColdText> texts;
    texts.reserve(events.size());
    for (const Event& e : events) {
      store_cold::ColdText t = store_cold::cold_text(e);
      for (std::string* part :
           {&t.raw, &t.summary, &t.fields, &t.local, &t.remote, &t.request_uri}) {
        if (!pg::storable(*part)) *part = pg::storable_copy(*part);
      }
      texts.push_back(std::move(t));
    }
    return batch_packer.pack(texts);
  }

  void do_events(const EventRefs& events, const store_cold::PackedEvents& packed,
                 std::vector<int64_t>* ids) {
    static const std::vector<MsDiagnostic> kNone;
    if (packed.places.size() != events.size()) {
      throw std::logic_error("events written with the text packed for other events");
    }
    events_written = true;
    if (skip) {
      if (ids) ids->insert(ids->end(), events.size(), 0);
      return;
    }
    if (events.empty()) return;
    std::vector<EventKey> keys;
    keys.reserve(events.size());
    bool any_tracked = false;
    // Inputs first: looking one up is a query, and none may run inside the COPY.
    for (const Event& e : events) {
      const InputState& input = input_for(e);
      any_tracked = any_tracked || input.track;
      const int64_t line = static_cast<int64_t>(e.origin.line);
      const int64_t seq = options.seq_in_write_order ? seqs[EventKey{input.id, line, e.kind, 0}]++
                                                     : static_cast<int64_t>(e.origin.seq);
      keys.push_back(EventKey{input.id, line, e.kind, seq});
    }
    // The batch's frames stored before the COPY (storing them, or the dictionary, is a query).
    const std::vector<store_cold::RecordPlace> places = store_cold::store_packed(
        packed, dictionary_row,
        [this](const std::string& dict) {
          return db
              .exec("INSERT INTO raw_dicts(case_id, dict) VALUES($1, $2::bytea) RETURNING id",
                    Params().add(case_id).add(pg::bytea_hex(dict)))
              .int64(0, 0);
        },
        [this](const std::string& frame, int64_t dict) {
          return db
              .exec(
                  "INSERT INTO event_texts(case_id, dict, zstd) VALUES($1, $2, $3::bytea) "
                  "RETURNING id",
                  Params()
                      .add(case_id)
                      .add(dict ? std::optional<int64_t>(dict) : std::nullopt)
                      .add(pg::bytea_hex(frame)))
              .int64(0, 0);
        });
    std::string buf;
    buf.reserve(std::min<size_t>(events.size() * 1024, 2u << 20));
    // One query string: the batch copied in and upserted from there; two round trips in all
    // (COPY's start, then its data and the upsert's rows). Batches are told apart by `ord`,
    // which grows for the life of the connection, so the staging table is emptied only now
    // and then: a TRUNCATE per batch cost more than the batch (new files, catalog rows).
    const int64_t base = cache.stage_next;
    cache.stage_next += static_cast<int64_t>(events.size());
    std::string sql;
    if (cache.stage_rows > kStageRows) {
      sql = "TRUNCATE fedtriage_stage; ";
      cache.stage_rows = 0;
    }
    cache.stage_rows += static_cast<int64_t>(events.size());
    std::string upsert = kUpsertStaged;
    upsert.replace(upsert.find("%ORD%"), 5, std::to_string(base));
    db.copy_begin(sql + kCopyStage + "; " + upsert);
    for (size_t k = 0; k < events.size(); ++k) {
      const Event& e = events[k];
      const EventKey& key = keys[k];
      const int64_t line = key.line;
      const SipMessage* sip = e.sip ? &*e.sip : nullptr;
      auto field = [&](std::string_view v) {
        pg::append_copy_field(buf, v);
        buf += '\t';
      };
      auto number = [&](int64_t v) {
        buf += std::to_string(v);
        buf += '\t';
      };
      number(base + static_cast<int64_t>(k));
      number(case_id);
      number(key.input);
      number(key.seq);
      // ts, file and the cold text are not in the row (schema version 7): ts is ts_ms, file
      // the input's name, the rest in the batch's frame.
      field(std::string_view());
      number(e.ts_ms);
      field(to_string(e.basis));
      field(to_string(e.source));
      field(to_string(e.kind));
      field(std::string_view());
      number(line);
      field(e.host);
      field(e.call_id);
      field(e.cseq);
      field(sip ? std::string_view(sip->method) : std::string_view());
      if (sip && !sip->is_request && sip->status_code) {
        number(static_cast<int64_t>(sip->status_code));
      } else {
        pg::append_copy_null(buf);
        buf += '\t';
      }
      field(sip ? std::string_view(sip->reason_phrase) : std::string_view());
      field(std::string_view());  // request_uri
      field(to_string(e.direction));
      field(std::string_view());  // local
      field(std::string_view());  // remote
      field(std::string_view());  // summary
      field("{}");
      field(store_json::from_ms_diagnostics(sip ? sip->ms_diagnostics : kNone));
      field(std::string_view());  // raw
      pg::append_copy_null(buf);  // raw_zstd
      buf += '\t';
      pg::append_copy_null(buf);  // raw_dict
      buf += '\t';
      number(places[k].text_id);
      number(places[k].at);
      buf += std::to_string(places[k].raw_len);
      buf += '\n';
      if (buf.size() >= (1u << 20)) {
        db.copy_put(buf);
        buf.clear();
      }
    }
    db.copy_put(buf);
    pg::Result r = db.copy_end();
    std::unordered_map<EventKey, int64_t, EventKeyHash> by_key;
    by_key.reserve(static_cast<size_t>(r.rows()));
    for (int row = 0; row < r.rows(); ++row) {
      // xmax 0: a new row; else one written before, whose old frame may now be unused.
      if (r.text(row, 5) != "t") rewritten = true;
      by_key.emplace(EventKey{r.int64(row, 1), r.int64(row, 2),
                              store_text::kind_from(r.text(row, 3)), r.int64(row, 4)},
                     r.int64(row, 0));
    }
    std::vector<std::optional<int64_t>> tracked;
    if (ids) ids->reserve(ids->size() + keys.size());
    for (size_t k = 0; k < keys.size(); ++k) {
      auto it = by_key.find(keys[k]);
      if (it == by_key.end()) throw pg::Error("an event was not stored");
      if (ids) ids->push_back(it->second);
      if (any_tracked && inputs.find(events[k].origin.file)->second.track) {
        tracked.push_back(it->second);
      }
    }
    if (!tracked.empty()) {
      db.exec(
          "INSERT INTO fedtriage_written(id) SELECT unnest($1::bigint[]) ON CONFLICT DO NOTHING",
          Params().add(int_array(tracked)));
    }
  }

  // The first time this write names a call id, the findings stored for it go.
  // The statements below go out together (exec_all): none needs another's result, rows made
  // earlier in the batch are found again by their unique keys.
  using Batch = std::vector<pg::Connection::Statement>;

  void cover(const std::string& call_id, Batch& batch) {
    if (!covered_calls.insert(call_id).second) return;
    batch.push_back({"DELETE FROM findings WHERE case_id = $1 AND call_id = $2",
                     Params().add(case_id).add(call_id)});
  }

  void do_call(const Call& c, const std::vector<int64_t>& ids, Batch& batch) {
    std::vector<std::string> sources;
    for (Source s : c.sources) sources.emplace_back(to_string(s));
    batch.push_back(
        {"INSERT INTO calls(case_id, call_id, first_ts, first_ms, last_ts, last_ms, from_uri, "
         "from_display, to_uri, request_uri, method, final_status, final_reason, failed, sources, "
         "hosts, event_count, link_count, message_count, updated_at, run_id, outcome) "
         "VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
         "$19, $20, $21, $22) "
         "ON CONFLICT(case_id, call_id) DO UPDATE SET first_ts = excluded.first_ts, "
         "first_ms = excluded.first_ms, last_ts = excluded.last_ts, last_ms = excluded.last_ms, "
         "from_uri = excluded.from_uri, from_display = excluded.from_display, "
         "to_uri = excluded.to_uri, request_uri = excluded.request_uri, "
         "method = excluded.method, final_status = excluded.final_status, "
         "final_reason = excluded.final_reason, failed = excluded.failed, "
         "sources = excluded.sources, hosts = excluded.hosts, "
         "event_count = excluded.event_count, link_count = excluded.link_count, "
         "message_count = excluded.message_count, updated_at = excluded.updated_at, "
         "run_id = coalesce(excluded.run_id, calls.run_id), outcome = excluded.outcome",
         Params()
             .add(case_id)
             .add(c.call_id)
             .add(format_iso_utc(c.first_ms))
             .add(c.first_ms)
             .add(format_iso_utc(c.last_ms))
             .add(c.last_ms)
             .add(c.from_uri)
             .add(c.from_display)
             .add(c.to_uri)
             .add(c.request_uri)
             .add(c.method)
             .add(nonzero(c.final_status))
             .add(c.final_reason)
             .add(c.failed() ? 1 : 0)
             .add(store_json::from_strings(sources))
             .add(store_json::from_strings(c.hosts))
             .add(static_cast<uint64_t>(c.events.size()))
             .add(static_cast<uint64_t>(c.links.size()))
             .add(static_cast<uint64_t>(c.messages.size()))
             .add(now)
             .add(run)
             .add(std::string(to_string(c.outcome)))});
    constexpr const char* kRow = "(SELECT id FROM calls WHERE case_id = $1 AND call_id = $2)";
    batch.push_back({std::string("DELETE FROM call_links WHERE call_row = ") + kRow,
                     Params().add(case_id).add(c.call_id)});

    // As SQLite's INSERT ... ON CONFLICT DO NOTHING in this order: the first link of an event
    // stays, and every attempt takes an ordinal.
    std::unordered_map<size_t, const std::string*> reasons;
    for (const CallLink& l : c.links) reasons.emplace(l.event, &l.reason);
    std::unordered_set<int64_t> linked;
    std::vector<std::optional<int64_t>> event_ids, ordinals;
    std::vector<std::string_view> link_reasons;
    int64_t ordinal = 0;
    auto link = [&](size_t index, std::string_view reason) {
      const int64_t id = event_row_id(ids, index, c.call_id);
      const int64_t at = ordinal++;
      if (!linked.insert(id).second) return;
      event_ids.push_back(id);
      ordinals.push_back(at);
      link_reasons.push_back(reason);
    };
    for (size_t index : c.events) {
      auto it = reasons.find(index);
      link(index, it == reasons.end() ? std::string_view() : std::string_view(*it->second));
    }
    for (const CallLink& l : c.links) link(l.event, l.reason);
    if (event_ids.empty()) return;
    batch.push_back({std::string("INSERT INTO call_links(call_row, event_id, ordinal, reason) "
                                 "SELECT ") +
                         kRow + ", * FROM unnest($3::bigint[], $4::bigint[], $5::text[])",
                     Params()
                         .add(case_id)
                         .add(c.call_id)
                         .add(int_array(event_ids))
                         .add(int_array(ordinals))
                         .add(pg::text_array(link_reasons))});
  }

  void do_findings(const std::vector<Finding>& findings, const std::vector<int64_t>& ids,
                   Batch& batch) {
    for (const Finding& f : findings) {
      auto rule = rule_rows.find(f.rule_id);
      std::optional<int64_t> rule_row;
      if (rule != rule_rows.end()) rule_row = rule->second;
      batch.push_back(
          {"INSERT INTO findings(case_id, call_id, rule_id, rule_row, title, severity, fields, "
           "root_cause, fix, related_rules, run_id) "
           "VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
           "ON CONFLICT(case_id, call_id, rule_id) DO UPDATE SET "
           "rule_row = excluded.rule_row, title = excluded.title, severity = excluded.severity, "
           "fields = excluded.fields, root_cause = excluded.root_cause, fix = excluded.fix, "
           "related_rules = excluded.related_rules, "
           "run_id = coalesce(excluded.run_id, findings.run_id)",
           Params()
               .add(case_id)
               .add(f.call_id)
               .add(f.rule_id)
               .add(rule_row)
               .add(f.title)
               .add(store_text::severity(f.severity))
               .add(store_json::from_fields(f.fields))
               .add(f.root_cause)
               .add(f.fix)
               .add(store_json::from_strings(f.related_rules))
               .add(run)});
      constexpr const char* kRow =
          "(SELECT id FROM findings WHERE case_id = $1 AND call_id = $2 AND rule_id = $3)";
      batch.push_back({std::string("DELETE FROM evidence WHERE finding_id = ") + kRow,
                       Params().add(case_id).add(f.call_id).add(f.rule_id)});
      if (f.evidence.empty()) continue;
      std::vector<std::optional<int64_t>> ordinals, events, lines;
      std::vector<std::string_view> files, texts;
      int64_t ordinal = 0;
      for (const Evidence& ev : f.evidence) {
        ordinals.push_back(ordinal++);
        events.push_back(ev.event < ids.size() ? std::optional<int64_t>(ids[ev.event])
                                               : std::nullopt);
        files.push_back(ev.file);
        lines.push_back(static_cast<int64_t>(ev.line));
        texts.push_back(ev.text);
      }
      batch.push_back(
          {std::string("INSERT INTO evidence(finding_id, ordinal, event_id, file, line, text) "
                       "SELECT ") +
               kRow +
               ", * FROM unnest($4::bigint[], $5::bigint[], $6::text[], $7::bigint[], "
               "$8::text[])",
           Params()
               .add(case_id)
               .add(f.call_id)
               .add(f.rule_id)
               .add(int_array(ordinals))
               .add(int_array(events))
               .add(pg::text_array(files))
               .add(int_array(lines))
               .add(pg::text_array(texts))});
    }
  }

  void finish() {
    for (const auto& [name, input] : inputs) {
      if (!input.track) continue;
      db.exec(
          "DELETE FROM events e WHERE e.input_id = $1 AND NOT EXISTS "
          "(SELECT 1 FROM fedtriage_written w WHERE w.id = e.id)",
          Params().add(input.id));
    }
    if (!options.case_origin.empty()) {
      for (const SourceRecord& s : options.sources) {
        db.exec(FEDTRIAGE_SQL_DROP_OLD_SOURCE, Params().add(case_id).add(s.name).add(s.sha256));
      }
    }
    if (superseded) {
      db.exec(FEDTRIAGE_SQL_DROP_CALLS_WITHOUT_EVENTS, Params().add(case_id));
      db.exec(FEDTRIAGE_SQL_DROP_FINDINGS_WITHOUT_CALL, Params().add(case_id));
    }
    if (tracking || superseded || rewritten) {
      db.exec(FEDTRIAGE_SQL_DROP_UNUSED_TEXTS, Params().add(case_id));
    }
    for (const SourceRecord& s : options.sources) {
      db.exec(
          "INSERT INTO source_files(case_id, name, sha256, bytes, stored_at, run_id) "
          "VALUES($1, $2, $3, $4, $5, $6) ON CONFLICT(case_id, sha256, name) DO UPDATE SET "
          "bytes = excluded.bytes, stored_at = excluded.stored_at, "
          "run_id = coalesce(excluded.run_id, source_files.run_id)",
          Params().add(case_id).add(s.name).add(s.sha256).add(s.bytes).add(now).add(run));
    }
  }

 public:
  pg::Connection& db;
  PgWriteCache& cache;
  WriteOptions options;
  store_guard::CaseWriteState state;
  bool skip = false;  // another worker stored these sources meanwhile
  std::string now;
  std::optional<int64_t> run;
  int64_t case_id = 0;
  bool inputs_written = false;
  bool events_written = false;
  bool tracking = false;
  bool superseded = false;  // an old version of a file was dropped: drop what only it held
  bool rewritten = false;   // events of an input stored before may have been written again
  std::unordered_map<std::string, int64_t> rule_rows;
  std::unordered_map<std::string, InputState> inputs;
  std::unordered_map<EventKey, int64_t, EventKeyHash> seqs;  // seq_in_write_order (seq 0 key)
  std::unordered_set<std::string> covered_calls;
  store_cold::BatchPacker batch_packer;  // pack_events may use it on another thread
  int64_t dictionary_row = 0;            // raw_dicts.id of the case's dictionary, once stored
};

// Rows of `rules`, upserted each in its own short transaction (autocommit) and remembered per
// connection: a case's transaction never holds a rule row that other workers need.
std::vector<int64_t> rule_rows(pg::Connection& db, PgWriteCache& cache,
                               const std::vector<RuleInfo>& rules, std::optional<int64_t> run) {
  std::vector<int64_t> rows;
  for (const RuleInfo& r : rules) {
    const std::string key = r.id + "\n" + r.sha256;
    auto it = cache.rule_rows.find(key);
    if (it == cache.rule_rows.end()) {
      pg::Result res = db.exec(
          "INSERT INTO rules(rule_id, title, severity, file, sha256) VALUES($1, $2, $3, $4, $5) "
          "ON CONFLICT(rule_id, sha256) DO UPDATE SET title = excluded.title, "
          "severity = excluded.severity, file = excluded.file RETURNING id",
          Params()
              .add(r.id)
              .add(r.title)
              .add(store_text::severity(r.severity))
              .add(r.file)
              .add(r.sha256));
      it = cache.rule_rows.emplace(key, res.int64(0, 0)).first;
    }
    rows.push_back(it->second);
  }
  if (run) {
    std::vector<int64_t>& done = cache.run_rules[*run];
    std::vector<std::optional<int64_t>> fresh;
    for (int64_t row : rows) {
      if (std::find(done.begin(), done.end(), row) == done.end()) {
        fresh.push_back(row);
        done.push_back(row);
      }
    }
    if (!fresh.empty()) {
      db.exec(
          "INSERT INTO run_rules(run_id, rule_row) SELECT $1, unnest($2::bigint[]) "
          "ON CONFLICT DO NOTHING",
          Params().add(*run).add(int_array(fresh)));
    }
  }
  return rows;
}

void PgCaseWriter::begin(const std::string& case_name, const std::vector<int64_t>& rows,
                         const std::vector<RuleInfo>& rules) {
  for (size_t k = 0; k < rules.size(); ++k) rule_rows.emplace(rules[k].id, rows[k]);
  now = format_iso_utc(now_ms());
  run = nonzero(options.run_id);
  db.exec("BEGIN");
  // The claim: one worker at a time writes a case name or a file content; the others wait
  // here until it commits or dies (the locks go with its transaction or connection).
  std::set<std::string> claims{"case\n" + case_name};
  for (const SourceRecord& s : options.sources) claims.insert("sha256\n" + s.sha256);
  std::vector<std::string_view> list(claims.begin(), claims.end());
  db.exec(
      "SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(k, 0) AS h "
      "FROM unnest($1::text[]) k) s ORDER BY h",
      Params().add(pg::text_array(list)));
  if (options.skip_stored_sources && !options.replace_case && !options.sources.empty()) {
    // Stored by another worker while this one was reading: skip rather than store twice.
    std::vector<std::string_view> shas;
    for (const SourceRecord& s : options.sources) shas.push_back(s.sha256);
    pg::Result r = db.exec(
        "SELECT count(DISTINCT s.sha256) = cardinality(array(SELECT DISTINCT unnest($2::text[]))) "
        "FROM source_files s JOIN cases c ON c.id = s.case_id "
        "WHERE c.name = $1 AND s.sha256 = ANY($2::text[])",
        Params().add(case_name).add(pg::text_array(shas)));
    if (r.text(0, 0) == "t") {
      skip = true;
      return;
    }
  }
  if (options.replace_case) db.exec("DELETE FROM cases WHERE name = $1", Params().add(case_name));
  pg::Result r = db.exec(
      "INSERT INTO cases(name, created_at, updated_at, run_id, origin) VALUES($1, $2, $2, $3, $4) "
      "ON CONFLICT(name) DO UPDATE SET updated_at = excluded.updated_at, "
      "run_id = coalesce(excluded.run_id, cases.run_id), "
      "origin = CASE WHEN cases.origin = '' THEN excluded.origin ELSE cases.origin END "
      "RETURNING id, origin",
      Params().add(case_name).add(now).add(run).add(options.case_origin));
  case_id = r.int64(0, 0);
  store_guard::check_case_origin(case_name, r.text(0, 1), options.case_origin);
}

}  // namespace

std::unique_ptr<CaseWriter> begin_pg_case(pg::Connection& db, PgWriteCache& cache,
                                          const std::string& case_name,
                                          const std::vector<RuleInfo>& rules,
                                          const WriteOptions& options) {
  if (!cache.temp_tables) {
    db.exec(kTempTables);
    cache.temp_tables = true;
  }
  std::vector<int64_t> rows = rule_rows(db, cache, rules, nonzero(options.run_id));
  auto writer = std::make_unique<PgCaseWriter>(db, cache, options);
  try {
    writer->begin(case_name, rows, rules);
  } catch (...) {
    writer->state.failed();
    db.rollback_quietly();
    throw;
  }
  return writer;
}

}  // namespace fedtriage
