#include "lib/correlate/timeline.h"

#include <algorithm>
#include <cstdio>

#include "lib/correlate/clock_alignment.h"

namespace fedtriage {
namespace {

// "+01:00", "-16:30"
std::string offset_text(const ClientClockOffset& o) {
  const int a = o.offset_minutes < 0 ? -o.offset_minutes : o.offset_minutes;
  char offset[24];
  std::snprintf(offset, sizeof offset, "%c%02d:%02d", o.offset_minutes < 0 ? '-' : '+', a / 60,
                a % 60);
  return offset;
}

}  // namespace

std::vector<std::string> put_on_timeline(SketchSet& sketches, bool client_offset_given,
                                         const std::function<Event(size_t)>& event,
                                         std::map<std::string, int64_t>* shifts) {
  // Client clocks are local: align them against server sightings of the same messages before
  // anything is ordered by time.
  std::vector<std::string> notes;
  if (!client_offset_given) {
    const ClockAlignmentResult aligned = align_client_clocks(sketches, event);
    for (const ClientClockOffset& o : aligned.aligned) {
      if (shifts) (*shifts)[o.file] = int64_t{o.offset_minutes} * 60000;
      notes.push_back(o.file + ": client clock inferred as UTC" + offset_text(o) + " from " +
                      std::to_string(o.pairs) + " message(s) also seen by a server log (e.g. " +
                      o.evidence.start_line + " of " + o.evidence.call_id + " at " +
                      o.evidence.server.file + ":" + std::to_string(o.evidence.server.line) + ")");
    }
    for (const ClientClockOffset& o : aligned.rejected) {
      notes.push_back(
          o.file + ": client clock offset UTC" + offset_text(o) + " inferred against " +
          o.evidence.server.file +
          " is implausible (more than 14 hours from UTC), not applied; times are local, marked "
          "unaligned. Use --client-utc-offset to set it");
    }
    for (const std::string& f : aligned.unaligned) {
      notes.push_back(f +
                      ": client clock offset unknown (no message also seen by "
                      "a server log); times are local, marked unaligned. Use "
                      "--client-utc-offset to set it");
    }
  }
  // Stable by time: `order` is the read position.
  std::sort(sketches.events.begin(), sketches.events.end(),
            [](const EventSketch& a, const EventSketch& b) {
              return a.ts_ms != b.ts_ms ? a.ts_ms < b.ts_ms : a.order < b.order;
            });
  return notes;
}

}  // namespace fedtriage
