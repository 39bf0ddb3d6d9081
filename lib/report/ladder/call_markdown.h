// `fedtriage show --format md`: one stored call as Markdown to paste into a ticket: the call's
// header, its ladder in a fenced code block and the findings (root cause, fix, evidence
// file:line) as a list. No escape sequences: log text passes through terminal_safe().
#pragma once

#include <string>
#include <vector>

#include "lib/report/ladder/ladder.h"
#include "lib/store/store_records.h"

namespace fedtriage {

std::string call_to_markdown(const StoredCall& call, const Ladder& ladder, int width = 80);

// `show --conversation --format md`: the legs and their final statuses as a list, then the
// whole conversation view (conversation_view.h) in a fenced code block.
std::string conversation_to_markdown(const StoredConversation& conversation,
                                     const std::vector<StoredCall>& legs, int width = 80);

}  // namespace fedtriage
