// Applies the rule set to one correlated call.
#pragma once

#include <vector>

#include "lib/core/event.h"
#include "lib/correlate/call.h"
#include "lib/rules/finding.h"
#include "lib/rules/rule_set.h"

namespace fedtriage {

// Evaluates every event of `call` (indices into `events`) against every rule.
//
// One call's failure is explained once: of the rules marked `explains: failure` that match,
// the one with the highest priority (then the earliest match) gives the finding; the lines
// matched by the others, and the call's failure responses (e.g. the Expressway's bare 504),
// are added to its evidence and the others are named in Finding::related_rules. Rules not
// marked `explains: failure` are observations: one finding per matching rule.
// A call whose events match nothing (e.g. a healthy call) gets no finding.
std::vector<Finding> explain_call(const RuleSet& rules, const Call& call,
                                  const std::vector<Event>& events);

}  // namespace fedtriage
