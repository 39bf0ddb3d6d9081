// `fedtriage show --conversation`: every leg of one conversation in one ladder, each arrow
// marked with its leg ("[2] INVITE"), the B2BUA hops named, the finding said once.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "lib/report/ladder/ladder.h"
#include "lib/report/ladder/ladder_text.h"
#include "lib/store/store_records.h"

namespace fedtriage {

// A host where one leg ends and another starts: it receives leg `leg_in`'s request, sends
// leg `leg_out`'s (which starts no earlier), and forwards no request of leg_in (a proxy would).
struct B2buaHop {
  size_t column = 0;  // into Ladder::columns
  size_t leg_in = 0;  // indices into the legs
  size_t leg_out = 0;
};

// The legs (in the conversation's order) as one call: every event once, time order; the
// summary is the first leg's.
StoredCall merge_legs(const std::vector<StoredCall>& legs);

// The ladder of `merged` (merge_legs) with each arrow labelled with its leg's number, and
// each leg's own final error response marked failing.
Ladder build_conversation_ladder(const std::vector<StoredCall>& legs, const StoredCall& merged);

std::vector<B2buaHop> b2bua_hops(const std::vector<StoredCall>& legs, const StoredCall& merged,
                                 const Ladder& ladder);

// The whole view for a terminal; every piece of log text through terminal_safe().
std::string conversation_to_text(const StoredConversation& conversation,
                                 const std::vector<StoredCall>& legs,
                                 const LadderTextOptions& options = {});

// `show --conversation --format json`: id, case, call_ids, links, b2bua_hops, finding (or null)
// and every leg as `show --format json` prints a call.
std::string conversation_to_json(const StoredConversation& conversation,
                                 const std::vector<StoredCall>& legs);

}  // namespace fedtriage
