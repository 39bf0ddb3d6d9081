// Ingest: paths in (files, folders, archives, stdin), normalized events out. The one place
// where the input layer meets the parsers.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lib/core/event.h"
#include "lib/core/input_record.h"
#include "lib/core/problem.h"
#include "lib/correlate/event_sketch.h"
#include "lib/input/walk_options.h"
#include "lib/spool/event_spool.h"
#include "parsers/log_parser.h"

namespace fedtriage {

struct IngestOptions {
  WalkOptions walk;
  ParserOptions parser;
  size_t sniff_bytes = 64 * 1024;       // how much of a file format recognition looks at
  size_t max_line_bytes = 1024 * 1024;  // longer lines are cut (and reported)
  // One large file on several cores (lib/ingest/split_parse.h): files of a format that can be
  // split are parsed in pieces of this many bytes, in parallel, with the same result as in one
  // piece; 0: every file by one parser. Unset: $FEDTRIAGE_SPLIT_BYTES, else `split_when_idle`.
  std::optional<size_t> split_bytes;
  // With no size given: split a plain file that would keep one core busy after the others ran
  // out of files (lib/ingest/split_choice.h), in pieces of kDefaultSplitBytes. False: none.
  // `events` sets it (measured 0.68-0.87x the wall time on a dense bundle); the analysis does
  // not (no gain there, and +14 MB of peak memory at 4 GB: bench/README.md).
  bool split_when_idle = false;
  // SHA-256 of plain files the caller hashed already (batch runs hash before reading), by
  // path as given: such an input is not hashed a second time.
  std::unordered_map<std::string, std::string> known_sha256;
  // False: no SHA-256 of the inputs (InputRecord::sha256 stays empty); for readers that
  // neither store nor report it.
  bool hash_inputs = true;
  // What the spool keeps of each event (lib/spool/event_codec.h): NoText for readers that never
  // need the record's text (`events` without --raw: a smaller spool, half the encoding).
  EventDetail spool_detail = EventDetail::Whole;
  // Called for every leaf that is no log (skipped), with up to sniff_bytes of its start, from
  // the worker threads: the caller keeps what it wants of such files (the Expressway's own
  // certificate in a diagnostic bundle). Must be thread-safe; unset: nothing is called.
  std::function<void(const std::string& name, std::string_view head)> on_unparsed;
  // Analysis (lib/analysis): a call is explained in memory, so one Call-ID with 100,000
  // events (a flood, a looping user agent) would cost gigabytes. Beyond this many events
  // (links included) the middle of the call is left out of it, with a warning; its start and
  // its end (setup, the failing answer) are kept. The events left out stay in the store as
  // events of no call.
  size_t max_call_events = 20000;
};

struct IngestResult {
  std::vector<InputRecord> inputs;       // one per leaf, in the order read
  std::vector<Event> events;             // all events, stable-sorted by time (read_in_memory)
  std::vector<std::string> clock_notes;  // how client clocks were aligned (or not)
};

// A read that keeps only sketches in memory: the full events wait in a spool on disk until
// loaded one by one. Memory is ~100 bytes an event instead of several KB.
struct SpooledRead {
  std::vector<InputRecord> inputs;       // one per leaf, in the order read
  SketchSet sketches;                    // read order; on the timeline after read_timeline()
  std::vector<std::string> clock_notes;  // how client clocks were aligned (read_timeline())
  std::unique_ptr<EventSpool> spool;
  std::string spool_error;  // why events were lost (temporary disk full, ...); "" when none
  // Per client file whose clock was aligned (read_timeline()), the milliseconds its
  // LocalUnaligned times were shifted by: load() applies them after drop_sketches().
  std::map<std::string, int64_t> clock_shifts;
  // After drop_sketches(): where each event is in the spool, by the sketch's index (two arrays:
  // 12 bytes an event).
  std::vector<uint64_t> spool_offsets;
  std::vector<uint32_t> spool_sizes;

  // Number of events read (sketches, or spool references after drop_sketches()).
  size_t size() const {
    return spool_offsets.empty() ? sketches.events.size() : spool_offsets.size();
  }
  // The full event of sketch i, with its aligned time. False (with `*error`) when the spool
  // cannot give it back.
  bool load(size_t i, Event& e, std::string& scratch, std::string* error = nullptr) const;
  // load(positions[k], out[k]) for every k, reading records close together in the spool at
  // once (EventSpool::load_all). `out` is resized to match; the events it holds are decoded
  // into again (their strings reused).
  bool load_all(const std::vector<size_t>& positions, std::vector<Event>& out, std::string& scratch,
                std::string* error = nullptr) const;
  // Keeps only where each event is in the spool and frees the sketches and their strings:
  // once calls are planned, the rest of a large analysis holds 12 bytes an event. The time
  // on the timeline then comes from the event itself and `clock_shifts`.
  void drop_sketches();
  // After the last load(): frees the spool references (load() no longer works).
  void drop_references();

 private:
  // An event loaded back after drop_sketches() gets its file's clock shift.
  void shift_clock(Event& e) const;
};

// Reads everything; problems go to `live` as they happen and into the input records. The
// sketches come in read order with client times as logged: lib/analysis/read.h puts them on
// one timeline (correlation's first step).
SpooledRead ingest_spooled(const std::vector<std::string>& paths, const IngestOptions& options,
                           ProblemSink& live);

}  // namespace fedtriage
