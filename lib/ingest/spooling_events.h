// Where a file's events go while it is read: each event is encoded into the spool (lib/spool)
// and only its sketch stays in memory. Two sinks: SpoolingEvents, the file's own, in file order;
// and SpooledPiece, one per piece of a split file (lib/ingest/split_parse.h), which does the
// same work on the piece's own thread and hands the sketches on in file order.
#pragma once

#include <cstdint>
#include <deque>
#include <unordered_set>
#include <utility>
#include <vector>

#include "lib/core/event.h"
#include "lib/core/input_record.h"
#include "lib/correlate/event_sketch.h"
#include "lib/ingest/sketch_chunks.h"
#include "lib/ingest/split_parse.h"
#include "lib/spool/event_spool.h"

namespace fedtriage {

// Spools each event of a file and keeps its sketch; counts the file's events and numbers the
// events of one line and kind (origin.seq: 0, 1, ... for consecutive events of a line).
class SpoolingEvents : public EventSink {
 public:
  SpoolingEvents(InputRecord& record, SketchSet& strings, SketchChunks& sketches,
                 EventSpool::Writer& spool)
      : record_(record), strings_(strings), sketches_(sketches), spool_(spool) {}
  void on_event(Event&& e) override;
  // An event a piece spooled already, as if on_event() had been given it: `s` is its sketch in
  // the piece's set (`remap` makes it this file's), `line` its whole line number and `seq` the
  // number the piece gave it.
  void on_spooled(const EventSketch& s, const SketchSet::Remap& remap, uint64_t line, uint32_t seq);
  // Ids of a piece's strings and files in this file's set, for on_spooled().
  SketchSet::Remap remap_from(const SketchSet& piece) { return strings_.remap_from(piece); }

 private:
  InputRecord& record_;
  SketchSet& strings_;
  SketchChunks& sketches_;
  EventSpool::Writer& spool_;
  uint64_t last_line_ = 0;
  EventKind last_kind_ = EventKind::Sip;
  uint32_t seq_ = 0;
};

// A piece's events, spooled on the thread that parses the piece (its own spool writer) and
// sketched into a string table of its own. An event goes through the file's sink whole, in file
// order, only when the piece cannot know how that sink or the format's stitcher will treat it:
// the stitcher's markers; the piece's first event, whose number (origin.seq) follows the last
// event of the piece before; an event on a line a marker named (the stitcher may change it); an
// event after a marker, when the events the stitcher may put out there could change its number;
// an event of the line and kind of the held event before it.
class SpooledPiece : public PieceEvents {
 public:
  SpooledPiece(SpoolingEvents& file, EventSpool::Writer& spool, bool (*stitch_marker)(const Event&))
      : file_(file), spool_(spool), stitch_marker_(stitch_marker) {}
  void on_event(Event&& e) override;
  void hand_on(EventSink& in_order) override;

 private:
  struct Spooled {
    EventSketch sketch;
    uint64_t line;
    uint32_t seq;
  };
  SpoolingEvents& file_;
  EventSpool::Writer& spool_;
  bool (*stitch_marker_)(const Event&);
  SketchSet strings_;
  std::vector<Spooled> spooled_;
  // Events held whole, each with how many spooled events come before it (a deque: an event is
  // never moved again once held).
  std::deque<std::pair<size_t, Event>> held_;
  uint64_t events_ = 0;     // not counting markers
  uint64_t last_line_ = 0;  // of the last event that was no marker
  EventKind last_kind_ = EventKind::Sip;
  uint32_t last_seq_ = 0;
  bool last_held_ = false;
  bool marker_since_last_ = false;             // a marker came after the last event
  uint64_t marker_line_since_last_ = 0;        // the highest line such markers named
  std::unordered_set<uint64_t> marker_lines_;  // lines markers named
};

}  // namespace fedtriage
