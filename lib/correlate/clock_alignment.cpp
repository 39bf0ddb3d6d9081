#include "lib/correlate/clock_alignment.h"
#include "lib/core/product.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <unordered_map>

namespace fedtriage {
namespace {

constexpr int64_t kQuarterHourMs = 15 * 60 * 1000;

// Rounds to the nearest multiple of 15 minutes (zone offsets are), halves away from zero.
int64_t round_to_quarter_hour(int64_t ms) {
  const int64_t q = (std::llabs(ms) + kQuarterHourMs / 2) / kQuarterHourMs;
  return (ms < 0 ? -q : q) * kQuarterHourMs;
}

struct Pair {
  size_t client = 0;
  size_t server = 0;
  int64_t diff_ms = 0;  // client local - server UTC
};

}  // namespace

ClockAlignmentResult align_client_clocks(SketchSet& sketches,
                                         const std::function<Event(size_t)>& event) {
  std::vector<EventSketch>& ev = sketches.events;
  // Earliest server sighting of each message an unaligned client saw (client logs are small;
  // server logs are not: only their sightings of client messages are kept).
  std::unordered_map<uint64_t, size_t> server;
  constexpr size_t kNone = SIZE_MAX;
  for (const EventSketch& e : ev) {
    if (e.basis == TimeBasis::LocalUnaligned && e.message_key) server.emplace(e.message_key, kNone);
  }
  for (size_t i = 0; i < ev.size() && !server.empty(); ++i) {
    const EventSketch& e = ev[i];
    if (e.basis != TimeBasis::Utc || local_clock(e.source) || !e.message_key) continue;
    auto it = server.find(e.message_key);
    if (it == server.end()) continue;
    if (it->second == kNone || e.ts_ms < ev[it->second].ts_ms) it->second = i;
  }

  // Client files in first-seen order, with their pairs.
  std::map<uint32_t, std::vector<Pair>> pairs;
  std::vector<uint32_t> files;
  for (size_t i = 0; i < ev.size(); ++i) {
    const EventSketch& e = ev[i];
    if (e.basis != TimeBasis::LocalUnaligned) continue;
    auto [it, inserted] = pairs.try_emplace(e.file);
    if (inserted) files.push_back(e.file);
    if (!e.message_key) continue;
    auto s = server.find(e.message_key);
    if (s == server.end() || s->second == kNone) continue;
    it->second.push_back({i, s->second, e.ts_ms - ev[s->second].ts_ms});
  }

  ClockAlignmentResult result;
  for (uint32_t file : files) {
    std::vector<Pair>& ps = pairs[file];
    if (ps.empty()) {
      result.unaligned.push_back(sketches.files[file]);
      continue;
    }
    std::vector<int64_t> diffs;
    diffs.reserve(ps.size());
    for (const Pair& p : ps) diffs.push_back(p.diff_ms);
    std::sort(diffs.begin(), diffs.end());
    const size_t n = diffs.size();
    const int64_t median = n % 2 ? diffs[n / 2] : (diffs[n / 2 - 1] + diffs[n / 2]) / 2;
    const int64_t offset_ms = round_to_quarter_hour(median);

    const Pair* best = &ps.front();
    for (const Pair& p : ps) {
      if (std::llabs(p.diff_ms - offset_ms) < std::llabs(best->diff_ms - offset_ms)) best = &p;
    }
    ClientClockOffset out;
    out.file = sketches.files[file];
    out.offset_minutes = static_cast<int>(offset_ms / 60000);
    out.pairs = ps.size();
    const Event c = event(best->client);
    const Event s = event(best->server);
    sip_message_key(c, &out.evidence.start_line);
    out.evidence.call_id = c.call_id;
    out.evidence.cseq = c.cseq;
    out.evidence.client = c.origin;
    out.evidence.client_ms = ev[best->client].ts_ms;
    out.evidence.server = s.origin;
    out.evidence.server_source = s.source;
    out.evidence.server_ms = ev[best->server].ts_ms;
    if (std::llabs(offset_ms) > int64_t{kMaxPlausibleOffsetMinutes} * 60000) {
      result.rejected.push_back(std::move(out));
      continue;
    }

    for (EventSketch& e : ev) {
      if (e.file == file) apply_inferred_offset(offset_ms, e.ts_ms, e.basis);
    }
    result.aligned.push_back(std::move(out));
  }
  return result;
}

ClockAlignmentResult align_client_clocks(std::vector<Event>& events) {
  SketchSet sketches;
  sketches.events.reserve(events.size());
  for (const Event& e : events) sketches.add(e);
  ClockAlignmentResult result =
      align_client_clocks(sketches, [&](size_t i) -> Event { return events[i]; });
  for (size_t i = 0; i < events.size(); ++i) {
    events[i].ts_ms = sketches.events[i].ts_ms;
    events[i].basis = sketches.events[i].basis;
  }
  return result;
}

}  // namespace fedtriage
