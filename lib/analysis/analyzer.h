// The main job: read the inputs, correlate calls, explain their failures.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lib/analysis/conversation_findings.h"
#include "lib/core/event.h"
#include "lib/core/input_record.h"
#include "lib/correlate/call.h"
#include "lib/correlate/conversation.h"
#include "lib/ingest/ingest.h"
#include "lib/preflight/preflight_model.h"
#include "lib/rules/finding.h"

namespace fedtriage {

class AnalysisSink;
class CallArchive;
class RuleSet;

// Counts over all calls of an analysis, for report headers and batch summaries.
struct AnalysisTotals {
  size_t calls = 0;
  size_t failed_calls = 0;    // outcome failed (Call::failed()): what every report counts
  size_t normal_calls = 0;    // ended as designed (486, 603, 487 after CANCEL, challenges)
  size_t reported_calls = 0;  // failed, or with a finding: what a report lists
  size_t findings = 0;
  std::map<std::string, size_t> findings_by_rule;
  std::optional<FindingSeverity> worst;

  void add(const Call& call, const std::vector<Finding>& findings);
};

struct Analysis {
  std::vector<InputRecord> inputs;
  std::vector<Event> events;  // time order, when held in memory (explain()); else empty
  size_t event_count = 0;     // events read
  // In memory (explain()): the calls by first time stamp, indices into the time-ordered
  // events, and their findings grouped by call in call order. A streamed analysis (analyze())
  // keeps both in `archive` instead, on disk: read them with for_each_call().
  std::vector<Call> calls;
  std::vector<Finding> findings;
  std::shared_ptr<CallArchive> archive;
  AnalysisTotals totals;
  std::vector<std::string> notes;  // e.g. how client clocks were aligned
  // The legs of each end-to-end call, tied across Call-IDs (lib/correlate/conversation.h):
  // every call is in one conversation. `legs` holds what the linker read of each call, in call
  // order (explain() only: a streamed analysis frees them once linked);
  // `conversation_findings` the root causes said once per conversation.
  ConversationSet conversations;
  std::vector<CallKeys> legs;
  std::vector<ConversationFinding> conversation_findings;
  // The Expressway's own certificate when the input carries server_<host>_<ts>.pem (diagnostic
  // bundle), checked as `fedtriage check --cert` does against the FQDNs the findings name.
  // Empty otherwise. Not stored in the database; its worst severity counts for --fail-on.
  std::vector<preflight::DomainReport> certificates;
};

// Every call with its findings, in call order, from memory or from the archive. False with
// `*error` when the archive cannot be read back.
bool for_each_call(const Analysis& analysis,
                   const std::function<void(const Call&, const std::vector<const Finding*>&)>& fn,
                   std::string* error = nullptr);

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
