// What the rule set concludes about a call: root cause, fix, and the lines it stands on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "lib/core/event.h"

namespace fedtriage {

enum class FindingSeverity : uint8_t { Info, Warning, Error, Critical };

std::string_view to_string(FindingSeverity s);
bool parse_finding_severity(std::string_view text, FindingSeverity& out);

struct Evidence {
  size_t event = 0;   // index into the event list
  std::string file;   // origin.file of that event
  uint64_t line = 0;  // the line `text` quotes (ms-diagnostics:, Data:, ...): `vim +line file`
  std::string text;   // one line a person can read (the status line, the Result-Code, ...)
  uint64_t record_line = 0;  // first line of the record (the TL_ header, the SIP line)
};

struct Finding {
  std::string call_id;
  std::string rule_id;  // stable, part of the public contract (JSON and SQLite)
  std::string title;
  FindingSeverity severity = FindingSeverity::Error;
  Fields fields;  // extracted values, e.g. {"domain", "cms.steven.lab"}, {"fqdn", "..."}
  std::string root_cause;
  std::string fix;
  std::vector<Evidence> evidence;  // every line the finding stands on, time order
  // Other rules that described the same failure and gave way to this one (highest priority
  // first); their lines are in `evidence` too.
  std::vector<std::string> related_rules;
};

}  // namespace fedtriage
