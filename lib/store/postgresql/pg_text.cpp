#include "lib/store/postgresql/pg_text.h"

#include <stdexcept>

namespace fedtriage::pg {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at s[i] (1..4), 0 when invalid or NUL.
size_t sequence_length(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c == 0) return 0;
  if (c < 0x80) return 1;
  size_t n = 0;
  uint32_t min = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  uint32_t cp = c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

// Calls `piece(view)` for the storable pieces of `s`, U+FFFD for each bad byte.
template <typename F>
void for_storable(std::string_view s, F&& piece) {
  size_t start = 0, i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) >= 0x20 && static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;  // the common case
      continue;
    }
    const size_t n = sequence_length(s, i);
    if (n) {
      i += n;
      continue;
    }
    piece(s.substr(start, i - start));
    piece(kReplacement);
    start = ++i;
  }
  piece(s.substr(start));
}

}  // namespace

bool storable(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) >= 0x20 && static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const size_t n = sequence_length(s, i);
    if (!n) return false;
    i += n;
  }
  return true;
}

std::string storable_copy(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for_storable(s, [&](std::string_view p) { out += p; });
  return out;
}

void append_copy_field(std::string& out, std::string_view s) {
  for_storable(s, [&](std::string_view p) {
    size_t start = 0;
    for (size_t i = 0; i < p.size(); ++i) {
      const char c = p[i];
      const char* esc = c == '\\'   ? "\\\\"
                        : c == '\t' ? "\\t"
                        : c == '\n' ? "\\n"
                        : c == '\r' ? "\\r"
                                    : nullptr;
      if (!esc) continue;
      out.append(p.substr(start, i - start));
      out += esc;
      start = i + 1;
    }
    out.append(p.substr(start));
  });
}

std::string text_array(const std::vector<std::string_view>& values) {
  std::string out = "{";
  for (size_t k = 0; k < values.size(); ++k) {
    if (k) out += ',';
    out += '"';
    for_storable(values[k], [&](std::string_view p) {
      for (char c : p) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
    });
    out += '"';
  }
  out += '}';
  return out;
}

namespace {
constexpr char kHex[] = "0123456789abcdef";
void append_hex(std::string& out, std::string_view bytes) {
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
}
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string bytea_hex(std::string_view bytes) {
  std::string out = "\\x";
  out.reserve(2 + bytes.size() * 2);
  append_hex(out, bytes);
  return out;
}

void append_copy_bytea(std::string& out, std::string_view bytes) {
  out += "\\\\x";  // COPY's text format unescapes "\\\\" to the "\\" of "\\x"
  append_hex(out, bytes);
}

std::string bytea_from_hex(std::string_view text) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) {
    throw std::runtime_error("bytea value not in hex form");
  }
  std::string out;
  out.reserve(text.size() / 2 - 1);
  for (size_t i = 2; i < text.size(); i += 2) {
    const int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) throw std::runtime_error("bytea value not in hex form");
    out += static_cast<char>(hi << 4 | lo);
  }
  return out;
}

}  // namespace fedtriage::pg
