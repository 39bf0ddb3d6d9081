// `fedtriage calls`: the stored calls chosen by a filter, newest first, as text, JSON or CSV.
// The filter runs on the store's call listing, so it means the same on every back end.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lib/store/store_records.h"

namespace fedtriage {

enum class CallOutcome { Any, Failed, Ok, Normal };

struct CallFilter {
  // Failed: a final status >= 300 or a finding (as the reports count); Ok: neither.
  CallOutcome outcome = CallOutcome::Any;
  std::string domain;  // "" or a case-insensitive part of the From, To or request-URI host
  int status = -1;     // -1 any; 0 no final response seen; else that final status
  std::optional<int64_t> since_ms;  // first message at or after
  std::optional<int64_t> until_ms;  // first message before
  std::string grep;    // "" or a case-insensitive part of Call-ID, URIs or display name
  uint64_t limit = 0;  // 0 = all
};

// "2017-03-02", "2017-03-02T07:10", "2017-03-02 07:10:46", "2017-03-02T07:10:46.240Z" (UTC)
// as a bound: with `end_of` a date or time without seconds/millis names the first instant
// after it (for --until: the whole day or minute is included). nullopt when malformed.
std::optional<int64_t> parse_time_bound(const std::string& text, bool end_of);

// The calls `filter` keeps, newest first (then by Call-ID and case), at most filter.limit.
std::vector<CallSummary> select_calls(std::vector<CallSummary> calls, const CallFilter& filter);

// One line per call: time (UTC, with year), case, Call-ID, method, from → to, final status,
// rules; log text made terminal-safe. A header line first; "No calls." when empty.
std::string calls_to_text(const std::vector<CallSummary>& calls);
// [{"time":..., "case":..., "call_id":..., ...}]
std::string calls_to_json(const std::vector<CallSummary>& calls);
// time,case,call_id,method,from,to,final_status,final_reason,outcome,rules,conversation
std::string calls_to_csv(const std::vector<CallSummary>& calls);

}  // namespace fedtriage
