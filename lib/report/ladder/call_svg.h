// `fedtriage show --format svg`: one stored call as a self-contained SVG picture to attach to a
// ticket: the call's header, its ladder (one lifeline per host, arrows with their labels and
// ms-diagnostics, notes on the host that logged them, the failing answer in red) and the
// findings (root cause, fix) below. No script, no external resource; log text is made
// terminal-safe and XML-escaped, so a hostile display name cannot act in a viewer.
#pragma once

#include <string>

#include "lib/report/ladder/ladder.h"
#include "lib/store/store_records.h"

namespace fedtriage {

std::string call_to_svg(const StoredCall& call, const Ladder& ladder);

}  // namespace fedtriage
