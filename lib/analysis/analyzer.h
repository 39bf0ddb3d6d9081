// The main job: read the inputs, correlate calls, explain their failures.
#pragma once

#include <string>
#include <vector>

#include "lib/core/event.h"
#include "lib/core/input_record.h"
#include "lib/correlate/call.h"
#include "lib/ingest/ingest.h"
#include "lib/rules/finding.h"

namespace fedtriage {

class RuleSet;

struct Analysis {
  std::vector<InputRecord> inputs;
  std::vector<Event> events;       // time order; calls and findings index into it
  std::vector<Call> calls;         // by first time stamp
  std::vector<Finding> findings;   // grouped by call, in call order
  std::vector<std::string> notes;  // e.g. how client clocks were aligned
};

Analysis analyze(const std::vector<std::string>& paths, const IngestOptions& options,
                 const RuleSet& rules, ProblemSink& live);

// Correlation and rules on events already read (tests, and batch runs that read elsewhere).
void explain(Analysis& analysis, const RuleSet& rules);

// Findings of one call, by call id (empty when none).
std::vector<const Finding*> findings_of(const Analysis& analysis, const std::string& call_id);

}  // namespace fedtriage
