#include "lib/redact/sip_redactor.h"

namespace fedtriage::redact {
namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Where the Content-Length value starts in `line`, or npos.
size_t content_length_value(std::string_view line) {
  std::string_view t = sip_text(line);
  size_t name_len = 0;
  static constexpr std::string_view kName = "content-length";
  if (t.size() > kName.size()) {
    bool same = true;
    for (size_t i = 0; i < kName.size() && same; ++i) same = lower(t[i]) == kName[i];
    if (same) name_len = kName.size();
  }
  if (name_len == 0 && !t.empty() && lower(t[0]) == 'l') name_len = 1;
  if (name_len == 0) return std::string_view::npos;
  size_t i = name_len;
  while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
  if (i >= t.size() || t[i] != ':') return std::string_view::npos;
  ++i;
  while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
  if (i >= t.size() || t[i] < '0' || t[i] > '9') return std::string_view::npos;
  return static_cast<size_t>(t.data() - line.data()) + i;
}

}  // namespace

std::string_view sip_text(std::string_view line) {
  if (size_t p = line.find(" :: "); p != std::string_view::npos && p < 60) {
    line.remove_prefix(p + 4);
  }
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i < line.size() && line[i] == '|') ++i;
  return line.substr(i);
}

int64_t adjust_number(std::string& line, size_t pos, int64_t delta) {
  size_t end = pos;
  while (end < line.size() && line[end] >= '0' && line[end] <= '9' && end - pos < 18) ++end;
  if (end == pos || delta == 0) return 0;
  const int64_t value = std::stoll(line.substr(pos, end - pos));
  if (value + delta < 0) return 0;
  const std::string updated = std::to_string(value + delta);
  const int64_t change = static_cast<int64_t>(updated.size()) - static_cast<int64_t>(end - pos);
  line.replace(pos, end - pos, updated);
  return change;
}

int64_t redact_sip_message(std::vector<std::string>& lines, size_t begin, size_t body_begin,
                           size_t end, TextRedactor& text) {
  int64_t total = 0;
  int64_t body = 0;
  for (size_t i = begin; i < end; ++i) {
    std::string red = text.line(lines[i]);
    const int64_t change = static_cast<int64_t>(red.size()) - static_cast<int64_t>(lines[i].size());
    total += change;
    if (i >= body_begin) body += change;
    lines[i] = std::move(red);
  }
  if (body != 0) {
    for (size_t i = begin; i < std::min(body_begin, end); ++i) {
      size_t pos = content_length_value(lines[i]);
      if (pos == std::string::npos) continue;
      total += adjust_number(lines[i], pos, body);
      break;
    }
  }
  return total;
}

}  // namespace fedtriage::redact
