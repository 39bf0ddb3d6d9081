// Correlation engine: groups events into calls by Call-ID and ties to each call what belongs
// to it without carrying its Call-ID, saying why for every such link.
//
// It works in two steps so that large inputs need not be held in memory: plan_calls() decides
// from compact sketches which events make up each call; assemble_call() then builds one call
// from its full events (loaded back from a spool, or taken from memory).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "lib/core/event.h"
#include "lib/correlate/call.h"
#include "lib/correlate/event_sketch.h"

namespace fedtriage {

struct CorrelationOptions {
  // An outbound TLS/TCP failure of an Expressway is tied to a call that Expressway answered
  // itself (503/408/480/504) when it happened at most this long before that answer (and at
  // most 1 s after it), after the call's request arrived, and the Expressway had resolved the
  // call's domain to the failing address, connected to it, or sent the call's request there.
  int64_t transport_failure_window_ms = 30000;
  // A DNS query for the call's target domain is tied when at most this long before the call's
  // first request left that Expressway.
  int64_t dns_window_ms = 10000;
};

// Which events make up one call. Indices refer to SketchSet::events.
struct CallPlan {
  std::string call_id;
  std::vector<uint32_t> events;  // the events carrying the Call-ID, time order
  std::vector<CallLink> links;   // events tied without the Call-ID
};

// `sketches.events` must be in time order (stable). Plans come back ordered by first time
// stamp.
std::vector<CallPlan> plan_calls(const SketchSet& sketches, const CorrelationOptions& options = {});
// The same, handing the plans to `each` in that order one at a time: only one plan's links are
// written out in words at a time (a large read spools them, lib/analysis/plan_spool.h).
void plan_calls(const SketchSet& sketches, const CorrelationOptions& options,
                const std::function<void(CallPlan&&)>& each);

// The call of `plan`: `event(i)` gives the full event of sketch i (with the sketch's time).
// Indices in the call are those of the plan.
Call assemble_call(const CallPlan& plan, const SketchSet& sketches,
                   const std::function<const Event&(size_t)>& event);
// The same where the sketches are gone: `ts_ms(i)` gives the time of sketch i.
Call assemble_call(const CallPlan& plan, const std::function<int64_t(size_t)>& ts_ms,
                   const std::function<const Event&(size_t)>& event);

// Both steps on events in memory. `events` must be in time order (stable); calls come back
// ordered by first time stamp, their indices referring to `events`.
std::vector<Call> correlate(const std::vector<Event>& events,
                            const CorrelationOptions& options = {});

// "10.48.36.6:5061" -> "10.48.36.6"; "[2001:db8::1]:5061" -> "2001:db8::1"; a bare host stays.
std::string address_host(std::string_view address);

}  // namespace fedtriage
