// The cold text of events in the store (schema version 7): the columns that reports read but
// SQL users rarely filter on (raw text, summary, fields JSON, addresses, Request-URI)
// go, per write_events() batch (the events of one call), into one zstd frame of table
// event_texts, compressed with the case's dictionary (raw_text.h). Messages of one call share
// their random tokens (Call-ID, tags, branch), hence 2-3x less than one frame per event.
//
// A frame holds one record per event, back to back. A record is the raw text (events.raw_len
// bytes from events.text_at, so that a sqlite3 user cuts a message out with `zstd` and
// `tail`/`head`), then summary, fields JSON, local, remote and request_uri, each as a LEB128 length
// and its bytes. Both back ends use this file alone.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lib/core/event.h"
#include "lib/store/packed_events.h"
#include "lib/store/store_records.h"

namespace fedtriage::store_cold {

// What an event keeps in its record. The back end may make the strings storable first.
struct ColdText {
  std::string raw, summary, fields, local, remote, request_uri;
};

ColdText cold_text(const Event& e);

// Packs the records of batches of events (in order) into frames of about kFrameBytes of
// text at most (a batch is one call's events; write_analysis() writes all events at once, and
// a reader of one event decompresses its whole frame). One per write: it trains the case's
// dictionary on the first batches (raw_text.h). Safe to use from several threads, one batch
// at a time.
inline constexpr size_t kFrameBytes = 256 * 1024;
class BatchPacker {
 public:
  BatchPacker();
  ~BatchPacker();
  BatchPacker(const BatchPacker&) = delete;
  BatchPacker& operator=(const BatchPacker&) = delete;

  PackedEvents pack(const std::vector<ColdText>& texts);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Stores the frames of `packed` and returns its events' places with their frames' ids.
// `save_dictionary` stores the case's dictionary and returns its raw_dicts id; it is called
// once, by the first batch that needs it, and `dictionary_row` (0 until then) keeps the id.
// `store` keeps a frame compressed with dictionary `dict` (0: none) and returns its
// event_texts id.
using SaveDictionary = std::function<int64_t(const std::string& dictionary)>;
using StoreFrame = std::function<int64_t(const std::string& frame, int64_t dict)>;
std::vector<RecordPlace> store_packed(const PackedEvents& packed, int64_t& dictionary_row,
                                      const SaveDictionary& save_dictionary,
                                      const StoreFrame& store);

// Reads records back into stored events; frames are decompressed once each (the events of a
// call share one). Throws std::runtime_error when a frame or record is damaged or missing.
class TextReader {
 public:
  struct Frame {
    std::string zstd;
    int64_t dict = 0;  // raw_dicts.id, 0: none
    bool found = false;
  };
  using LoadFrame = std::function<Frame(int64_t text_id)>;
  using LoadDictionary = std::function<std::string(int64_t id)>;
  TextReader(LoadFrame frame, LoadDictionary dictionary);
  ~TextReader();
  TextReader(const TextReader&) = delete;
  TextReader& operator=(const TextReader&) = delete;

  // Sets raw, summary, fields, local, remote and request_uri of `e`.
  void fill(StoredEvent& e, int64_t text_id, int64_t at, int64_t raw_len);
  std::string raw(int64_t text_id, int64_t at, int64_t raw_len);

 private:
  std::string_view record(int64_t text_id, int64_t at, int64_t raw_len);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fedtriage::store_cold
