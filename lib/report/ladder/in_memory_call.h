// The ladder reads the store's StoredCall; this builds one from an analysis still in memory
// (tests, `analyze --html` before anything is stored).
#pragma once

#include <string>
#include <vector>

#include "lib/core/event.h"
#include "lib/correlate/call.h"
#include "lib/rules/finding.h"
#include "lib/store/store_records.h"

namespace fedtriage {

// The call's row as a store listing gives it (rule ids of its findings in finding order).
CallSummary to_call_summary(const Call& call, const std::vector<Finding>& findings,
                            const std::string& case_name = "");

// Events and findings as the store would give them back for `call`; event ids are the
// indices into `events` plus one. `findings` may hold other calls' findings: they are skipped.
StoredCall to_stored_call(const Call& call, const std::vector<Event>& events,
                          const std::vector<Finding>& findings, const std::string& case_name = "");

}  // namespace fedtriage
