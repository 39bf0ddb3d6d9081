// One rule, chosen by id, applied to one event built for it. This is how a check outside the
// log analysis (`fedtriage check`) speaks the rule set's verdicts: it decides what it found,
// and the rule set gives the title, severity, fields and the root cause / fix texts, rendered
// by the same template code as log findings.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "lib/core/event.h"
#include "lib/rules/finding.h"
#include "lib/rules/rule_set.h"

namespace fedtriage {

// The finding `rule_id` gives for `event` (extract, compute, templates), without evidence.
// nullopt, with `why_not` set, when the rule set has no such rule or the event matches none of
// its alternatives (a rule set that does not know this check).
std::optional<Finding> apply_rule(const RuleSet& rules, std::string_view rule_id,
                                  const Event& event, std::string* why_not = nullptr);

}  // namespace fedtriage
