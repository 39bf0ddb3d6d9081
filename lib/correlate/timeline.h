// One UTC timeline for a read: client (UccApiLog) clocks aligned on server sightings of the same
// messages, then every sketch stable-ordered by time. Correlation's first step; ingest only
// reads and parses (lib/analysis runs read then timeline).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "lib/core/event.h"
#include "lib/correlate/event_sketch.h"

namespace fedtriage {

// Aligns client clocks unless `client_offset_given` (the user set it; the parser applied it),
// then sorts `sketches` by time, stable in read order. Returns one note per client file: the
// inferred offset and the message it came from, or why none could be inferred. `event(i)` gives
// the full event of sketch i (read for the evidence only). `shifts` (when given) receives, per
// client file whose clock was aligned, the milliseconds subtracted from its LocalUnaligned
// times (which became LocalInferred).
std::vector<std::string> put_on_timeline(SketchSet& sketches, bool client_offset_given,
                                         const std::function<Event(size_t)>& event,
                                         std::map<std::string, int64_t>* shifts = nullptr);

}  // namespace fedtriage
