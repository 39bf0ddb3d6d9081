// Reading the values of a rule file from YAML, with the checks every rule file gets: each
// failure is a RuleError at the node where it was seen, and every value read counts against a
// per-file budget (YAML aliases let a few bytes stand for millions of values). Internal to
// lib/rules.
#pragma once

#include <yaml-cpp/yaml.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "lib/core/event.h"
#include "lib/rules/rule_model.h"

namespace fedtriage::rules {

// A problem with one rule, at the YAML node where it was seen.
struct RuleError : std::runtime_error {
  YAML::Mark mark;
  RuleError(const YAML::Node& node, const std::string& message)
      : std::runtime_error(message), mark(node.Mark()) {}
};

// Starts the budget of a new file (per thread).
void reset_value_budget();

std::string scalar(const YAML::Node& n, std::string_view what);
std::vector<std::string> scalars(const YAML::Node& n, std::string_view what);  // one or a list
long long parse_integer(const YAML::Node& n, std::string_view text, std::string_view what);
bool parse_bool(const YAML::Node& n, std::string_view what);
Source parse_source(const YAML::Node& n, const std::string& text);  // a registered product
EventKind parse_kind(const YAML::Node& n, const std::string& text);
Direction parse_direction(const YAML::Node& n, const std::string& text);
StatusRange parse_status(const YAML::Node& n, const std::string& text);  // 504, 5xx, 400-499

}  // namespace fedtriage::rules
