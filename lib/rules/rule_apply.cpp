#include "lib/rules/rule_apply.h"

#include "lib/rules/rule_match.h"
#include "lib/rules/rule_model.h"
#include "lib/rules/template_text.h"

namespace fedtriage {

std::optional<Finding> apply_rule(const RuleSet& rule_set, std::string_view rule_id,
                                  const Event& event, std::string* why_not) {
  for (const rules::Rule& rule : rule_set.impl().rules) {
    if (rule.id != rule_id) continue;
    const std::optional<rules::EventMatch> m = rules::match_rule(rule, event);
    if (!m) {
      if (why_not) *why_not = "rule '" + rule.id + "' does not match this check";
      return std::nullopt;
    }
    Finding f;
    f.rule_id = rule.id;
    f.title = rule.title;
    f.severity = rule.severity;
    // Empty values are left out, as merge_fields does for log findings.
    for (auto& [k, v] : rules::extract_fields(rule, event, *m)) {
      if (!v.empty()) f.fields.emplace_back(std::move(k), std::move(v));
    }
    rules::apply_compute(rule, f.fields);
    f.root_cause = render_template(rule.root_cause, f.fields);
    f.fix = render_template(rule.fix, f.fields);
    return f;
  }
  if (why_not) *why_not = "the rule set has no rule '" + std::string(rule_id) + "'";
  return std::nullopt;
}

}  // namespace fedtriage
