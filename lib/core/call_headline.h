// What every view of a call shows first, the same for a call in memory (Call, lib/correlate)
// and a call read back from the store (CallSummary, lib/store): who called whom, when, with
// which request, how it ended, and which products and hosts saw it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lib/core/event.h"

namespace fedtriage {

struct CallHeadline {
  std::string call_id;
  int64_t first_ms = 0;
  int64_t last_ms = 0;
  std::string from_uri;
  std::string from_display;
  std::string to_uri;
  std::string request_uri;  // of the first INVITE (or first request)
  std::string method;       // of that request
  int final_status = 0;     // final response to the first INVITE/request; 0 when none seen
  std::string final_reason;
  std::vector<Source> sources;     // which products saw it, sorted, unique
  std::vector<std::string> hosts;  // hosts it crossed (logging hosts and peers), first-seen order
};

}  // namespace fedtriage
