#include "parsers/expressway/tvcs_line.h"

#include "lib/base/ascii.h"

#include <cstddef>
#include <cstring>
#include <string>

namespace fedtriage {
namespace {

constexpr std::string_view kTag = " tvcs: ";

bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

// Position of the first " tvcs: ", or npos. Runs on every line: memchr for its 't' (a
// lowercase 't' is rare in the ISO time and host before the tag) instead of string_view::find,
// which stops at every space.
size_t find_tag(std::string_view line) {
  if (line.size() < kTag.size()) return std::string_view::npos;
  const char* const begin = line.data();
  const char* const end = begin + line.size();
  const char* p = begin + 1;  // the 't' has a space before it
  while (end - p >= static_cast<ptrdiff_t>(kTag.size() - 1)) {
    p = static_cast<const char*>(std::memchr(p, 't', static_cast<size_t>(end - p)));
    if (p == nullptr) break;
    if (p[-1] == ' ' && end - p >= static_cast<ptrdiff_t>(kTag.size() - 1) &&
        std::memcmp(p + 1, "vcs: ", 5) == 0) {
      return static_cast<size_t>(p - 1 - begin);
    }
    ++p;
  }
  return std::string_view::npos;
}

// Start of the body after the tag found at `tag`.
size_t body_start(std::string_view line, size_t tag) {
  // The syslog-forwarded variant repeats the tag ("host tvcs: tvcs: UTCTime=...").
  size_t body = tag + kTag.size();
  while (line.substr(body).starts_with("tvcs: ")) body += 6;
  return body;
}

}  // namespace

std::optional<std::string_view> tvcs_body(std::string_view line) {
  const size_t tag = find_tag(line);
  if (tag == std::string_view::npos || tag == 0) return std::nullopt;
  return line.substr(body_start(line, tag));
}

std::optional<TvcsLine> split_tvcs_line(std::string_view line) {
  const size_t tag = find_tag(line);
  if (tag == std::string_view::npos || tag == 0) return std::nullopt;
  TvcsLine out;
  out.body = line.substr(body_start(line, tag));
  std::string_view prefix = line.substr(0, tag);
  const size_t sp = prefix.rfind(' ');
  if (sp == std::string_view::npos) {
    out.host = prefix;
  } else {
    out.host = prefix.substr(sp + 1);
    std::string_view before = trim_ascii(prefix.substr(0, sp));
    const size_t sp2 = before.rfind(' ');
    out.local_time = sp2 == std::string_view::npos ? before : before.substr(sp2 + 1);
  }
  return out;
}

void scan_tvcs_attributes(std::string_view body, std::vector<TvcsAttribute>& out) {
  size_t pos = 0;
  while (true) {
    const size_t eq = body.find("=\"", pos);
    if (eq == std::string_view::npos) return;
    size_t k = eq;
    while (k > pos && is_key_char(body[k - 1])) --k;
    const size_t vstart = eq + 2;
    size_t vend = body.find('"', vstart);
    if (vend == std::string_view::npos) vend = body.size();  // unterminated: take the rest
    if (k < eq)
      out.push_back({body.substr(k, eq - k), trim_ascii(body.substr(vstart, vend - vstart))});
    if (vend >= body.size()) return;
    pos = vend + 1;
  }
}

std::optional<std::string_view> tvcs_value(const std::vector<TvcsAttribute>& attrs,
                                           std::string_view key) {
  for (const auto& a : attrs) {
    if (a.key == key) return a.value;
  }
  return std::nullopt;
}

std::string normalize_tvcs_key(std::string_view key) {
  std::string out(key);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == '-') c = '_';
  }
  return out;
}

}  // namespace fedtriage
