// Internal to lib/rules: the compiled form of a rule, as the loader builds it from YAML.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lib/core/event.h"
#include "lib/rules/finding.h"
#include "lib/rules/regex.h"
#include "lib/rules/rule_set.h"

namespace fedtriage::rules {

// One value constraint: `x`, `[x, y]` (case-insensitive equality with any), `{regex: ...}`
// (unanchored RE2 search; named groups become fields) or `{exists: true|false}`.
struct ValueTest {
  std::vector<std::string> any_of;
  std::optional<Regex> regex;
  std::optional<bool> exists;
  // `value` is nullptr when the thing tested is absent.
  bool matches(const std::string* value, Fields* captures) const;
};

struct DiagTest {
  std::optional<bool> present;  // ms_diagnostics: {present: false} = the message has none
  std::vector<int> codes;       // any of
  std::optional<ValueTest> reason;
  std::vector<std::pair<std::string, ValueTest>> params;  // key compared case-insensitively
};

struct StatusRange {
  int lo = 0;
  int hi = 0;  // inclusive; "5xx" is 500..599
};

using NamedTests = std::vector<std::pair<std::string, ValueTest>>;

struct Pattern {
  uint64_t line = 0;
  std::vector<Source> sources;
  std::vector<EventKind> kinds;
  std::vector<StatusRange> statuses;      // implies a SIP response
  std::vector<std::string> methods;       // SIP method (request method or CSeq method)
  std::optional<DiagTest> diag;           // some ms-diagnostics entry satisfies every part
  std::vector<std::string> result_codes;  // lower-case hex
  std::vector<std::string> result_names;
  NamedTests fields;              // event fields; also module/reason/event/detail shorthands
  NamedTests headers;             // SIP headers, any header of that name
  std::optional<ValueTest> text;  // the record's raw text (summary when raw is empty)
};

struct Extractor {
  std::string name;
  std::vector<std::string> sources;  // first non-empty wins
  bool strip_port = false;
};

struct ComputeStep {
  std::string function;
  std::vector<std::string> args;  // field names
};

struct Sample {
  std::string name;
  uint64_t line = 0;
  Event event;
  Fields expect;
  bool expect_match = true;
};

struct Rule {
  std::string id;
  std::string title;
  FindingSeverity severity = FindingSeverity::Error;
  int priority = 50;             // default: above the generic catalogue (40 and below)
  bool explains_failure = true;  // default; `explains: observation` for side notes
  std::string file;
  uint64_t line = 0;
  std::vector<Pattern> patterns;  // alternatives
  std::vector<Extractor> extract;
  std::vector<ComputeStep> compute;
  std::string root_cause;
  std::string fix;
  // Its templates name a pool-member field (peer_srv_record, peer_address, ...): only then does
  // the engine look the pool member up for a call (rule_engine.cpp).
  bool names_pool_member = false;
  std::vector<Sample> samples;
};

}  // namespace fedtriage::rules

namespace fedtriage {

struct RuleSet::Impl {
  std::vector<rules::Rule> rules;
  std::vector<RuleLoadError> errors;
  std::vector<RuleSourceFile> files;
  std::vector<std::string> link_headers;  // conversation_link_headers: of every file
};

}  // namespace fedtriage
