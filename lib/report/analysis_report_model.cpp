#include "lib/report/analysis_report_model.h"

#include <algorithm>
#include <map>
#include <utility>

#include "lib/analysis/analyzer.h"
#include "lib/report/ladder/in_memory_call.h"

namespace fedtriage {

namespace {

// The call's row as the store lists it: with its outcome and conversation, rule ids sorted.
CallSummary model_row(const Analysis& analysis, const Call& call, const std::string& case_name) {
  CallSummary row = to_call_summary(call, analysis.findings, case_name);
  row.outcome = std::string(to_string(call.outcome));
  std::sort(row.rule_ids.begin(), row.rule_ids.end());
  if (const Conversation* c = analysis.conversations.of(call.call_id)) row.conversation = c->id;
  return row;
}

uint64_t multi_leg_conversations(const Analysis& a) {
  uint64_t n = 0;
  for (const Conversation& c : a.conversations.conversations) {
    if (c.call_ids.size() > 1) ++n;
  }
  return n;
}

class AnalysisReportModel : public ReportModel {
 public:
  AnalysisReportModel(const Analysis& analysis, std::string case_name)
      : analysis_(analysis), case_name_(std::move(case_name)) {}

  const std::string& case_name() const override { return case_name_; }

  std::optional<StoreSummary> summary(std::string*) override {
    const Analysis& a = analysis_;
    StoreSummary s;
    s.cases = 1;
    s.inputs = a.inputs.size();
    for (const InputRecord& in : a.inputs) {
      if (in.skipped) ++s.skipped_inputs;
      if (!in.problems.empty()) ++s.inputs_with_problems;
    }
    s.events = a.event_count;
    s.calls = a.totals.calls;
    s.failed_calls = a.totals.failed_calls;
    s.findings = a.totals.findings;
    std::map<std::string, std::string> titles;
    for (const Finding& f : a.findings) titles.emplace(f.rule_id, f.title);
    for (const auto& [rule, n] : a.totals.findings_by_rule) {
      s.findings_by_rule.push_back({rule, titles[rule], n});
    }
    std::stable_sort(
        s.findings_by_rule.begin(), s.findings_by_rule.end(),
        [](const RuleCount& x, const RuleCount& y) { return x.findings > y.findings; });
    s.conversations = a.conversations.conversations.size();
    s.multi_leg_conversations = multi_leg_conversations(a);
    return s;
  }

  std::vector<CallSummary> calls(bool failed_only, std::string* error) override {
    std::vector<CallSummary> rows;
    if (!in_memory(error)) return rows;
    for (const Call& call : analysis_.calls) {
      if (failed_only && !call.failed()) continue;
      rows.push_back(model_row(analysis_, call, case_name_));
    }
    return rows;
  }

  std::optional<StoredCall> call(const CallSummary& row, std::string* error) override {
    if (!in_memory(error)) return std::nullopt;
    for (const Call& call : analysis_.calls) {
      if (call.call_id != row.call_id) continue;
      StoredCall out = to_stored_call(call, analysis_.events, analysis_.findings, case_name_);
      out.call = model_row(analysis_, call, case_name_);
      return out;
    }
    return std::nullopt;
  }

  std::optional<StoredConversation> conversation(const CallSummary& row, std::string*) override {
    const Conversation* c = analysis_.conversations.of(row.call_id);
    if (c == nullptr) return std::nullopt;
    StoredConversation out{case_name_, c->id, c->call_ids, {}};
    for (const ConversationLink& l : c->links) {
      out.links.push_back({l.call_a, l.call_b, l.key.kind, l.key.value});
    }
    return out;
  }

  // The one case; what only the store records (when it was written, the files it was read
  // from) stays empty.
  std::optional<CaseDigest> digest(std::string* error) override {
    const Analysis& a = analysis_;
    CaseDigest out;
    CaseOverview& c = out.cases.emplace_back();
    c.name = case_name_;
    c.inputs = a.inputs.size();
    c.calls = a.totals.calls;
    c.failed_calls = a.totals.failed_calls;
    c.findings = a.totals.findings;
    c.conversations = a.conversations.conversations.size();
    c.multi_leg_conversations = multi_leg_conversations(a);
    std::string why;
    const bool read = for_each_call(
        a,
        [&](const Call&, const std::vector<const Finding*>& found) {
          for (const Finding* f : found) {
            out.findings.push_back(
                {case_name_, f->call_id, f->rule_id, f->title, f->severity, f->fields});
          }
        },
        &why);
    if (!read) {
      *error = why;
      return std::nullopt;
    }
    return out;
  }

 private:
  bool in_memory(std::string* error) const {
    if (analysis_.calls.empty() || !analysis_.events.empty()) return true;
    *error = "the analysis holds its events in a spool, not in memory: report it from the store";
    return false;
  }

  const Analysis& analysis_;
  std::string case_name_;
};

}  // namespace

std::unique_ptr<ReportModel> analysis_report_model(const Analysis& analysis,
                                                   std::string case_name) {
  return std::make_unique<AnalysisReportModel>(analysis, std::move(case_name));
}

}  // namespace fedtriage
