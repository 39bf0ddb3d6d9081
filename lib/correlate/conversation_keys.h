// The link keys one call carries: read from its SIP messages (Session-ID, X-TAATag, Via
// proxy-call-id, Ms-Conversation-ID, X-CID, X-Call-ID, headers the rule set names), from the
// Expressway's Local-/Remote-SessionID summaries and from the Event= lines tied to it.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/core/event.h"
#include "lib/correlate/call.h"
#include "lib/correlate/conversation.h"

namespace fedtriage {

// `event(i)` gives the event of index i of `call` (its own and its linked events).
// `extra_headers`: more header names whose values are keys (case-insensitive).
CallKeys call_link_keys(const Call& call, const std::function<const Event&(size_t)>& event,
                        const std::vector<std::string>& extra_headers = {});

// An RFC 7989 UUID normalized: lower case, hyphens dropped. "" when it is not hex, shorter than
// 16 or longer than 64 digits, or all zeros ("not known yet": never a key).
std::string session_uuid(std::string_view text);

}  // namespace fedtriage
