#include "lib/ingest/spooling_events.h"

namespace fedtriage {

void SpoolingEvents::on_event(Event&& e) {
  ++record_.events;
  if (e.origin.line == last_line_ && e.kind == last_kind_ && record_.events > 1) {
    e.origin.seq = ++seq_;
  } else {
    seq_ = e.origin.seq = 0;
  }
  last_line_ = e.origin.line;
  last_kind_ = e.kind;
  const SpoolRef ref = spool_.append(e);
  EventSketch s = strings_.sketch(e);
  s.order = static_cast<uint32_t>(sketches_.size());
  s.spool_offset = ref.offset;
  s.spool_size = ref.size;
  sketches_.push_back(s);
}

void SpoolingEvents::on_spooled(const EventSketch& piece_sketch, const SketchSet::Remap& remap,
                                uint64_t line, uint32_t seq) {
  ++record_.events;
  last_line_ = line;
  last_kind_ = piece_sketch.kind;
  seq_ = seq;
  EventSketch s = SketchSet::remapped(piece_sketch, remap);
  s.order = static_cast<uint32_t>(sketches_.size());
  sketches_.push_back(s);
}

void SpooledPiece::on_event(Event&& e) {
  const uint64_t line = e.origin.line;
  if (stitch_marker_ != nullptr && stitch_marker_(e)) {
    // The stitcher's alone: it may put events out here, all of lines before this one, and
    // change the event of the line named.
    held_.emplace_back(spooled_.size(), std::move(e));
    marker_lines_.insert(line);
    if (!marker_since_last_ || line > marker_line_since_last_) marker_line_since_last_ = line;
    marker_since_last_ = true;
    return;
  }
  // The file's sink numbers an event after the one it got before (origin.seq): before the
  // piece's first event, and after a marker where the stitcher may have put events out, the
  // piece cannot know that one.
  const bool same_as_last = events_ > 0 && line == last_line_ && e.kind == last_kind_;
  const bool hold = events_ == 0 || (same_as_last && (last_held_ || marker_since_last_)) ||
                    (marker_since_last_ && line < marker_line_since_last_) ||
                    (!marker_lines_.empty() && marker_lines_.contains(line));
  last_line_ = line;
  last_kind_ = e.kind;
  last_held_ = hold;
  marker_since_last_ = false;
  ++events_;
  if (hold) {
    held_.emplace_back(spooled_.size(), std::move(e));
    return;
  }
  const uint32_t seq = same_as_last ? last_seq_ + 1 : 0;
  e.origin.seq = seq;
  const SpoolRef ref = spool_.append(e);
  EventSketch s = strings_.sketch(e);
  s.spool_offset = ref.offset;
  s.spool_size = ref.size;
  spooled_.push_back({s, line, seq});
  last_seq_ = seq;
}

void SpooledPiece::hand_on(EventSink& in_order) {
  const SketchSet::Remap remap = file_.remap_from(strings_);
  size_t next = 0;
  auto spooled_up_to = [&](size_t end) {
    for (; next < end; ++next) {
      const Spooled& s = spooled_[next];
      file_.on_spooled(s.sketch, remap, s.line, s.seq);
    }
  };
  for (auto& [before, e] : held_) {
    spooled_up_to(before);
    in_order.on_event(std::move(e));
  }
  spooled_up_to(spooled_.size());
}

}  // namespace fedtriage
