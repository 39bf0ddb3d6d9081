// `fedtriage show --format json`: one stored call (summary, events in time order, findings
// with their evidence) as one JSON object. Escaped as lib/base/json_text.h says.
#pragma once

#include <string>

#include "lib/store/store_records.h"

namespace fedtriage {

std::string call_to_json(const StoredCall& call);

}  // namespace fedtriage
