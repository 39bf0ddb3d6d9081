// Shared pieces of the JSON writers. Includes nlohmann/json: only for lib/output/*.cpp.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "lib/core/event.h"
#include "lib/sip/ms_diagnostic.h"

namespace fedtriage {

// [{"code":1009,"reason":"...","public":false,"params":{"domain":"..."}}]
nlohmann::ordered_json ms_diagnostics_to_json(const std::vector<MsDiagnostic>& diags);

// Ordered pairs as an object; a repeated key keeps its first value.
nlohmann::ordered_json fields_to_json(const Fields& fields);

// Compact dump that never throws: invalid UTF-8 becomes U+FFFD.
std::string dump_json(const nlohmann::ordered_json& j, int indent = -1);

// Appends `s` as a JSON string (quotes included), byte for byte as dump_json prints a string
// value or key inside a tree: control characters, DEL and C1 controls escaped, invalid UTF-8
// replaced with U+FFFD by nlohmann's rules.
void append_json_string(std::string& out, std::string_view s);

// Appends an integer as nlohmann prints it.
void append_json_int(std::string& out, int64_t v);
void append_json_uint(std::string& out, uint64_t v);

}  // namespace fedtriage
