#include "lib/rules/finding.h"

namespace fedtriage {

std::string_view to_string(FindingSeverity s) {
  switch (s) {
    case FindingSeverity::Info:
      return "info";
    case FindingSeverity::Warning:
      return "warning";
    case FindingSeverity::Error:
      return "error";
    case FindingSeverity::Critical:
      return "critical";
  }
  return "error";
}

bool parse_finding_severity(std::string_view text, FindingSeverity& out) {
  for (FindingSeverity s : {FindingSeverity::Info, FindingSeverity::Warning, FindingSeverity::Error,
                            FindingSeverity::Critical}) {
    if (text == to_string(s)) {
      out = s;
      return true;
    }
  }
  return false;
}

}  // namespace fedtriage
