// Where a streamed analysis puts what it concludes, call by call, while it reads: the store in
// practice (lib/batch adapts it), nothing in tests. Implementations know nothing of log
// formats; the analysis knows nothing of SQLite.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "lib/core/event.h"
#include "lib/core/input_record.h"
#include "lib/correlate/call.h"
#include "lib/correlate/conversation.h"
#include "lib/rules/finding.h"

namespace fedtriage {

class AnalysisSink {
 public:
  virtual ~AnalysisSink() = default;
  // Once, before anything else.
  virtual bool on_inputs(const std::vector<InputRecord>& inputs, std::string* error) = 0;
  // What a sink made of a call's events ahead of on_call.
  struct Prepared {
    virtual ~Prepared() = default;
  };
  // Work on a call's events that needs no store round trip (compressing their text). The
  // analysis calls it on its explaining thread, once per call and before on_call of that
  // call, while on_call stores the calls before; what it returns comes back with on_call,
  // and is freed on the explaining thread afterwards.
  virtual std::unique_ptr<Prepared> prepare_call(const std::vector<Event>& events,
                                                 const std::vector<size_t>& positions) {
    (void)events;
    (void)positions;
    return nullptr;
  }
  // One explained call: `events` in time order, `call` and the findings' evidence index into
  // them. `positions[i]` is the place of events[i] in the whole read (time order): an event
  // tied to several calls (a TLS failure, say) comes with each of them, at the same position.
  // `prepared`: what prepare_call returned for these events, if it was called.
  virtual bool on_call(const std::vector<Event>& events, const std::vector<size_t>& positions,
                       const Call& call, const std::vector<Finding>& findings, Prepared* prepared,
                       std::string* error) = 0;
  // Every call and every unattached event was handed over; the conversations are linked
  // next, the analysis's largest step in memory: a sink gives back what it holds only to
  // write faster (a database's cache).
  virtual void on_calls_done() {}
  // The conversations, once every call and unattached event was handed over.
  virtual bool on_conversations(const ConversationSet& conversations, std::string* error) {
    (void)conversations;
    (void)error;
    return true;
  }
  // Events that belong to no call, in time order (several batches), after the calls.
  virtual bool on_unattached(const std::vector<Event>& events, std::string* error) = 0;
};

}  // namespace fedtriage
