// The main job: read the inputs, correlate calls, explain their failures.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lib/core/event.h"
#include "lib/core/input_record.h"
#include "lib/correlate/call.h"
#include "lib/ingest/ingest.h"
#include "lib/rules/finding.h"

namespace fedtriage {

class AnalysisSink;
class RuleSet;

struct Analysis {
  std::vector<InputRecord> inputs;
  std::vector<Event> events;       // time order, when held in memory (explain()); else empty
  size_t event_count = 0;          // events read
  std::vector<Call> calls;         // by first time stamp; indices into the time-ordered events
  std::vector<Finding> findings;   // grouped by call, in call order
  std::vector<std::string> notes;  // e.g. how client clocks were aligned
};

// Reads `paths`, then explains one call at a time from the spooled events and hands it to
// `sink` (when given) before the next: memory holds event sketches, one call's events, and
// the calls and findings for the report, not the events. False with `*error` when the sink
// failed or the spool could not give events back; the Analysis then holds what was done.
bool analyze(const std::vector<std::string>& paths, const IngestOptions& options,
             const RuleSet& rules, ProblemSink& live, AnalysisSink* sink, Analysis& out,
             std::string* error);

// Correlation and rules on events already in memory (tests, tools).
void explain(Analysis& analysis, const RuleSet& rules);

// Findings of one call, by call id (empty when none). Scans every finding: for one call.
std::vector<const Finding*> findings_of(const Analysis& analysis, const std::string& call_id);

// The findings of every call, indexed once: for reports that go through all calls.
class FindingsByCall {
 public:
  explicit FindingsByCall(const Analysis& analysis);
  const std::vector<const Finding*>& of(const std::string& call_id) const;

 private:
  std::unordered_map<std::string_view, std::vector<const Finding*>> by_call_;
  std::vector<const Finding*> none_;
};

}  // namespace fedtriage
