#include "lib/store/sqlite/schema.h"

#include <sqlite3.h>

#include <string>

#include "lib/store/shared_sql.h"
#include "lib/store/sqlite/conversation_tables.h"
#include "lib/store/sqlite/source_files.h"

namespace fedtriage::store_schema {
namespace {

// Version 1: the initial schema. Text columns are '' rather than NULL when a value is absent,
// so that `col = ''` and `col <> 'x'` behave; integers are NULL when absent (status codes).
constexpr const char* kCreateV1 = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE runs (
  id           INTEGER PRIMARY KEY,
  started_at   TEXT NOT NULL,
  started_ms   INTEGER NOT NULL,
  finished_at  TEXT,
  finished_ms  INTEGER,
  tool_version TEXT NOT NULL,
  args         TEXT NOT NULL DEFAULT '[]',
  status       TEXT NOT NULL DEFAULT 'running'
);

CREATE TABLE cases (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  run_id     INTEGER REFERENCES runs(id) ON DELETE SET NULL
);
CREATE INDEX cases_run ON cases(run_id);

CREATE TABLE inputs (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  format        TEXT NOT NULL,
  bytes         INTEGER NOT NULL,
  lines         INTEGER NOT NULL,
  events        INTEGER NOT NULL,
  sha256        TEXT NOT NULL,
  skipped       INTEGER NOT NULL,
  skip_reason   TEXT NOT NULL,
  problem_count INTEGER NOT NULL,
  run_id        INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  UNIQUE (case_id, sha256, name)
);
CREATE INDEX inputs_sha256 ON inputs(sha256);
CREATE INDEX inputs_case_name ON inputs(case_id, name);
CREATE INDEX inputs_run ON inputs(run_id);

CREATE TABLE input_problems (
  id       INTEGER PRIMARY KEY,
  input_id INTEGER NOT NULL REFERENCES inputs(id) ON DELETE CASCADE,
  ordinal  INTEGER NOT NULL,
  severity TEXT NOT NULL,
  file     TEXT NOT NULL,
  line     INTEGER NOT NULL,
  message  TEXT NOT NULL,
  UNIQUE (input_id, ordinal)
);

CREATE TABLE events (
  id             INTEGER PRIMARY KEY,
  case_id        INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  input_id       INTEGER NOT NULL REFERENCES inputs(id) ON DELETE CASCADE,
  seq            INTEGER NOT NULL,
  ts             TEXT NOT NULL,
  ts_ms          INTEGER NOT NULL,
  basis          TEXT NOT NULL,
  source         TEXT NOT NULL,
  kind           TEXT NOT NULL,
  file           TEXT NOT NULL,
  line           INTEGER NOT NULL,
  host           TEXT NOT NULL,
  call_id        TEXT NOT NULL,
  cseq           TEXT NOT NULL,
  method         TEXT NOT NULL,
  status         INTEGER,
  reason_phrase  TEXT NOT NULL,
  request_uri    TEXT NOT NULL,
  direction      TEXT NOT NULL,
  local          TEXT NOT NULL,
  remote         TEXT NOT NULL,
  summary        TEXT NOT NULL,
  fields         TEXT NOT NULL DEFAULT '{}',
  ms_diagnostics TEXT NOT NULL DEFAULT '[]',
  raw            TEXT NOT NULL,
  UNIQUE (input_id, line, kind, seq)
);
CREATE INDEX events_call_id ON events(call_id);
CREATE INDEX events_file_line ON events(file, line);
CREATE INDEX events_case_ts ON events(case_id, ts_ms);

CREATE TABLE calls (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  call_id       TEXT NOT NULL,
  first_ts      TEXT NOT NULL,
  first_ms      INTEGER NOT NULL,
  last_ts       TEXT NOT NULL,
  last_ms       INTEGER NOT NULL,
  from_uri      TEXT NOT NULL,
  from_display  TEXT NOT NULL,
  to_uri        TEXT NOT NULL,
  request_uri   TEXT NOT NULL,
  method        TEXT NOT NULL,
  final_status  INTEGER,
  final_reason  TEXT NOT NULL,
  failed        INTEGER NOT NULL,
  sources       TEXT NOT NULL DEFAULT '[]',
  hosts         TEXT NOT NULL DEFAULT '[]',
  event_count   INTEGER NOT NULL,
  link_count    INTEGER NOT NULL,
  message_count INTEGER NOT NULL,
  updated_at    TEXT NOT NULL,
  run_id        INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  UNIQUE (case_id, call_id)
);
CREATE INDEX calls_call_id ON calls(call_id);
CREATE INDEX calls_run ON calls(run_id);

CREATE TABLE call_links (
  call_row INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  ordinal  INTEGER NOT NULL,
  reason   TEXT NOT NULL,
  PRIMARY KEY (call_row, event_id)
) WITHOUT ROWID;
CREATE INDEX call_links_event ON call_links(event_id);

CREATE TABLE rules (
  id       INTEGER PRIMARY KEY,
  rule_id  TEXT NOT NULL,
  title    TEXT NOT NULL,
  severity TEXT NOT NULL,
  file     TEXT NOT NULL,
  sha256   TEXT NOT NULL,
  UNIQUE (rule_id, sha256)
);

CREATE TABLE run_rules (
  run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  rule_row INTEGER NOT NULL REFERENCES rules(id) ON DELETE CASCADE,
  PRIMARY KEY (run_id, rule_row)
) WITHOUT ROWID;
CREATE INDEX run_rules_rule ON run_rules(rule_row);

CREATE TABLE findings (
  id         INTEGER PRIMARY KEY,
  case_id    INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  call_id    TEXT NOT NULL,
  rule_id    TEXT NOT NULL,
  rule_row   INTEGER REFERENCES rules(id) ON DELETE SET NULL,
  title      TEXT NOT NULL,
  severity   TEXT NOT NULL,
  fields     TEXT NOT NULL DEFAULT '{}',
  root_cause TEXT NOT NULL,
  fix        TEXT NOT NULL,
  related_rules TEXT NOT NULL DEFAULT '[]',
  run_id     INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  UNIQUE (case_id, call_id, rule_id)
);
CREATE INDEX findings_call_id ON findings(call_id);
CREATE INDEX findings_rule_id ON findings(rule_id);
CREATE INDEX findings_rule_row ON findings(rule_row);
CREATE INDEX findings_run ON findings(run_id);

CREATE TABLE evidence (
  id         INTEGER PRIMARY KEY,
  finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
  ordinal    INTEGER NOT NULL,
  event_id   INTEGER REFERENCES events(id) ON DELETE SET NULL,
  file       TEXT NOT NULL,
  line       INTEGER NOT NULL,
  text       TEXT NOT NULL,
  UNIQUE (finding_id, ordinal)
);
CREATE INDEX evidence_event ON evidence(event_id);
CREATE INDEX evidence_file_line ON evidence(file, line);
)sql";

// Version 5: raw text compressed (zstd, a dictionary per case; lib/store/raw_text.h). Rows
// written before keep their text in `raw`; events_file_line goes (lookups by file and line
// go through inputs.name and UNIQUE(input_id, line, ...); the index was 7 % of a dense case).
constexpr const char* kMigrationV5 = R"sql(
CREATE TABLE raw_dicts (
  id      INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  dict    BLOB NOT NULL
);
CREATE INDEX raw_dicts_case ON raw_dicts(case_id);
ALTER TABLE events ADD COLUMN raw_zstd BLOB;
ALTER TABLE events ADD COLUMN raw_dict INTEGER;
DROP INDEX events_file_line;
)sql";

// Version 6: calls.outcome ('ok', 'normal', 'failed'); calls.failed = outcome 'failed'. Rows
// written before keep their `failed` and get the outcome it implies.
constexpr const char* kMigrationV6 = R"sql(
ALTER TABLE calls ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
UPDATE calls SET outcome = CASE WHEN failed THEN 'failed' ELSE 'ok' END;
)sql";

// Version 7: the cold text of events (raw text, summary, fields, MS diagnostics, addresses,
// Request-URI) as one zstd frame per write batch, i.e. per call (lib/store/event_text.h);
// events keep where their record is. Rows written before keep their columns. No foreign key
// from events.text_id: a delete would scan events for each frame; a case's frames go with it,
// frames no event names any more go at the end of the write that left them. events_call_id
// goes (9 % of a dense case; nothing reads events by Call-ID: a call's events are found
// through calls and call_links, which also hold the events that lack the Call-ID).
constexpr const char* kMigrationV7 = R"sql(
CREATE TABLE event_texts (
  id      INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  dict    INTEGER,
  zstd    BLOB NOT NULL
);
CREATE INDEX event_texts_case ON event_texts(case_id);
ALTER TABLE events ADD COLUMN text_id INTEGER;
ALTER TABLE events ADD COLUMN text_at INTEGER;
ALTER TABLE events ADD COLUMN raw_len INTEGER;
DROP INDEX events_call_id;
)sql";

// kMigrations[v] takes a database from version v to v + 1; version 0 is an empty file.
// Version 2: source_files (batch runs skip content already stored).
// Version 3: conversations and conversation_links (the legs of one call across Call-IDs).
// Version 4: cases.origin and runs.owner (shared_sql.h).
// Version 5: raw message text compressed with zstd (events.raw_zstd, raw_dicts).
// Version 6: calls.outcome.
// Version 7: event_texts (one frame of cold text per call).
const char* const kMigrations[] = {kCreateV1,
                                   store_sources::kMigrationV2,
                                   store_conversations::kMigrationV3,
                                   FEDTRIAGE_SQL_MIGRATION_V4,
                                   kMigrationV5,
                                   kMigrationV6,
                                   kMigrationV7};
static_assert(std::size(kMigrations) == kVersion, "one migration step per schema version");

int64_t table_count(sql::Db& db) {
  return db.scalar_int("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'");
}

void set_meta(sql::Db& db, const char* key, const std::string& value) {
  db.prepare(
        "INSERT INTO meta(key, value) VALUES(?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .bind_all(key, value)
      .run();
}

// Applies the missing steps in one transaction; re-checks under the write lock because
// another process may have created or migrated the file meanwhile.
void migrate(sql::Db& db, const std::string& path) {
  db.write_transaction([&] {
    int64_t app_id = db.scalar_int("PRAGMA application_id");
    int version = stored_version(db);
    if (version == 0 && (app_id != 0 || table_count(db) != 0) && app_id != kApplicationId) {
      throw sql::Error(SQLITE_MISMATCH, path + " is an SQLite database of another application");
    }
    if (version > kVersion) {
      throw sql::Error(SQLITE_MISMATCH, path + " has schema version " + std::to_string(version) +
                                            ", newer than this fedtriage supports (" +
                                            std::to_string(kVersion) + ")");
    }
    for (int v = version; v < kVersion; ++v) db.exec(kMigrations[v]);
    if (version == kVersion) return;
    db.exec(("PRAGMA application_id = " + std::to_string(kApplicationId)).c_str());
    set_meta(db, "schema_version", std::to_string(kVersion));
    set_meta(db, version == 0 ? "created_by" : "migrated_by", FEDTRIAGE_VERSION);
  });
}

}  // namespace

int stored_version(sql::Db& db) {
  if (db.scalar_int("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'meta'") ==
      0) {
    return 0;
  }
  sql::Stmt& s = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'");
  std::string text = s.step() ? s.text(0) : std::string();
  s.reset();
  int version = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || version > 100000) return -1;
    version = version * 10 + (c - '0');
  }
  return text.empty() ? -1 : version;
}

void prepare(sql::Db& db, const std::string& path, int busy_timeout_ms, bool read_only) {
  sqlite3_busy_timeout(db.handle(), busy_timeout_ms);
  int64_t app_id = 0;
  try {
    app_id = db.scalar_int("PRAGMA application_id");  // reads the header: fails on non-SQLite
  } catch (const sql::Error& e) {
    if (e.code() == SQLITE_NOTADB) {
      throw sql::Error(e.code(), path + " is not an SQLite database");
    }
    throw sql::Error(e.code(), path + ": " + e.what());
  }
  // Look before changing anything: a foreign database must be left exactly as it was.
  if (app_id != kApplicationId && (app_id != 0 || table_count(db) != 0)) {
    throw sql::Error(SQLITE_MISMATCH, path +
                                          " is an SQLite database of another application "
                                          "(no fedtriage schema): refusing to use it");
  }
  int version = app_id == kApplicationId ? stored_version(db) : 0;
  if (version < 0) {
    throw sql::Error(SQLITE_CORRUPT, path + ": fedtriage schema_version is missing or damaged");
  }
  if (version > kVersion) {
    throw sql::Error(SQLITE_MISMATCH, path + " has schema version " + std::to_string(version) +
                                          ", newer than this fedtriage supports (" +
                                          std::to_string(kVersion) + "): use a newer fedtriage");
  }
  // A read command on a file of an older version that it may write migrates it (a user who
  // upgraded fedtriage just runs `show`); on a file it may not write it says what would.
  const bool migrate_for_reader =
      read_only && version < kVersion && app_id == kApplicationId && !db.read_only();
  if (read_only && !migrate_for_reader) {
    if (app_id != kApplicationId) {
      throw sql::Error(SQLITE_MISMATCH, path + " holds no fedtriage data yet");
    }
    if (version < kVersion) {
      throw sql::Error(SQLITE_MISMATCH,
                       path + " has schema version " + std::to_string(version) +
                           ", older than this fedtriage's (" + std::to_string(kVersion) +
                           "): a command that writes (e.g. `fedtriage db status`) migrates it");
    }
    db.exec("PRAGMA query_only = ON");
    db.exec("PRAGMA cache_size = -65536");
    return;
  }
  db.exec("PRAGMA foreign_keys = ON");
  // Events carry their raw text (1-3 KB): larger pages keep most rows off overflow pages.
  // Only a new, empty file takes it (before WAL mode fixes the size).
  if (app_id == 0 && table_count(db) == 0) db.exec("PRAGMA page_size = 16384");
  db.exec("PRAGMA journal_mode = WAL");    // readers never block the writer, nor it them
  db.exec("PRAGMA synchronous = NORMAL");  // in WAL: durable at checkpoints, always consistent
  // 64 MiB: the index B-trees of a multi-GB case stay in memory (4 GB bundle: 27.9 s with
  // 32 MiB, 25.0 s with 64 MiB, for 37 MB more peak RSS).
  db.exec("PRAGMA cache_size = -65536");
  if (version < kVersion) migrate(db, path);
  if (read_only) db.exec("PRAGMA query_only = ON");
}

}  // namespace fedtriage::store_schema
