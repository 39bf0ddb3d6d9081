// The read-only view of one case just analysed that the text and JSON reports of `analyze`
// read (text_report.h, json_report.h): what was read, the totals, the conversations with
// their findings, the certificate checks, and the calls with their findings one at a time from
// wherever they are kept (memory, or the call archive on disk), so that a report never holds
// every call at once. The companion of report_model.h for what only an analysis carries (call
// phase and failure, links, inputs with their problems, notes); analysis_case_view.h fills it
// from an Analysis, tests fill their own.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "lib/analysis/conversation_findings.h"
#include "lib/core/input_record.h"
#include "lib/correlate/call.h"
#include "lib/correlate/conversation.h"
#include "lib/rules/finding.h"

namespace fedtriage {

namespace preflight {
struct DomainReport;
}

// Counts over every call of the case.
struct CaseTotals {
  size_t events = 0;  // events read
  size_t calls = 0;
  size_t failed_calls = 0;  // outcome failed (Call::failed())
  size_t normal_calls = 0;  // ended as designed
  size_t findings = 0;
  std::map<std::string, size_t> findings_by_rule;  // by rule id
};

class CaseView {
 public:
  // One call (its index lists may be released: their sizes stay) and its findings, the
  // failure finding first.
  using CallVisitor = std::function<void(const Call&, const std::vector<const Finding*>&)>;

  virtual ~CaseView() = default;

  virtual const std::vector<InputRecord>& inputs() const = 0;  // with their problems
  virtual const std::vector<std::string>& notes() const = 0;   // e.g. how clocks were aligned
  virtual CaseTotals totals() const = 0;
  // Every call's conversation, and the root causes said once per conversation.
  virtual const ConversationSet& conversations() const = 0;
  virtual const std::vector<ConversationFinding>& conversation_findings() const = 0;
  // The Expressway's own certificate when the input carries it; empty otherwise.
  virtual const std::vector<preflight::DomainReport>& certificates() const = 0;
  // Every call in call order. False with `*error` (when given) when they cannot be read back.
  virtual bool for_each_call(const CallVisitor& fn, std::string* error) const = 0;
};

}  // namespace fedtriage
