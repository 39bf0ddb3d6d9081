// Client (UccApiLog) clocks are local with no zone. When a client saw a SIP message that a
// server log (Edge or Expressway, UTC) also saw, the difference gives the client's offset.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "lib/core/event.h"
#include "lib/correlate/event_sketch.h"

namespace fedtriage {

// One message seen by both sides: the pair the offset was read from.
struct ClockEvidence {
  std::string call_id;
  std::string cseq;
  std::string start_line;  // "INVITE sip:a@b" or "504"
  Origin client;
  int64_t client_ms = 0;  // local time, as logged (before shifting)
  Origin server;
  Source server_source = Source::Edge;
  int64_t server_ms = 0;  // UTC
};

struct ClientClockOffset {
  std::string file;        // origin.file of the client log
  int offset_minutes = 0;  // minutes east of UTC (local = UTC + offset), a multiple of 15
  size_t pairs = 0;        // messages seen by both sides
  ClockEvidence evidence;  // the pair closest to the chosen offset
};

// Zone offsets run from UTC-12:00 to UTC+14:00: an inferred offset beyond ±14 h is not a
// zone but a wrong clock or a wrong pairing, and is not applied.
constexpr int kMaxPlausibleOffsetMinutes = 14 * 60;

struct ClockAlignmentResult {
  std::vector<ClientClockOffset> aligned;
  std::vector<std::string> unaligned;  // client files with LocalUnaligned events and no pair
  // Offsets inferred beyond ±kMaxPlausibleOffsetMinutes: their files stay LocalUnaligned.
  std::vector<ClientClockOffset> rejected;
};

// For every client file with LocalUnaligned events: pairs each of its SIP messages with the
// earliest server (basis Utc) sighting of the same message (Call-ID, CSeq, and status code
// or method + request-URI), takes the median difference, rounds it to 15 minutes, shifts
// that file's LocalUnaligned sketches to UTC and marks them LocalInferred (unless the offset is
// implausible: then `rejected`, and the file is left as it was). Run after all
// parsing, before ordering by time; sketch order is kept. `event(i)` gives the full event of
// sketch i (read for the evidence only).
ClockAlignmentResult align_client_clocks(SketchSet& sketches,
                                         const std::function<Event(size_t)>& event);

// The same on events in memory (shifted in place).
ClockAlignmentResult align_client_clocks(std::vector<Event>& events);

// What an inferred offset of `offset_ms` does to a time still on a client's own clock: the one
// rule for sketches here and for events loaded back later (SpooledRead::load).
inline void apply_inferred_offset(int64_t offset_ms, int64_t& ts_ms, TimeBasis& basis) {
  if (basis != TimeBasis::LocalUnaligned) return;
  ts_ms -= offset_ms;
  basis = TimeBasis::LocalInferred;
}

}  // namespace fedtriage
