#include "lib/correlate/clock_alignment.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <unordered_map>

namespace fedtriage {
namespace {

constexpr int64_t kQuarterHourMs = 15 * 60 * 1000;

// Identifies one SIP message across hops; empty when the event cannot be matched.
std::string message_key(const Event& e, std::string* start_line) {
  if (e.kind != EventKind::Sip || !e.sip || e.call_id.empty()) return {};
  const SipMessage& m = *e.sip;
  *start_line = m.is_request ? m.method + " " + m.request_uri : std::to_string(m.status_code);
  return e.call_id + '\n' + e.cseq + '\n' + *start_line;
}

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

ClockAlignmentResult align_client_clocks(std::vector<Event>& events) {
  // Earliest server sighting of each message.
  std::unordered_map<std::string, size_t> server;
  std::string start;
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.basis != TimeBasis::Utc || e.source == Source::Client) continue;
    std::string key = message_key(e, &start);
    if (key.empty()) continue;
    auto [it, inserted] = server.try_emplace(std::move(key), i);
    if (!inserted && e.ts_ms < events[it->second].ts_ms) it->second = i;
  }

  // Client files in first-seen order, with their pairs.
  std::map<std::string, std::vector<Pair>> pairs;
  std::vector<std::string> files;
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.basis != TimeBasis::LocalUnaligned) continue;
    auto [it, inserted] = pairs.try_emplace(e.origin.file);
    if (inserted) files.push_back(e.origin.file);
    std::string key = message_key(e, &start);
    if (key.empty()) continue;
    auto s = server.find(key);
    if (s == server.end()) continue;
    it->second.push_back({i, s->second, e.ts_ms - events[s->second].ts_ms});
  }

  ClockAlignmentResult result;
  for (const std::string& file : files) {
    std::vector<Pair>& ps = pairs[file];
    if (ps.empty()) {
      result.unaligned.push_back(file);
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
    out.file = file;
    out.offset_minutes = static_cast<int>(offset_ms / 60000);
    out.pairs = ps.size();
    const Event& c = events[best->client];
    const Event& s = events[best->server];
    message_key(c, &out.evidence.start_line);
    out.evidence.call_id = c.call_id;
    out.evidence.cseq = c.cseq;
    out.evidence.client = c.origin;
    out.evidence.client_ms = c.ts_ms;
    out.evidence.server = s.origin;
    out.evidence.server_source = s.source;
    out.evidence.server_ms = s.ts_ms;

    for (Event& e : events) {
      if (e.basis == TimeBasis::LocalUnaligned && e.origin.file == file) {
        e.ts_ms -= offset_ms;
        e.basis = TimeBasis::LocalInferred;
      }
    }
    result.aligned.push_back(std::move(out));
  }
  return result;
}

}  // namespace fedtriage
