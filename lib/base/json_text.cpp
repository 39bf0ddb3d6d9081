#include "lib/base/json_text.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>

#include "lib/base/json_dump.h"

namespace fedtriage {

using nlohmann::ordered_json;

std::string dump_json(const ordered_json& j, int indent) {
  std::string text =
      j.dump(indent, ' ', /*ensure_ascii=*/false, ordered_json::error_handler_t::replace);
  // JSON leaves DEL and the C1 controls (U+0080..U+009F, e.g. U+009B CSI) unescaped, and
  // JSON Lines end up on terminals: escape them too. Outside strings the text is ASCII, so
  // these bytes can only be string content.
  if (text.find('\x7f') == std::string::npos && text.find('\xc2') == std::string::npos) return text;
  std::string out;
  out.reserve(text.size() + 16);
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const unsigned char next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (c == 0x7f || (c == 0xc2 && next >= 0x80 && next <= 0x9f)) {
      const unsigned code = c == 0x7f ? 0x7f : next;
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[code >> 4];
      out += kHex[code & 0xf];
      if (c == 0xc2) ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

// 0: copied as is; 1: escaped ASCII; 2: first byte of a multi-byte sequence (or invalid).
constexpr std::array<uint8_t, 256> make_json_char_class() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 1;
  t['"'] = 1;
  t['\\'] = 1;
  t[0x7f] = 1;
  for (int c = 0x80; c < 0x100; ++c) t[c] = 2;
  return t;
}
constexpr std::array<uint8_t, 256> kJsonCharClass = make_json_char_class();

// True when one of the 8 bytes of `w` is not copied as is (class 1 or 2 above): a control
// character, '"', '\\', DEL or a byte of 0x80 and up. Exact: the "has a byte below n" test
// borrows across bytes only when a byte is below n, so it never reports a plain word.
bool word_needs_care(uint64_t w) {
  constexpr uint64_t k01 = 0x0101010101010101u, k80 = 0x8080808080808080u;
  const auto has_zero = [](uint64_t v) { return (v - k01) & ~v & k80; };
  const uint64_t below_space = (w - k01 * 0x20) & ~w & k80;
  return ((w & k80) | below_space | has_zero(w ^ (k01 * '"')) | has_zero(w ^ (k01 * '\\')) |
          has_zero(w ^ (k01 * 0x7f))) != 0;
}

void append_u00(std::string& out, unsigned code) {
  const char buf[6] = {'\\', 'u', '0', '0', kHexDigits[code >> 4], kHexDigits[code & 0xf]};
  out.append(buf, 6);
}

// Length of the well-formed UTF-8 sequence at s[i] (Unicode table 3-7, the sequences
// nlohmann's decoder accepts), or 0 when it is not one.
size_t utf8_sequence_length(std::string_view s, size_t i) {
  const auto at = [&](size_t k) -> unsigned {
    return k < s.size() ? static_cast<unsigned char>(s[k]) : 0u;
  };
  const auto cont = [](unsigned b) { return b >= 0x80 && b <= 0xbf; };
  const unsigned c = at(i);
  if (c >= 0xc2 && c <= 0xdf) return cont(at(i + 1)) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const unsigned lo = c == 0xe0 ? 0xa0 : 0x80;
    const unsigned hi = c == 0xed ? 0x9f : 0xbf;
    const unsigned b1 = at(i + 1);
    return b1 >= lo && b1 <= hi && cont(at(i + 2)) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const unsigned lo = c == 0xf0 ? 0x90 : 0x80;
    const unsigned hi = c == 0xf4 ? 0x8f : 0xbf;
    const unsigned b1 = at(i + 1);
    return b1 >= lo && b1 <= hi && cont(at(i + 2)) && cont(at(i + 3)) ? 4 : 0;
  }
  return 0;
}

// The slow, exact path: nlohmann's own escaping with U+FFFD replacement, then dump_json's
// DEL / C1 pass.
void append_json_string_nlohmann(std::string& out, std::string_view s) {
  out += dump_json(ordered_json(std::string(s)));
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  const size_t start = out.size();
  out += '"';
  const char* const p = s.data();
  const size_t n = s.size();
  size_t run = 0;  // start of the bytes not yet copied
  size_t i = 0;
  while (i < n) {
    // Eight plain bytes at a time: most of a string needs no escaping.
    for (uint64_t w; i + 8 <= n; i += 8) {
      std::memcpy(&w, p + i, 8);
      if (word_needs_care(w)) break;
    }
    if (i >= n) break;
    const unsigned char c = static_cast<unsigned char>(p[i]);
    const uint8_t cls = kJsonCharClass[c];
    if (cls == 0) {
      ++i;
      continue;
    }
    if (cls == 2) {
      const size_t len = utf8_sequence_length(s, i);
      if (len == 0) {
        // Invalid UTF-8: leave the replacement rules to nlohmann.
        out.resize(start);
        append_json_string_nlohmann(out, s);
        return;
      }
      if (c == 0xc2 && static_cast<unsigned char>(p[i + 1]) <= 0x9f) {
        out.append(p + run, i - run);
        append_u00(out, static_cast<unsigned char>(p[i + 1]));
        i += 2;
        run = i;
      } else {
        i += len;
      }
      continue;
    }
    out.append(p + run, i - run);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        append_u00(out, c);
        break;
    }
    ++i;
    run = i;
  }
  out.append(p + run, n - run);
  out += '"';
}

void append_json_int(std::string& out, int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void append_json_uint(std::string& out, uint64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

}  // namespace fedtriage
