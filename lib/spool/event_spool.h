// Append-only store of whole events on disk, so that a large analysis keeps only small
// references in memory and loads events back when it needs them (per call).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lib/core/event.h"
#include "lib/spool/event_codec.h"

namespace fedtriage {

// Where one spooled event is: its encoding (lib/spool/event_codec.h) is `size` bytes at
// `offset`.
struct SpoolRef {
  uint64_t offset = 0;
  uint32_t size = 0;
};

// Append-only store of encoded events in an unlinked temporary file (in $TMPDIR, else /tmp),
// so spooled events cost no memory of the process; falls back to memory when no temp file
// can be created (create() then says so in *note). The file is gone when the spool is
// destroyed or the process ends, however it ends.
class EventSpool {
 public:
  // Never null. *note (when given) is set to why the spool is in memory, else left alone.
  // `kept`: what of each event is written; with NoText, loaded events have no text.
  static std::unique_ptr<EventSpool> create(std::string* note,
                                            EventDetail kept = EventDetail::Whole);
  ~EventSpool();
  EventSpool(const EventSpool&) = delete;
  EventSpool& operator=(const EventSpool&) = delete;

  // One writer per thread; buffers (~1 MiB) and writes its buffer at offsets reserved
  // atomically in the file, so writers never wait for each other except for the reservation.
  // A writer must not outlive its spool.
  class Writer {
   public:
    ~Writer();  // flushes
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    // Encodes `e` (what the spool keeps of it) into the buffer and returns where it will be
    // once flushed. After an I/O error (see EventSpool::error) events are dropped and a zero
    // ref is returned.
    SpoolRef append(const Event& e);
    // Writes out what is buffered. The events appended so far can then be loaded.
    void flush();

   private:
    friend class EventSpool;
    struct State;
    explicit Writer(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
  };
  std::unique_ptr<Writer> writer();

  // Reads back one event. Thread-safe (pread). All writers must have flushed. False with a
  // message on an I/O error or a corrupt record (a ref this spool did not return, say).
  // `scratch` is a buffer the caller keeps between calls, so that loading allocates little.
  bool load(SpoolRef ref, Event& e, std::string& scratch, std::string* error = nullptr) const;
  // Reads back refs[k] into *out[k] for every k, as load() does, but records close together
  // in the file (a call's events often are) come in with one system call: one `pread` per
  // record was most of loading a call back.
  bool load_all(const std::vector<SpoolRef>& refs, const std::vector<Event*>& out,
                std::string& scratch, std::string* error = nullptr) const;

  // Bytes of encoded events written out so far (what writers have flushed). The file itself
  // may be a little larger: the unused end of a writer's reserved range is a hole.
  uint64_t bytes() const;
  // True when the spool is the memory fallback.
  bool in_memory() const;
  // The first I/O error of any writer, as strerror text ("No space left on device"); empty when
  // none. Once set, writers drop what they are given: the caller reports it and stops.
  std::string error() const;

 private:
  struct Impl;
  explicit EventSpool(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fedtriage
