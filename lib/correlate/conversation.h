// Conversations: the calls (Call-IDs) that are legs of one end-to-end call, tied across the
// back-to-back user agents (CUCM, CMS, the Expressway's Microsoft interworking) that start a
// new Call-ID. Only identifiers carried by the messages tie legs, never closeness in time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace fedtriage {

// One identifier a call carries that another leg of the same conversation may carry too.
struct LinkKey {
  std::string kind;   // "session-id", "x-taatag", "call-serial-number", "ms-conversation-id",
                      // "x-cid", "x-call-id", or a header named in the rule set (lower case)
  std::string value;  // normalized (UUIDs lower case, without hyphens)

  bool operator==(const LinkKey&) const = default;
  bool operator<(const LinkKey& o) const {
    return kind != o.kind ? kind < o.kind : value < o.value;
  }
};

// What the linker and the conversation summary need of one call.
struct CallKeys {
  std::string call_id;
  std::string method;  // of the call's naming request ("" when only diagnostics saw it)
  int64_t first_ms = 0;
  int final_status = 0;
  std::string final_reason;
  std::string request_uri;
  int ms_diagnostic = 0;      // first ms-diagnostics code of the call's failing responses, or 0
  std::vector<LinkKey> keys;  // sorted, unique
};

// Two calls tied by a key both carry.
struct ConversationLink {
  std::string call_a, call_b;  // call_a first seen
  LinkKey key;
};

struct Conversation {
  std::string id;                     // stable: derived from its keys (see conversation_id)
  std::vector<std::string> call_ids;  // first-seen order
  std::vector<ConversationLink> links;
};

struct ConversationSet {
  std::vector<Conversation> conversations;  // by first call
  std::vector<std::string> notes;           // keys refused (over-shared), in key order
  // (hash of a Call-ID, index in conversations), sorted: what of() searches (16 bytes a call,
  // where a map of the Call-IDs cost ~120).
  std::vector<std::pair<uint64_t, uint32_t>> by_call;

  // The conversation of a call, or nullptr when the call is unknown.
  const Conversation* of(const std::string& call_id) const;
  // Rebuilds by_call from the conversations (after they were built or changed).
  void index_calls();
};

}  // namespace fedtriage
