#include "parsers/edge/edge_header.h"

#include "lib/base/ascii.h"

#include "lib/core/timestamp.h"

namespace fedtriage {
namespace {

bool is_upper_alnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

size_t skip_spaces(std::string_view s, size_t pos) {
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t')) ++pos;
  return pos;
}

constexpr std::string_view kBegin = "$$begin_record";

}  // namespace

std::optional<EdgeHeader> scan_edge_header(std::string_view line) {
  if (!line.starts_with("TL_")) return std::nullopt;
  EdgeHeader h;
  // Level: TL_<LEVEL>(
  size_t pos = 3;
  size_t open = line.find('(', pos);
  if (open == std::string_view::npos || open == pos || open - pos > 16) return std::nullopt;
  h.level = line.substr(pos, open - pos);
  for (char c : h.level) {
    if (!is_upper_alnum(c)) return std::nullopt;
  }
  // Flag: (TF_<FLAG>)
  pos = open + 1;
  size_t close = line.find(')', pos);
  if (close == std::string_view::npos || line.substr(pos, 3) != "TF_") return std::nullopt;
  h.flag = line.substr(pos, close - pos);
  // [machine\machine] or [0]
  pos = skip_spaces(line, close + 1);
  if (pos >= line.size() || line[pos] != '[') return std::nullopt;
  size_t rb = line.find(']', pos);
  if (rb == std::string_view::npos) return std::nullopt;
  std::string_view machine = line.substr(pos + 1, rb - pos - 1);
  if (size_t bs = machine.rfind('\\'); bs != std::string_view::npos) {
    machine.remove_prefix(bs + 1);
  }
  h.machine = machine == "0" ? std::string_view{} : machine;
  // PID.TID::
  pos = rb + 1;
  size_t colons = line.find("::", pos);
  if (colons == std::string_view::npos || colons - pos > 24) return std::nullopt;
  h.thread = line.substr(pos, colons - pos);
  // MM/DD/YYYY-HH:MM:SS.mmm.<hex sequence>
  pos = colons + 2;
  auto ts = parse_mdy_hms_millis(line.substr(pos, 23));
  if (!ts) return std::nullopt;
  h.ts_ms = *ts;
  pos += 23;
  if (pos < line.size() && line[pos] == '.') {
    ++pos;
    while (pos < line.size() && is_hex(line[pos])) ++pos;
  }
  // (Component,Class::Method:File.cpp(n)): parentheses nest, so count them.
  pos = skip_spaces(line, pos);
  if (pos < line.size() && line[pos] == '(') {
    int depth = 0;
    size_t end = pos;
    for (; end < line.size(); ++end) {
      if (line[end] == '(') ++depth;
      if (line[end] == ')' && --depth == 0) break;
    }
    if (end >= line.size()) return std::nullopt;
    std::string_view group = line.substr(pos + 1, end - pos - 1);
    size_t comma = group.find(',');
    h.component = trim_ascii(group.substr(0, comma));
    if (comma != std::string_view::npos) h.location = trim_ascii(group.substr(comma + 1));
    pos = end + 1;
  }
  // Optional [correlation id], then free text and/or $$begin_record.
  std::string_view rest = line.substr(pos);
  size_t r = skip_spaces(rest, 0);
  if (r < rest.size() && rest[r] == '[') {
    size_t e = rest.find(']', r);
    if (e != std::string_view::npos) {
      h.correlation_id = rest.substr(r + 1, e - r - 1);
      rest.remove_prefix(e + 1);
    }
  }
  if (size_t b = rest.find(kBegin); b != std::string_view::npos) {
    h.begin_record = true;
    h.free_text = trim_ascii(rest.substr(0, b));
    h.inline_body = trim_ascii(rest.substr(b + kBegin.size()));
  } else {
    h.free_text = trim_ascii(rest);
  }
  return h;
}

bool parse_result_code(std::string_view text, std::string* code, std::string* name) {
  size_t x = text.find("0x");
  if (x == std::string_view::npos) x = text.find("0X");
  if (x == std::string_view::npos) return false;
  size_t pos = x + 2;
  size_t digits = pos;
  while (digits < text.size() && digits - pos < 16 && is_hex(text[digits])) ++digits;
  if (digits == pos) return false;
  code->assign("0x");
  for (size_t i = pos; i < digits; ++i) {
    char c = text[i];
    code->push_back(c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  pos = digits;
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '(')) ++pos;
  size_t end = pos;
  while (end < text.size() && is_upper_alnum(text[end])) ++end;
  name->assign(text.substr(pos, end - pos));
  return true;
}

}  // namespace fedtriage
