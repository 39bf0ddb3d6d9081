// `fedtriage rules check`: runs every rule's sample events through that rule.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "lib/rules/rule_set.h"

namespace fedtriage {

struct RuleCheckFailure {
  std::string rule_id;
  std::string file;
  uint64_t line = 0;   // of the sample (or of the rule when it has no samples)
  std::string sample;  // sample name, or "#<n>" when unnamed
  std::string message;
};

struct RuleCheckReport {
  size_t rules = 0;
  size_t samples = 0;
  size_t samples_passed = 0;
  std::vector<RuleCheckFailure> failures;
  std::vector<RuleLoadError> load_errors;  // copied from the rule set
  bool ok() const { return failures.empty() && load_errors.empty(); }
};

// A sample passes when its event matches one of the rule's patterns (or, with
// `expect_match: false`, matches none), every expected field has the expected value after
// extraction and compute, and root_cause/fix render without a leftover tag. (Unknown
// placeholders are already load errors.)
// Every rule must have at least one matching sample.
RuleCheckReport check_rules(const RuleSet& rules);

}  // namespace fedtriage
