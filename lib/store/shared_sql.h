// SQL text that the SQLite and PostgreSQL back ends share word for word (both speak
// INSERT ... ON CONFLICT ... DO UPDATE with `excluded`). What differs stays in each back end.
#pragma once

// An event written again (same input, line, kind and seq) takes every column of the new row.
#define FEDTRIAGE_SQL_EVENT_UPSERT                                               \
  "ON CONFLICT(input_id, line, kind, seq) DO UPDATE SET "                        \
  "case_id = excluded.case_id, ts = excluded.ts, ts_ms = excluded.ts_ms, "       \
  "basis = excluded.basis, source = excluded.source, file = excluded.file, "     \
  "host = excluded.host, call_id = excluded.call_id, cseq = excluded.cseq, "     \
  "method = excluded.method, status = excluded.status, "                         \
  "reason_phrase = excluded.reason_phrase, request_uri = excluded.request_uri, " \
  "direction = excluded.direction, local = excluded.local, "                     \
  "remote = excluded.remote, summary = excluded.summary, "                       \
  "fields = excluded.fields, ms_diagnostics = excluded.ms_diagnostics, "         \
  "raw = excluded.raw, raw_zstd = excluded.raw_zstd, raw_dict = excluded.raw_dict "
