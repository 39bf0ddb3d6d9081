// Findings per conversation: a root cause found on one leg, said once for the conversation,
// naming the legs it explains and their final statuses. Added beside the per-call findings,
// which stay as they are.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "lib/correlate/conversation.h"

namespace fedtriage {

// The finding of one leg that the conversation finding stands on.
struct LegFinding {
  std::string call_id;
  std::string rule_id;
  std::string title;
};

struct ConversationFinding {
  std::string conversation_id;
  std::string root_call_id;  // the leg whose finding explains the others
  std::string rule_id;
  std::string title;
  std::vector<std::pair<std::string, int>> explains;  // the other failed legs, final status
  std::string text;  // "the caller got 503 because the leg to skype.lab got 504 ..."
};

// For each conversation of two or more legs with a finding on some leg: the most downstream
// leg with a finding (the last to start: a B2BUA starts its outgoing leg after the incoming
// one, and the failure travels back up) explains the failed legs before it.
// `legs` are in call order; `findings` holds the first (most severe) finding of each call.
std::vector<ConversationFinding> conversation_findings(const ConversationSet& conversations,
                                                       const std::vector<CallKeys>& legs,
                                                       const std::vector<LegFinding>& findings);

}  // namespace fedtriage
