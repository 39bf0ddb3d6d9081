// Microsoft ms-diagnostics / ms-diagnostics-public header values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fedtriage {

using ParamList = std::vector<std::pair<std::string, std::string>>;

struct MsDiagnostic {
  int code = 0;          // ErrorId (the part before any ".sub")
  int sub_code = -1;     // ".<Sub Error Code>" when present
  bool is_public = false;  // came from ms-diagnostics-public
  std::string reason;    // the reason parameter, any key case
  ParamList params;      // every parameter except reason, keys as written, values unquoted
  // Value of a parameter, key compared case-insensitively ("Domain" == "domain"). "reason"
  // gives `reason` (nullptr when empty).
  const std::string* param(std::string_view key) const;
};

// Parses a header value like `1009;reason="No match";domain="a.b";source=x`. Parameter order,
// key case, quoting and spaces after ';' vary. Returns nullopt when no numeric code leads.
std::optional<MsDiagnostic> parse_ms_diagnostic(std::string_view value, bool is_public = false);

// Parses `key="value";key2=value2; key3="v;3"` into pairs: quotes removed (backslash escapes
// honoured), spaces around keys and values trimmed, ';' inside quotes kept. Also used for the
// Edge `Data:` field.
ParamList parse_param_list(std::string_view text);

}  // namespace fedtriage
