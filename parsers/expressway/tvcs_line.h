// One Expressway / VCS ("tvcs") log line split into its prefix and Key="value" attributes.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace fedtriage {

struct TvcsAttribute {
  std::string_view key;    // as written: "Src-ip", "Call-serial-number"
  std::string_view value;  // quotes removed, outer spaces trimmed
};

struct TvcsLine {
  std::string_view local_time;  // "2018-01-01T12:56:48.964-05:00" (may be empty for syslog forms)
  std::string_view host;        // token before "tvcs:"
  std::string_view body;        // everything after the last "tvcs: " tag
};

// The body of a tvcs record line (what split_tvcs_line would give as `body`) without splitting
// the prefix: for skipping lines cheaply. nullopt when the line is not a record line.
std::optional<std::string_view> tvcs_body(std::string_view line);

// Splits the prefix off a line. nullopt when the line is not a tvcs record line (it is then
// a continuation: a SIPMSG block line or noise). Cheap: a literal search, no allocation.
std::optional<TvcsLine> split_tvcs_line(std::string_view line);

// Appends every Key="value" pair of `body` to `out`. Text outside pairs (developer.ssl puts a
// free-text message before its pairs) is ignored. Views point into `body`.
void scan_tvcs_attributes(std::string_view body, std::vector<TvcsAttribute>& out);

// Value of `key` in a scanned list, or nullopt.
std::optional<std::string_view> tvcs_value(const std::vector<TvcsAttribute>& attrs,
                                           std::string_view key);

// "Call-serial-number" -> "call_serial_number": the stable field-key form used in events.
std::string normalize_tvcs_key(std::string_view key);

}  // namespace fedtriage
