#include "lib/store/schema_ddl.h"

#include <iterator>
#include <string_view>
#include <utility>

#include "lib/store/shared_sql.h"

namespace fedtriage::schema_ddl {
namespace {

// Version 1: the initial schema. Text columns are '' rather than NULL when a value is absent,
// so that `col = ''` and `col <> 'x'` behave; integers are NULL when absent (status codes).
// Flags stay 0/1 integers so that `failed = 1` reads the same on every back end. JSON columns
// keep the fields' log order and repeated keys (PostgreSQL `json`, not `jsonb`).
constexpr const char* kCreateV1 = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
){KEYED};

CREATE TABLE runs (
  id           {ID},
  started_at   TEXT NOT NULL,
  started_ms   {INT} NOT NULL,
  finished_at  TEXT,
  finished_ms  {INT},
  tool_version TEXT NOT NULL,
  args         {JSON} NOT NULL DEFAULT '[]',
  status       TEXT NOT NULL DEFAULT 'running'
);

CREATE TABLE cases (
  id         {ID},
  name       TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  run_id     {INT} REFERENCES runs(id) ON DELETE SET NULL
);
CREATE INDEX cases_run ON cases(run_id);

CREATE TABLE inputs (
  id            {ID},
  case_id       {INT} NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  format        TEXT NOT NULL,
  bytes         {INT} NOT NULL,
  lines         {INT} NOT NULL,
  events        {INT} NOT NULL,
  sha256        TEXT NOT NULL,
  skipped       {INT} NOT NULL,
  skip_reason   TEXT NOT NULL,
  problem_count {INT} NOT NULL,
  run_id        {INT} REFERENCES runs(id) ON DELETE SET NULL,
  UNIQUE (case_id, sha256, name)
);
CREATE INDEX inputs_sha256 ON inputs(sha256);
CREATE INDEX inputs_case_name ON inputs(case_id, name);
CREATE INDEX inputs_run ON inputs(run_id);

CREATE TABLE input_problems (
  id       {ID},
  input_id {INT} NOT NULL REFERENCES inputs(id) ON DELETE CASCADE,
  ordinal  {INT} NOT NULL,
  severity TEXT NOT NULL,
  file     TEXT NOT NULL,
  line     {INT} NOT NULL,
  message  TEXT NOT NULL,
  UNIQUE (input_id, ordinal)
);

CREATE TABLE events (
  id             {ID},
  case_id        {INT} NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  input_id       {INT} NOT NULL REFERENCES inputs(id) ON DELETE CASCADE,
  seq            {INT} NOT NULL,
  ts             TEXT NOT NULL,
  ts_ms          {INT} NOT NULL,
  basis          TEXT NOT NULL,
  source         TEXT NOT NULL,
  kind           TEXT NOT NULL,
  file           TEXT NOT NULL,
  line           {INT} NOT NULL,
  host           TEXT NOT NULL,
  call_id        TEXT NOT NULL,
  cseq           TEXT NOT NULL,
  method         TEXT NOT NULL,
  status         {INT},
  reason_phrase  TEXT NOT NULL,
  request_uri    TEXT NOT NULL,
  direction      TEXT NOT NULL,
  local          TEXT NOT NULL,
  remote         TEXT NOT NULL,
  summary        TEXT NOT NULL,
  fields         {JSON} NOT NULL DEFAULT '{}',
  ms_diagnostics {JSON} NOT NULL DEFAULT '[]',
  raw            TEXT NOT NULL,
  UNIQUE (input_id, line, kind, seq)
);
CREATE INDEX events_call_id ON events(call_id);
CREATE INDEX events_file_line ON events(file, line);
CREATE INDEX events_case_ts ON events(case_id, ts_ms);

CREATE TABLE calls (
  id            {ID},
  case_id       {INT} NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  call_id       TEXT NOT NULL,
  first_ts      TEXT NOT NULL,
  first_ms      {INT} NOT NULL,
  last_ts       TEXT NOT NULL,
  last_ms       {INT} NOT NULL,
  from_uri      TEXT NOT NULL,
  from_display  TEXT NOT NULL,
  to_uri        TEXT NOT NULL,
  request_uri   TEXT NOT NULL,
  method        TEXT NOT NULL,
  final_status  {INT},
  final_reason  TEXT NOT NULL,
  failed        {INT} NOT NULL,
  sources       {JSON} NOT NULL DEFAULT '[]',
  hosts         {JSON} NOT NULL DEFAULT '[]',
  event_count   {INT} NOT NULL,
  link_count    {INT} NOT NULL,
  message_count {INT} NOT NULL,
  updated_at    TEXT NOT NULL,
  run_id        {INT} REFERENCES runs(id) ON DELETE SET NULL,
  UNIQUE (case_id, call_id)
);
CREATE INDEX calls_call_id ON calls(call_id);
CREATE INDEX calls_run ON calls(run_id);

CREATE TABLE call_links (
  call_row {INT} NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
  event_id {INT} NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  ordinal  {INT} NOT NULL,
  reason   TEXT NOT NULL,
  PRIMARY KEY (call_row, event_id)
){KEYED};
CREATE INDEX call_links_event ON call_links(event_id);

CREATE TABLE rules (
  id       {ID},
  rule_id  TEXT NOT NULL,
  title    TEXT NOT NULL,
  severity TEXT NOT NULL,
  file     TEXT NOT NULL,
  sha256   TEXT NOT NULL,
  UNIQUE (rule_id, sha256)
);

CREATE TABLE run_rules (
  run_id   {INT} NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  rule_row {INT} NOT NULL REFERENCES rules(id) ON DELETE CASCADE,
  PRIMARY KEY (run_id, rule_row)
){KEYED};
CREATE INDEX run_rules_rule ON run_rules(rule_row);

CREATE TABLE findings (
  id         {ID},
  case_id    {INT} NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  call_id    TEXT NOT NULL,
  rule_id    TEXT NOT NULL,
  rule_row   {INT} REFERENCES rules(id) ON DELETE SET NULL,
  title      TEXT NOT NULL,
  severity   TEXT NOT NULL,
  fields     {JSON} NOT NULL DEFAULT '{}',
  root_cause TEXT NOT NULL,
  fix        TEXT NOT NULL,
  related_rules {JSON} NOT NULL DEFAULT '[]',
  run_id     {INT} REFERENCES runs(id) ON DELETE SET NULL,
  UNIQUE (case_id, call_id, rule_id)
);
CREATE INDEX findings_call_id ON findings(call_id);
CREATE INDEX findings_rule_id ON findings(rule_id);
CREATE INDEX findings_rule_row ON findings(rule_row);
CREATE INDEX findings_run ON findings(run_id);

CREATE TABLE evidence (
  id         {ID},
  finding_id {INT} NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
  ordinal    {INT} NOT NULL,
  event_id   {INT} REFERENCES events(id) ON DELETE SET NULL,
  file       TEXT NOT NULL,
  line       {INT} NOT NULL,
  text       TEXT NOT NULL,
  UNIQUE (finding_id, ordinal)
);
CREATE INDEX evidence_event ON evidence(event_id);
CREATE INDEX evidence_file_line ON evidence(file, line);
)sql";

// Version 2: source_files (batch runs skip content already stored).
constexpr const char* kMigrationV2 = R"sql(
CREATE TABLE source_files (
  id        {ID},
  case_id   {INT} NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  name      TEXT NOT NULL,
  sha256    TEXT NOT NULL,
  bytes     {INT} NOT NULL,
  stored_at TEXT NOT NULL,
  run_id    {INT} REFERENCES runs(id) ON DELETE SET NULL,
  UNIQUE (case_id, sha256, name)
);
CREATE INDEX source_files_sha256 ON source_files(sha256);
)sql";

// Version 3: conversations and conversation_links (the legs of one call across Call-IDs).
constexpr const char* kMigrationV3 = R"sql(
CREATE TABLE conversations (
  case_id         {INT} NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  call_id         TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  leg             {INT} NOT NULL,
  run_id          {INT} REFERENCES runs(id) ON DELETE SET NULL,
  PRIMARY KEY (case_id, call_id)
){KEYED};
CREATE INDEX conversations_id ON conversations(conversation_id);

CREATE TABLE conversation_links (
  case_id         {INT} NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  conversation_id TEXT NOT NULL,
  ordinal         {INT} NOT NULL,
  call_a          TEXT NOT NULL,
  call_b          TEXT NOT NULL,
  key_kind        TEXT NOT NULL,
  key_value       TEXT NOT NULL,
  PRIMARY KEY (case_id, conversation_id, ordinal)
){KEYED};
)sql";

// Version 5: raw text compressed (zstd, a dictionary per case; lib/store/raw_text.h). Rows
// written before keep their text in `raw`; events_file_line goes (lookups by file and line
// go through inputs.name and UNIQUE(input_id, line, ...); the index was 7 % of a dense case).
constexpr const char* kMigrationV5 = R"sql(
CREATE TABLE raw_dicts (
  id      {ID},
  case_id {INT} NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  dict    {BLOB} NOT NULL
);
CREATE INDEX raw_dicts_case ON raw_dicts(case_id);
ALTER TABLE events ADD COLUMN raw_zstd {BLOB};
ALTER TABLE events ADD COLUMN raw_dict {INT};
DROP INDEX events_file_line;
)sql";

// Version 6: calls.outcome ('ok', 'normal', 'failed'); calls.failed = outcome 'failed'. Rows
// written before keep their `failed` and get the outcome it implies.
constexpr const char* kMigrationV6 = R"sql(
ALTER TABLE calls {ADD_COLUMN} outcome TEXT NOT NULL DEFAULT '';
UPDATE calls SET outcome = CASE WHEN failed <> 0 THEN 'failed' ELSE 'ok' END;
)sql";

// Version 7: the cold text of events (raw text, summary, fields, addresses, Request-URI) as one
// zstd frame per write batch, i.e. per call (lib/store/event_text.h); events keep where their
// record is. Rows written before keep their columns. No foreign key from events.text_id: a
// delete would scan events for each frame; a case's frames go with it, frames no event names
// any more go at the end of the write that left them. events_call_id goes (9 % of a dense
// case; nothing reads events by Call-ID: a call's events are found through calls and
// call_links, which also hold the events that lack the Call-ID).
constexpr const char* kMigrationV7 = R"sql(
CREATE TABLE event_texts (
  id      {ID},
  case_id {INT} NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  dict    {INT},
  zstd    {BLOB} NOT NULL
);
CREATE INDEX event_texts_case ON event_texts(case_id);
ALTER TABLE events {ADD_COLUMN} text_id {INT};
ALTER TABLE events {ADD_COLUMN} text_at {INT};
ALTER TABLE events {ADD_COLUMN} raw_len {INT};
DROP INDEX events_call_id;
)sql";

// Version 4 (cases.origin, runs.owner) is the same text in every dialect: shared_sql.h.
constexpr const char* kSteps[] = {
    kCreateV1,    kMigrationV2, kMigrationV3, FEDTRIAGE_SQL_MIGRATION_V4,
    kMigrationV5, kMigrationV6, kMigrationV7};
static_assert(std::size(kSteps) == kVersion, "one migration step per schema version");

std::string fill(std::string_view text, const SqlDialect& d) {
  const std::pair<std::string_view, const char*> words[] = {
      {"{ID}", d.id},     {"{INT}", d.integer},       {"{JSON}", d.json},
      {"{BLOB}", d.blob}, {"{KEYED}", d.keyed_table}, {"{ADD_COLUMN}", d.add_column}};
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  size_t at = 0;
  while (at < text.size()) {
    const size_t open = text.find('{', at);
    if (open == std::string_view::npos) break;
    out.append(text.substr(at, open - at));
    bool replaced = false;
    for (const auto& [word, value] : words) {
      if (text.substr(open, word.size()) == word) {
        out += value;
        at = open + word.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) {
      out += '{';
      at = open + 1;
    }
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace

std::vector<std::string> migrations(const SqlDialect& d) {
  std::vector<std::string> out;
  for (const char* step : kSteps) out.push_back(fill(step, d));
  return out;
}

}  // namespace fedtriage::schema_ddl
