// Internal to lib/rules: YAML text -> compiled rules.
#pragma once

#include <string_view>

#include "lib/rules/rule_model.h"

namespace fedtriage::rules {

// Parses one rule file and appends its rules (and errors) to `into`. A YAML syntax error
// skips the file; an invalid rule skips that rule only. Never throws.
void load_rule_file(std::string_view file_name, std::string_view yaml, RuleSet::Impl& into);

}  // namespace fedtriage::rules
