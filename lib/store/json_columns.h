// JSON text for the store's JSON columns (fields, ms_diagnostics, sources, ...), private to
// lib/store. Text is what SQLite's json_extract() and json_each() read.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lib/core/event.h"
#include "lib/sip/ms_diagnostic.h"

namespace fedtriage::store_json {

// An object in field order. A repeated key keeps its first value, as find_field() does.
// Invalid UTF-8 becomes U+FFFD: SQLite's JSON functions need valid JSON.
std::string from_fields(const Fields& fields);
Fields to_fields(std::string_view json);  // empty on malformed text

// [{"code":1009,"sub_code":-1,"public":false,"reason":"...","params":{...}}, ...]
std::string from_ms_diagnostics(const std::vector<MsDiagnostic>& diagnostics);
std::vector<MsDiagnostic> to_ms_diagnostics(std::string_view json);

std::string from_strings(const std::vector<std::string>& values);  // ["a","b"]
std::vector<std::string> to_strings(std::string_view json);

}  // namespace fedtriage::store_json
