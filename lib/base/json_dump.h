// dump_json: a JSON tree as text, escaped as lib/base/json_text.h says. Includes
// nlohmann/json: include it from .cpp files only.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace fedtriage {

// Dump that never throws: invalid UTF-8 becomes U+FFFD; DEL and C1 controls are escaped.
std::string dump_json(const nlohmann::ordered_json& j, int indent = -1);

}  // namespace fedtriage
