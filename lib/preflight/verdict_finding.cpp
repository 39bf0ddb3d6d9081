#include "lib/preflight/verdict_finding.h"

#include <algorithm>

#include "lib/rules/rule_apply.h"

namespace fedtriage::preflight {

Finding verdict_finding(const RuleSet& rules, const Verdict& verdict) {
  Event event;
  event.kind = verdict.rule_id.rfind("srv-", 0) == 0 ? EventKind::Dns : EventKind::Tls;
  event.fields.emplace_back("preflight", verdict.rule_id);
  for (const auto& [k, v] : verdict.fields) event.fields.emplace_back("preflight." + k, v);
  std::string why_not;
  if (std::optional<Finding> f = apply_rule(rules, verdict.rule_id, event, &why_not)) {
    // The marker only selects the preflight wording; it is the rule id again.
    std::erase_if(f->fields, [](const auto& kv) { return kv.first == "preflight"; });
    return std::move(*f);
  }
  Finding f;
  f.rule_id = verdict.rule_id;
  f.title = verdict.rule_id;
  f.severity = FindingSeverity::Error;
  f.fields = verdict.fields;
  f.root_cause = "fedtriage check found " + verdict.rule_id + ", but " + why_not + ".";
  f.fix = "Use the built-in rule set (no --rules) for the texts of this check.";
  return f;
}

}  // namespace fedtriage::preflight
