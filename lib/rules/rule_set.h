// The rule set: rules kept as YAML data (rules/*.yaml), loaded and compiled once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lib/rules/finding.h"

namespace fedtriage {

// A rule or file that could not be loaded. The rule (or, for a YAML syntax error, the whole
// file) is skipped; everything else still loads.
struct RuleLoadError {
  std::string file;
  uint64_t line = 0;  // 1-based, 0 when not tied to a line
  uint64_t column = 0;
  std::string rule_id;  // empty when the rule has no id yet or the file did not parse
  std::string message;
};

// "file:line: [rule] message"
std::string to_string(const RuleLoadError& e);

// One line of `fedtriage rules list`.
struct RuleSummary {
  std::string id;
  std::string title;
  FindingSeverity severity = FindingSeverity::Error;
  int priority = 0;
  bool explains_failure = false;
  std::string file;  // display name, e.g. "rules/srv-domain-mismatch.yaml"
  uint64_t line = 0;
  size_t samples = 0;
};

// A file the rules came from, verbatim (for hashing and provenance).
struct RuleSourceFile {
  std::string name;
  std::string text;
};

class RuleSet {
 public:
  RuleSet();
  ~RuleSet();
  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;

  // The rules compiled into the binary from rules/*.yaml.
  static RuleSet embedded();
  // Every *.yaml / *.yml file in `dir` (not recursive), in name order. An unreadable
  // directory is reported in errors().
  static RuleSet from_directory(const std::string& dir);
  // One YAML document; `file_name` is used in errors and listings.
  static RuleSet from_text(std::string_view file_name, std::string_view yaml);

  // Adds the rules of one more file. A rule whose id is already loaded is an error.
  void add_text(std::string_view file_name, std::string_view yaml);

  const std::vector<RuleLoadError>& errors() const;
  const std::vector<RuleSourceFile>& files() const;
  std::vector<RuleSummary> list() const;  // load order
  size_t size() const;
  bool empty() const { return size() == 0; }
  // Extra SIP header names whose values tie the legs of a conversation (a file's top-level
  // `conversation_link_headers:` list), in load order.
  const std::vector<std::string>& conversation_link_headers() const;

  // The compiled form, opaque outside lib/rules.
  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace fedtriage
