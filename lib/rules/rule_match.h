// Internal to lib/rules: one event against one rule (patterns, extraction, compute, text).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/core/event.h"
#include "lib/rules/rule_model.h"

namespace fedtriage::rules {

struct EventMatch {
  size_t pattern = 0;  // which alternative matched
  int diag = -1;       // index of the ms-diagnostics entry that matched, -1 if none tested
  Fields captures;     // named regex groups
};

// The first pattern of `rule` that `event` satisfies.
std::optional<EventMatch> match_rule(const Rule& rule, const Event& event);

// Output fields for one matched event: the extractors in order, then captures not already
// named. Compute is not applied (see apply_compute) so that several events can be merged first.
Fields extract_fields(const Rule& rule, const Event& event, const EventMatch& match);

// Runs the rule's compute steps; they add or overwrite fields.
void apply_compute(const Rule& rule, Fields& fields);

// A built-in compute function: its number of arguments and the fields it sets. False when
// there is no function of that name.
bool compute_signature(std::string_view function, size_t* arity, std::vector<std::string>* outputs);

// True when `source` is a known extraction source ("ms_diagnostics.param.fqdn1", ...).
bool is_known_source(std::string_view source);

// One line a person can read for evidence: the status line, the Result-Code, ...
std::string evidence_text(const Event& event);

// Which line of the record `evidence_text` quotes, counted from its first line (0): the
// ms-diagnostics header of a SIP message (else its start line), the Data: line of an Edge
// diagnostic (else its Result-Code: line); 0 for one-line records.
size_t evidence_line_offset(const Event& event);

}  // namespace fedtriage::rules
