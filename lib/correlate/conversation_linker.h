// Ties calls into conversations: union-find over the calls, joined by the keys they share.
// Pure: takes what call_link_keys() gathered, knows nothing of logs or storage.
#pragma once

#include <cstddef>
#include <vector>

#include "lib/correlate/conversation.h"

namespace fedtriage {

struct LinkerOptions {
  // A key value carried by more calls than this is refused (a constant header, a broken UA
  // that never renews its UUID) and reported as a note: no real conversation crosses that many
  // B2BUA legs, and one such key would glue unrelated calls into one.
  size_t max_calls_per_key = 16;
};

// Presence, registration and keep-alive dialogs (REGISTER, SUBSCRIBE, NOTIFY, OPTIONS,
// PUBLISH) carry long-lived identifiers: they never tie calls and stay conversations of one.
bool links_conversations(const std::string& method);

// Every call is in exactly one conversation (a call tied to nothing is a conversation of one).
ConversationSet link_conversations(const std::vector<CallKeys>& calls,
                                   const LinkerOptions& options = {});

// "cv-" and 16 hex digits of a hash of the conversation's smallest link key ("kind=value"),
// or of its smallest Call-ID when nothing ties it: stable across runs and input order.
std::string conversation_id(const Conversation& conversation);

}  // namespace fedtriage
