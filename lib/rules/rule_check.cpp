#include "lib/rules/rule_check.h"

#include "lib/rules/rule_match.h"
#include "lib/rules/rule_model.h"
#include "lib/rules/template_text.h"

namespace fedtriage {
namespace {

std::string sample_name(const rules::Sample& s, size_t index) {
  return s.name.empty() ? "#" + std::to_string(index + 1) : s.name;
}

// Empty when the sample passes, else what is wrong.
std::string check_sample(const rules::Rule& rule, const rules::Sample& sample) {
  const std::optional<rules::EventMatch> m = rules::match_rule(rule, sample.event);
  if (!sample.expect_match) {
    return m ? "matched alternative " + std::to_string(m->pattern + 1) +
                   " but is marked expect_match: false"
             : std::string();
  }
  if (!m) return "event matches none of the rule's match alternatives";
  Fields fields = rules::extract_fields(rule, sample.event, *m);
  rules::apply_compute(rule, fields);
  std::string problems;
  for (const auto& [name, want] : sample.expect) {
    const std::string* got = find_field(fields, name);
    if (!got) {
      problems +=
          (problems.empty() ? "" : "; ") + name + ": not extracted (expected '" + want + "')";
    } else if (*got != want) {
      problems +=
          (problems.empty() ? "" : "; ") + name + ": got '" + *got + "', expected '" + want + "'";
    }
  }
  for (const std::string* text : {&rule.root_cause, &rule.fix}) {
    if (render_template(*text, fields).find("{{") != std::string::npos) {
      problems += (problems.empty() ? "" : "; ") + std::string("a template keeps a '{{' tag");
    }
  }
  return problems;
}

}  // namespace

RuleCheckReport check_rules(const RuleSet& rule_set) {
  RuleCheckReport report;
  report.load_errors = rule_set.errors();
  for (const rules::Rule& rule : rule_set.impl().rules) {
    ++report.rules;
    bool any_positive = false;
    for (size_t i = 0; i < rule.samples.size(); ++i) {
      const rules::Sample& s = rule.samples[i];
      ++report.samples;
      any_positive = any_positive || s.expect_match;
      std::string problem = check_sample(rule, s);
      if (problem.empty()) {
        ++report.samples_passed;
      } else {
        report.failures.push_back(
            RuleCheckFailure{rule.id, rule.file, s.line, sample_name(s, i), std::move(problem)});
      }
    }
    if (!any_positive) {
      report.failures.push_back(RuleCheckFailure{rule.id, rule.file, rule.line, "",
                                                 "rule has no sample event that must match"});
    }
  }
  return report;
}

}  // namespace fedtriage
