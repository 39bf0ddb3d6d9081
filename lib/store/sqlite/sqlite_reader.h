// The queries behind the SQLite store's reads. Private to lib/store/sqlite; each throws sql::Error
// and expects the caller to hold a read transaction so that its statements see one snapshot.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lib/store/sqlite/sqlite_db.h"
#include "lib/store/store.h"

namespace fedtriage::store_read {

std::vector<CaseInfo> cases(sql::Db& db);
std::vector<CallSummary> calls(sql::Db& db, const CallQuery& query);
std::optional<StoredCall> call(sql::Db& db, const std::string& call_id,
                               const std::string& case_name);
StoreSummary summary(sql::Db& db, const std::string& case_name);
CaseDigest case_digest(sql::Db& db);
std::optional<std::string> event_raw(sql::Db& db, int64_t event_id);

}  // namespace fedtriage::store_read
