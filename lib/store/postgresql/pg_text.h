// Text as PostgreSQL takes it. A PostgreSQL text value is valid UTF-8 (the database encoding
// fedtriage expects) and holds no NUL byte, where SQLite keeps any bytes: log text that is not
// valid UTF-8 is stored with U+FFFD for each bad sequence, and NUL as U+FFFD. Valid text is
// stored byte for byte, so both back ends hold the same values for it. Private to
// lib/store/postgresql.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fedtriage::pg {

// True when `s` can go in as it is (valid UTF-8 without NUL).
bool storable(std::string_view s);

// `s` made storable (a copy only when needed is the caller's business: check storable first).
std::string storable_copy(std::string_view s);

// Appends `s` as one field of COPY's text format: storable, with backslash, tab, newline and
// carriage return escaped.
void append_copy_field(std::string& out, std::string_view s);

// Appends SQL NULL in COPY's text format.
inline void append_copy_null(std::string& out) {
  out += "\\N";
}

// bytea in PostgreSQL's hex text form ("\\x0a1b..."), as a parameter or (doubling the
// backslash) a COPY field; and back from a result's text form.
std::string bytea_hex(std::string_view bytes);
void append_copy_bytea(std::string& out, std::string_view bytes);
std::string bytea_from_hex(
    std::string_view text);  // throws std::runtime_error on anything but "\\x..."

// An array literal for a text[] parameter: {"a","b\"c"}; elements made storable.
std::string text_array(const std::vector<std::string_view>& values);

}  // namespace fedtriage::pg
