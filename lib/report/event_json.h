// The public JSON form of one normalized event (`fedtriage events`, one object per line).
#pragma once

#include <string>

#include "lib/core/event.h"

namespace fedtriage {

struct EventJsonOptions {
  bool include_raw = false;  // the record's original text under "raw"
};

// One line of JSON (no trailing newline). Valid JSON for any input bytes: invalid UTF-8 is
// replaced with U+FFFD, control characters are escaped.
std::string event_to_json(const Event& event, const EventJsonOptions& options = {});

// The same line appended to `out` (no allocation when `out` has room).
void append_event_json(std::string& out, const Event& event, const EventJsonOptions& options = {});

}  // namespace fedtriage
