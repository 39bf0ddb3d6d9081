// Correlation engine: groups events into calls by Call-ID and ties to each call what belongs
// to it without carrying its Call-ID, saying why for every such link.
#pragma once

#include <cstdint>
#include <vector>

#include "lib/core/event.h"
#include "lib/correlate/call.h"

namespace fedtriage {

struct CorrelationOptions {
  // A TLS/TCP failure of the same Expressway towards the same peer IP is tied to a call when
  // it happened at most this long before the call's failure (and at most 1 s after it).
  int64_t transport_failure_window_ms = 30000;
  // A DNS query for the call's target domain is tied when at most this long before the call's
  // first request left that Expressway.
  int64_t dns_window_ms = 10000;
};

// `events` must be in time order (stable); calls come back ordered by first time stamp.
// Indices in the calls refer to `events`.
std::vector<Call> correlate(const std::vector<Event>& events,
                            const CorrelationOptions& options = {});

// "10.48.36.6:5061" -> "10.48.36.6"; "[2001:db8::1]:5061" -> "2001:db8::1"; a bare host stays.
std::string address_host(std::string_view address);

}  // namespace fedtriage
