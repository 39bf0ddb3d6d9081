// The `samples:` of a rule file: events written in YAML that `fedtriage rules check` runs
// through the rule, with what the rule must (or must not) extract. Internal to lib/rules.
#pragma once

#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "lib/rules/rule_model.h"

namespace fedtriage::rules {

std::vector<Sample> parse_samples(const YAML::Node& n, std::string_view file);

}  // namespace fedtriage::rules
