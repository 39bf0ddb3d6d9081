// `fedtriage show`: one call for a terminal. Header, the SIP ladder drawn in text columns,
// every message with the lines that logged it, the non-SIP timeline, and the findings.
#pragma once

#include <string>

#include "lib/report/ladder/ladder.h"
#include "lib/store/store_records.h"

namespace fedtriage {

struct LadderTextOptions {
  bool color = false;  // ANSI colours (the caller decides: terminal, NO_COLOR, --no-color)
  int width = 80;      // the ladder fits this many columns
};

// Every piece of log text is passed through terminal_safe().
std::string call_to_text(const StoredCall& call, const Ladder& ladder,
                         const LadderTextOptions& options = {});

// The ladder alone (column heads, arrows, notes); when the hosts do not fit in
// `options.width`, a hint naming the width that does and the arrows as a list.
std::string ladder_to_text(const Ladder& ladder, const LadderTextOptions& options = {});

// Smallest --width that draws a ladder of `columns` hosts.
int ladder_width_needed(size_t columns);

}  // namespace fedtriage
