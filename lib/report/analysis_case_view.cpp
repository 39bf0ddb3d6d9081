#include "lib/report/analysis_case_view.h"

#include "lib/analysis/analyzer.h"

namespace fedtriage {
namespace {

class AnalysisCaseView : public CaseView {
 public:
  explicit AnalysisCaseView(const Analysis& analysis) : a_(analysis) {}

  const std::vector<InputRecord>& inputs() const override { return a_.inputs; }
  const std::vector<std::string>& notes() const override { return a_.notes; }

  CaseTotals totals() const override {
    CaseTotals t;
    t.events = a_.event_count;
    t.calls = a_.totals.calls;
    t.failed_calls = a_.totals.failed_calls;
    t.normal_calls = a_.totals.normal_calls;
    t.findings = a_.totals.findings;
    t.findings_by_rule = a_.totals.findings_by_rule;
    return t;
  }

  const ConversationSet& conversations() const override { return a_.conversations; }
  const std::vector<ConversationFinding>& conversation_findings() const override {
    return a_.conversation_findings;
  }
  const std::vector<preflight::DomainReport>& certificates() const override {
    return a_.certificates;
  }

  bool for_each_call(const CallVisitor& fn, std::string* error) const override {
    return fedtriage::for_each_call(a_, fn, error);
  }

 private:
  const Analysis& a_;
};

}  // namespace

std::unique_ptr<CaseView> analysis_case_view(const Analysis& analysis) {
  return std::make_unique<AnalysisCaseView>(analysis);
}

}  // namespace fedtriage
