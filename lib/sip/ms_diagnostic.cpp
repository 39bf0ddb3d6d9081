#include "lib/sip/ms_diagnostic.h"

#include <cstddef>

#include "lib/base/ascii.h"

namespace fedtriage {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Reads up to 9 digits at s[*pos] (enough for any ErrorId, never overflows an int).
// Returns -1 when no digit is there or the number is longer than that.
int read_small_number(std::string_view s, size_t* pos) {
  size_t i = *pos;
  int value = 0;
  size_t digits = 0;
  while (i < s.size() && is_digit(s[i])) {
    if (++digits > 9) return -1;
    value = value * 10 + (s[i] - '0');
    ++i;
  }
  if (digits == 0) return -1;
  *pos = i;
  return value;
}

}  // namespace

const std::string* MsDiagnostic::param(std::string_view key) const {
  // reason is kept apart, but callers asking for it by name should still get it.
  if (iequals(key, "reason")) return reason.empty() ? nullptr : &reason;
  for (const auto& [k, v] : params) {
    if (iequals(k, key)) return &v;
  }
  return nullptr;
}

ParamList parse_param_list(std::string_view text) {
  ParamList out;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    // Skip separators and blanks between parameters.
    while (i < n && (text[i] == ';' || is_ascii_space(text[i]))) ++i;
    if (i >= n) break;

    size_t key_begin = i;
    while (i < n && text[i] != '=' && text[i] != ';') ++i;
    std::string_view key = trim_ascii(text.substr(key_begin, i - key_begin));

    std::string value;
    if (i < n && text[i] == '=') {
      ++i;
      while (i < n && is_ascii_space(text[i])) ++i;
      if (i < n && text[i] == '"') {
        // Quoted: ';' and '=' are data, a backslash escapes the next octet. An unterminated
        // quote takes the rest of the text.
        ++i;
        while (i < n && text[i] != '"') {
          if (text[i] == '\\' && i + 1 < n) ++i;
          value.push_back(text[i]);
          ++i;
        }
        if (i < n) ++i;  // closing quote
        // Anything between the closing quote and the next ';' is junk: drop it.
        while (i < n && text[i] != ';') ++i;
      } else {
        size_t value_begin = i;
        while (i < n && text[i] != ';') ++i;
        value.assign(trim_ascii(text.substr(value_begin, i - value_begin)));
      }
    }
    if (!key.empty()) out.emplace_back(std::string(key), std::move(value));
  }
  return out;
}

std::optional<MsDiagnostic> parse_ms_diagnostic(std::string_view value, bool is_public) {
  std::string_view v = trim_ascii(value);
  size_t pos = 0;
  int code = read_small_number(v, &pos);
  if (code < 0) return std::nullopt;

  MsDiagnostic diag;
  diag.code = code;
  diag.is_public = is_public;
  if (pos < v.size() && v[pos] == '.') {
    size_t sub_pos = pos + 1;
    int sub = read_small_number(v, &sub_pos);
    if (sub >= 0) {
      diag.sub_code = sub;
      pos = sub_pos;
    }
  }
  // Whatever sits between the code and the first ';' is not a parameter.
  while (pos < v.size() && v[pos] != ';') ++pos;

  for (auto& [k, val] : parse_param_list(v.substr(pos))) {
    if (diag.reason.empty() && iequals(k, "reason")) {
      diag.reason = std::move(val);
    } else {
      diag.params.emplace_back(std::move(k), std::move(val));
    }
  }
  return diag;
}

}  // namespace fedtriage
