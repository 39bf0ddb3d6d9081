// Shared pieces of the JSON writers. Includes nlohmann/json: only for lib/output/*.cpp.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
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

}  // namespace fedtriage
