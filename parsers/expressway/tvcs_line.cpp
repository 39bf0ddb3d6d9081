#include "parsers/expressway/tvcs_line.h"

#include <string>

namespace fedtriage {
namespace {

constexpr std::string_view kTag = " tvcs: ";

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

}  // namespace

std::optional<TvcsLine> split_tvcs_line(std::string_view line) {
  const size_t tag = line.find(kTag);
  if (tag == std::string_view::npos || tag == 0) return std::nullopt;
  TvcsLine out;
  // The syslog-forwarded variant repeats the tag ("host tvcs: tvcs: UTCTime=...").
  size_t body = tag + kTag.size();
  while (line.substr(body).starts_with("tvcs: ")) body += 6;
  out.body = line.substr(body);
  std::string_view prefix = line.substr(0, tag);
  const size_t sp = prefix.rfind(' ');
  if (sp == std::string_view::npos) {
    out.host = prefix;
  } else {
    out.host = prefix.substr(sp + 1);
    std::string_view before = trim(prefix.substr(0, sp));
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
    if (k < eq) out.push_back({body.substr(k, eq - k), trim(body.substr(vstart, vend - vstart))});
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
