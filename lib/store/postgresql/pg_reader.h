// The queries behind the PostgreSQL store's reads, the same results as the SQLite reader's
// (lib/store/sqlite/sqlite_reader.cpp) in PostgreSQL's dialect: text ordered byte-wise
// (COLLATE "C", as SQLite's BINARY), flags compared with 0/1, json_agg for lists. Each throws
// pg::Error and expects the caller to hold a read transaction (one snapshot). Private to
// lib/store/postgresql.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lib/store/postgresql/pg_connection.h"
#include "lib/store/store.h"

namespace fedtriage::pg_read {

std::vector<CaseInfo> cases(pg::Connection& db);
std::vector<CallSummary> calls(pg::Connection& db, const CallQuery& query);
std::optional<StoredCall> call(pg::Connection& db, const std::string& call_id,
                               const std::string& case_name);
StoreSummary summary(pg::Connection& db, const std::string& case_name);
CaseDigest case_digest(pg::Connection& db);
std::optional<std::string> event_raw(pg::Connection& db, int64_t event_id);

}  // namespace fedtriage::pg_read
