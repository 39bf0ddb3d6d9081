// Where a streamed analysis puts what it concludes, call by call, while it reads: the store in
// practice (lib/batch adapts it), nothing in tests. Implementations know nothing of log
// formats; the analysis knows nothing of SQLite.
#pragma once

#include <cstddef>
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
  // One explained call: `events` in time order, `call` and the findings' evidence index into
  // them. `positions[i]` is the place of events[i] in the whole read (time order): an event
  // tied to several calls (a TLS failure, say) comes with each of them, at the same position.
  virtual bool on_call(const std::vector<Event>& events, const std::vector<size_t>& positions,
                       const Call& call, const std::vector<Finding>& findings,
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
