// The text the store writes for enums, and back. Private to lib/store. The core names
// (to_string in lib/core/event.h) are the stored ones, so SQL users see the same words as
// JSON reports.
#pragma once

#include <string_view>

#include "lib/core/event.h"
#include "lib/rules/finding.h"

namespace fedtriage::store_text {

// Severity words: "info", "warning", "error", "critical" (the rule set's, lib/rules/finding.h;
// one copy of the words for reports and the store).
std::string_view severity(FindingSeverity s);

// Unknown text (a newer writer's value) reads back as the enum's default.
FindingSeverity severity_from(std::string_view text);
Source source_from(std::string_view text);
EventKind kind_from(std::string_view text);
Direction direction_from(std::string_view text);
TimeBasis basis_from(std::string_view text);

}  // namespace fedtriage::store_text
