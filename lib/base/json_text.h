// JSON text written by hand where building a tree per value would cost too much (event JSON
// Lines, the store's JSON columns). Every JSON writer of the project escapes strings alike:
// control characters, DEL and C1 controls (U+0080..U+009F, e.g. U+009B CSI) as \u00XX, so that
// JSON printed on a terminal cannot carry escape sequences; invalid UTF-8 becomes U+FFFD.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fedtriage {

// Appends `s` as a JSON string (quotes included), byte for byte as dump_json() prints a
// string value or key inside a tree.
void append_json_string(std::string& out, std::string_view s);

// Appends an integer as nlohmann prints it.
void append_json_int(std::string& out, int64_t v);
void append_json_uint(std::string& out, uint64_t v);

}  // namespace fedtriage
