// One case written piece by piece (inputs, events, one call at a time) inside one
// transaction, for cases too large to hold in memory. Obtained from Store::begin_case().
//
// Everything from begin_case() to commit() is one transaction: nothing is stored unless
// commit() succeeds, and destroying a writer that was not committed rolls back. A call that
// fails (returns false, `*error` set) rolls back at once and leaves the writer unusable: every
// later call fails; only destruction remains. Errors read "cannot store analysis (WHERE): what".
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "lib/core/event.h"
#include "lib/core/input_record.h"
#include "lib/correlate/call.h"
#include "lib/correlate/conversation.h"
#include "lib/rules/finding.h"
#include "lib/store/event_refs.h"
#include "lib/store/packed_events.h"

namespace fedtriage {

class CaseWriter {
 public:
  virtual ~CaseWriter() = default;  // a back end's destructor rolls back unless committed

  // Once, before any event: the inputs of this write. An input written again is described by
  // this write alone: its problems are replaced, and at commit() the events it no longer
  // yields are deleted.
  virtual bool write_inputs(const std::vector<InputRecord>& inputs, std::string* error) = 0;

  // Upserts `events` on (input, line, kind, seq) with seq = event.origin.seq; appends their
  // row ids to `ids` in order. An event's input is the one named origin.file: one of
  // write_inputs, else one stored earlier in the case, else a placeholder input.
  bool write_events(const std::vector<Event>& events, std::vector<int64_t>* ids,
                    std::string* error) {
    return write_events(EventRefs(events), ids, error);
  }
  bool write_events(const EventRefs& events, std::vector<int64_t>* ids, std::string* error) {
    store_cold::PackedEvents packed;
    return pack_events(events, packed, error) &&
           write_packed_events(events, std::move(packed), ids, error);
  }

  // write_events in two steps. pack_events compresses the events' text (event_text.h), the
  // costly part; unlike every other call it may run on another thread, beside the others
  // (one pack_events at a time), and touches no database: a caller packs the next batch while
  // the store writes this one. It fails only on a compression error, leaving the writer
  // usable. write_packed_events then writes `events` with what pack_events made of them.
  virtual bool pack_events(const EventRefs& events, store_cold::PackedEvents& out,
                           std::string* error) = 0;
  virtual bool write_packed_events(const EventRefs& events, store_cold::PackedEvents packed,
                                   std::vector<int64_t>* ids, std::string* error) = 0;

  // One call and its findings. Event indices in `call` (events, links) and in the findings'
  // evidence are indices into `event_ids` (the row ids write_events returned). Replaces the
  // findings stored for call.call_id in this case (those written earlier in this same write
  // stay). A call index outside `event_ids` fails; an evidence index outside it is stored
  // without an event, keeping its file, line and text.
  virtual bool write_call(const Call& call, const std::vector<Finding>& findings,
                          const std::vector<int64_t>& event_ids, std::string* error) = 0;

  // Findings for a call id that has no Call (replaces that call id's findings, as write_call).
  virtual bool write_findings(const std::string& call_id, const std::vector<Finding>& findings,
                              const std::vector<int64_t>& event_ids, std::string* error) = 0;

  // The conversations of this write's calls (once, after the calls): replaces what the case
  // held for those calls.
  virtual bool write_conversations(const ConversationSet& conversations, std::string* error) = 0;

  // Gives back memory held only to write faster (a page cache), e.g. before the caller's own
  // peak; what was written stays in the transaction.
  virtual void release_memory() {}

  // Drops events the re-written inputs no longer yield, writes the source files
  // (WriteOptions::sources), commits.
  virtual bool commit(std::string* error) = 0;

 protected:
  CaseWriter() = default;
  CaseWriter(const CaseWriter&) = delete;
  CaseWriter& operator=(const CaseWriter&) = delete;
};

}  // namespace fedtriage
