// A preflight verdict worded by the rule set, so that it reads like the log finding of the
// same rule id.
#pragma once

#include "lib/preflight/preflight_model.h"
#include "lib/rules/finding.h"
#include "lib/rules/rule_set.h"

namespace fedtriage::preflight {

// The rule's patterns see the verdict as an event with the field `preflight` = rule id and
// `preflight.<name>` per verdict field. A rule set without that rule (an old --rules DIR)
// still gives a finding: the rule id, severity error, the fields, and a text saying so.
Finding verdict_finding(const RuleSet& rules, const Verdict& verdict);

}  // namespace fedtriage::preflight
