// LEB128 varints and zigzag for the binary temporary files (event spool, call archive). Inline:
// they sit on the per-event hot path of the spool.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>

namespace fedtriage {

constexpr uint64_t zigzag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
constexpr int64_t unzigzag(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

// Bytes write_varint() takes for `v` (1 to 10).
constexpr size_t varint_size(uint64_t v) {
  return 1 + (std::bit_width(v | 1) - 1) / 7;
}

// Writes `v` at `p` (room for varint_size(v) bytes); returns the end.
inline char* write_varint(char* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>(static_cast<uint8_t>(v) | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}

inline void append_varint(std::string& out, uint64_t v) {
  char buf[10];
  out.append(buf, static_cast<size_t>(write_varint(buf, v) - buf));
}

// Reads one canonical varint from [p, end): at most 10 bytes, no bits past 64, no trailing zero
// group, so every value has exactly one encoding. Advances `p`; false on damaged input.
inline bool read_varint(const char*& p, const char* end, uint64_t* out) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (p == end) return false;
    const auto b = static_cast<uint8_t>(*p++);
    if (shift == 63 && b > 1) return false;
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      if (b == 0 && shift != 0) return false;  // overlong
      *out = v;
      return true;
    }
  }
  return false;
}

}  // namespace fedtriage
