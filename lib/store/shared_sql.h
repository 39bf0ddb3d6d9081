// SQL text that the SQLite and PostgreSQL back ends share word for word (both speak
// INSERT ... ON CONFLICT ... DO UPDATE with `excluded`). What differs stays in each back end.
#pragma once

// An event written again (same input, line, kind and seq) takes every column of the new row.
#define FEDTRIAGE_SQL_EVENT_UPSERT                                                   \
  "ON CONFLICT(input_id, line, kind, seq) DO UPDATE SET "                            \
  "case_id = excluded.case_id, ts = excluded.ts, ts_ms = excluded.ts_ms, "           \
  "basis = excluded.basis, source = excluded.source, file = excluded.file, "         \
  "host = excluded.host, call_id = excluded.call_id, cseq = excluded.cseq, "         \
  "method = excluded.method, status = excluded.status, "                             \
  "reason_phrase = excluded.reason_phrase, request_uri = excluded.request_uri, "     \
  "direction = excluded.direction, local = excluded.local, "                         \
  "remote = excluded.remote, summary = excluded.summary, "                           \
  "fields = excluded.fields, ms_diagnostics = excluded.ms_diagnostics, "             \
  "raw = excluded.raw, raw_zstd = excluded.raw_zstd, raw_dict = excluded.raw_dict, " \
  "text_id = excluded.text_id, text_at = excluded.text_at, raw_len = excluded.raw_len "

// Schema step 3 -> 4, the same on both back ends: where a case's bundle lives (so that two
// bundles with the same base name never merge) and which process runs a run (so that the next
// run can mark a run whose process died as interrupted).
#define FEDTRIAGE_SQL_MIGRATION_V4                                \
  "ALTER TABLE cases ADD COLUMN origin TEXT NOT NULL DEFAULT '';" \
  "ALTER TABLE runs ADD COLUMN owner TEXT NOT NULL DEFAULT '';"

// A case holds one version of each file (cases with an origin): a file of the bundle that
// changed since it was stored replaces its old version. $1 case id, $2 name, $3 new SHA-256
// (SQLite numbers `$N` parameters in order of first appearance: keep them in that order).
#define FEDTRIAGE_SQL_DROP_OLD_INPUT \
  "DELETE FROM inputs WHERE case_id = $1 AND name = $2 AND sha256 <> $3"
#define FEDTRIAGE_SQL_DROP_OLD_SOURCE \
  "DELETE FROM source_files WHERE case_id = $1 AND name = $2 AND sha256 <> $3"
// Then the calls only the old versions held, and their findings ($1 case id).
#define FEDTRIAGE_SQL_DROP_CALLS_WITHOUT_EVENTS          \
  "DELETE FROM calls WHERE case_id = $1 AND NOT EXISTS " \
  "(SELECT 1 FROM call_links l WHERE l.call_row = calls.id)"
#define FEDTRIAGE_SQL_DROP_FINDINGS_WITHOUT_CALL                              \
  "DELETE FROM findings WHERE case_id = $1 AND call_id <> '' AND NOT EXISTS " \
  "(SELECT 1 FROM calls c WHERE c.case_id = findings.case_id AND c.call_id = findings.call_id)"

// Frames of event text that no event names any more (their events were written again or
// dropped), after a write that rewrote or dropped events of case $1.
#define FEDTRIAGE_SQL_DROP_UNUSED_TEXTS                       \
  "DELETE FROM event_texts WHERE case_id = $1 AND id NOT IN " \
  "(SELECT text_id FROM events WHERE case_id = $1 AND text_id IS NOT NULL)"
