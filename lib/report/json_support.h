// Shared pieces of the JSON writers. Includes nlohmann/json: only for lib/report/*.cpp.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "lib/base/json_dump.h"
#include "lib/base/json_text.h"
#include "lib/core/call_headline.h"
#include "lib/core/event.h"
#include "lib/sip/ms_diagnostic.h"

namespace fedtriage {

// [{"code":1009,"reason":"...","public":false,"params":{"domain":"..."}}]
nlohmann::ordered_json ms_diagnostics_to_json(const std::vector<MsDiagnostic>& diags);

// Ordered pairs as an object; a repeated key keeps its first value.
nlohmann::ordered_json fields_to_json(const Fields& fields);

// Appends a call's request and how it ended, the same keys in every JSON view of a call:
// method, from, from_display, to, request_uri, final_status, final_reason.
void add_call_ends_json(nlohmann::ordered_json& object, const CallHeadline& call);

}  // namespace fedtriage
