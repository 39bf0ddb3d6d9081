#include "lib/report/stored_case_report.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "lib/report/call_list.h"
#include "lib/report/case_todo.h"
#include "lib/report/store_report_model.h"
#include "lib/report/terminal_text.h"
#include "lib/report/text_report.h"

namespace fedtriage {
namespace {

// Findings printed in full for at most this many failed calls; the rest are listed.
constexpr size_t kDetailedCalls = 20;

}  // namespace

std::string stored_case_to_text(Store& store, const std::string& case_name, std::string* error) {
  const auto model = store_report_model(store, case_name);
  return stored_case_to_text(*model, error);
}

std::string stored_case_to_text(ReportModel& model, std::string* error) {
  std::string why;
  const std::optional<StoreSummary> summary = model.summary(&why);
  if (!summary) {
    if (error) *error = why;
    return "";
  }
  std::vector<CallSummary> failed = model.calls(true, &why);
  if (!why.empty()) {
    if (error) *error = why;
    return "";
  }
  CallFilter newest_first;
  failed = select_calls(std::move(failed), newest_first);
  std::string out =
      "Read from the database (stored by an earlier run): " + std::to_string(summary->inputs) +
      " input(s), " + std::to_string(summary->calls) + " call(s), " +
      std::to_string(summary->failed_calls) + " failed, " + std::to_string(summary->findings) +
      " finding(s).\n";
  if (failed.empty()) return out + "\nNo failed calls.\n";
  out += "\n" + calls_to_text(failed);
  // Each call with a finding is loaded once: its failure finding goes into the to-do (in time
  // order, as the analysis report builds it); the newest kDetailedCalls are printed in full.
  std::vector<const CallSummary*> with_findings;  // newest first
  for (const CallSummary& c : failed) {
    if (!c.rule_ids.empty()) with_findings.push_back(&c);
  }
  std::vector<std::optional<StoredCall>> loaded(with_findings.size());
  std::vector<size_t> oldest_first(with_findings.size());
  for (size_t i = 0; i < oldest_first.size(); ++i) oldest_first[i] = i;
  std::stable_sort(oldest_first.begin(), oldest_first.end(), [&](size_t a, size_t b) {
    return with_findings[a]->first_ms < with_findings[b]->first_ms;
  });
  CaseTodo todo;
  for (size_t i : oldest_first) {
    std::optional<StoredCall> call = model.call(*with_findings[i], &why);
    if (!call) continue;
    if (!call->findings.empty()) {
      const StoredFinding& f = call->findings.front();  // the failure finding comes first
      todo.add(with_findings[i]->call_id, f.rule_id, f.title, f.fix, f.fields);
    }
    if (i < kDetailedCalls) loaded[i] = std::move(call);
  }
  for (size_t i = 0; i < with_findings.size(); ++i) {
    if (i == kDetailedCalls) {
      out += "\n(findings of the other calls: fedtriage show CALL-ID)\n";
      break;
    }
    if (!loaded[i]) continue;
    out += "\n" + terminal_safe(with_findings[i]->call_id) + "\n";
    for (const StoredFinding& f : loaded[i]->findings) {
      out += "  " + terminal_safe(f.title) + " [" + terminal_safe(f.rule_id) + "]\n";
      if (!f.root_cause.empty()) out += "    Root cause: " + terminal_safe(f.root_cause) + "\n";
      if (!f.fix.empty()) out += "    Fix: " + terminal_safe(f.fix) + "\n";
    }
  }
  return out + case_todo_to_text(todo.items(), false);
}

}  // namespace fedtriage
