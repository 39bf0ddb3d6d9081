#include "lib/rules/rule_check.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "lib/rules/rule_match.h"
#include "lib/rules/rule_model.h"
#include "lib/rules/template_text.h"

namespace fedtriage {
namespace {

std::string sample_name(const rules::Sample& s, size_t index) {
  return s.name.empty() ? "#" + std::to_string(index + 1) : s.name;
}

// The first {{f}} that renders empty for `fields` where it is shown (sections whose condition
// does not hold for this sample are not): it would leave a gap in a sentence ("looked up the
// record and got, so"). "" when there is none.
std::string unguarded_empty_field(std::string_view tpl, const Fields& fields) {
  auto value_of = [&](std::string_view name) {
    const std::string* v = find_field(fields, std::string(name));
    return v ? *v : std::string();
  };
  std::vector<bool> shown{true};  // per open section: is its content rendered
  size_t pos = 0;
  while ((pos = tpl.find("{{", pos)) != std::string_view::npos) {
    const size_t end = tpl.find("}}", pos + 2);
    if (end == std::string_view::npos) break;
    std::string_view tag = tpl.substr(pos + 2, end - pos - 2);
    pos = end + 2;
    if (tag.empty()) continue;
    const char kind = tag[0];
    if (kind == '#' || kind == '^') {
      std::string_view cond = tag.substr(1);
      const size_t eq = cond.find('=');
      const std::string value = value_of(cond.substr(0, eq));
      bool holds = eq == std::string_view::npos
                       ? !value.empty()
                       : value.size() == cond.size() - eq - 1 &&
                             std::equal(value.begin(), value.end(), cond.begin() + eq + 1,
                                        [](char a, char b) { return (a | 0x20) == (b | 0x20); });
      if (kind == '^') holds = !holds;
      shown.push_back(shown.back() && holds);
    } else if (kind == '/') {
      if (shown.size() > 1) shown.pop_back();
    } else if (shown.back() && value_of(tag).empty()) {
      return std::string(tag);
    }
  }
  return "";
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
    const std::string rendered = render_template(*text, fields);
    if (rendered.find("{{") != std::string::npos) {
      problems += (problems.empty() ? "" : "; ") + std::string("a template keeps a '{{' tag");
    }
    if (const std::string gap = unguarded_empty_field(*text, fields); !gap.empty()) {
      problems += (problems.empty() ? "" : "; ") + std::string("an empty value leaves a gap: {{") +
                  gap + "}} renders empty for this sample (guard it with {{#" + gap + "}}...{{/" +
                  gap + "}})";
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
