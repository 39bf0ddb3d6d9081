// The cold text of one batch of events (event_text.h), compressed ahead of its write
// (CaseWriter::pack_events): compressing, the costly part of writing events, can then run on
// another thread than the one that talks to the database.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace fedtriage::store_cold {

// Where an event's record is: its frame (event_texts.id) and place in the frame's text.
struct RecordPlace {
  int64_t text_id = 0;  // events.text_id
  int64_t at = 0;       // events.text_at: where its raw text starts
  int64_t raw_len = 0;  // events.raw_len
};

struct PackedEvents {
  struct Frame {
    std::string zstd;
    bool with_dictionary = false;  // compressed with the case's dictionary
  };
  std::vector<Frame> frames;
  // One per event, in order; text_id is the index of the event's frame in `frames` until the
  // frames are stored.
  std::vector<RecordPlace> places;
  // The case's dictionary, when a frame needs it: the writer stores it once, with the first
  // batch that needs it, whichever order batches are written in.
  std::shared_ptr<const std::string> dictionary;
};

}  // namespace fedtriage::store_cold
