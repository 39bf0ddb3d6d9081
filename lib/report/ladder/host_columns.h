// Which host each end of a call's events is: merges the names and addresses that denote the
// same machine into one column and names it. Used by build_ladder().
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "lib/report/ladder/ladder.h"
#include "lib/sip/sip_message.h"
#include "lib/store/store_records.h"

namespace fedtriage {

struct HostColumns {
  static constexpr size_t kNone = static_cast<size_t>(-1);
  std::vector<LadderColumn> columns;  // in no particular order
  std::vector<size_t> self;           // per event: column of the logging host
  std::vector<size_t> peer;           // per event: column of `remote`, kNone when not named
};

// `sip[i]` is events[i]'s message parsed from its raw text (nullopt when not SIP);
// `transmissions` groups event indices that are one SIP transmission seen at several hops.
HostColumns resolve_hosts(const std::vector<StoredEvent>& events,
                          const std::vector<std::optional<SipMessage>>& sip,
                          const std::vector<std::vector<size_t>>& transmissions);

// What a Server / User-Agent value says about the product that sent it; Unknown when nothing.
HostRole role_from_agent(std::string_view agent);

}  // namespace fedtriage
