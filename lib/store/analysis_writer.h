// The body of AnalysisStore::write_analysis, run inside the caller's write transaction.
// Private to lib/store.
#pragma once

#include <string>
#include <vector>

#include "lib/core/event.h"
#include "lib/core/input_record.h"
#include "lib/correlate/call.h"
#include "lib/rules/finding.h"
#include "lib/store/analysis_store.h"
#include "lib/store/sqlite_db.h"

namespace fedtriage::store_write {

struct Batch {
  const std::string& case_name;
  const std::vector<InputRecord>& inputs;
  const std::vector<Event>& events;
  const std::vector<Call>& calls;
  const std::vector<Finding>& findings;
  const std::vector<RuleInfo>& rules;
  const WriteOptions& options;
};

// Throws sql::Error, or std::invalid_argument when a call or finding names an event index
// outside `events`.
void write(sql::Db& db, const Batch& batch);

// Milliseconds since the epoch, now.
int64_t now_ms();

}  // namespace fedtriage::store_write
