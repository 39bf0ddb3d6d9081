// One call: every event that belongs to one SIP Call-ID, across all sources and files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "lib/core/call_headline.h"
#include "lib/core/event.h"
#include "lib/correlate/outcome.h"

namespace fedtriage {

// An event tied to a call without carrying its Call-ID, and why.
struct CallLink {
  CallLink() = default;
  CallLink(size_t event_, std::string reason_, std::string file_ = {}, uint64_t line_ = 0,
           EventKind kind_ = EventKind::Tls)
      : event(event_),
        reason(std::move(reason_)),
        file(std::move(file_)),
        line(line_),
        kind(kind_) {}

  static constexpr size_t kNoQuery = SIZE_MAX;

  size_t event = 0;    // index into the event list the call was built from
  std::string reason;  // e.g. "Call-serial-number 6b2a... = Via proxy-call-id"
  std::string file;    // where the linked event is (reports name it without the event list)
  uint64_t line = 0;
  EventKind kind = EventKind::Tls;
  // For a DNS answer: the event of the query it answers, in the same index space as `event`.
  // The log names no query id, so the correlator pairs them once and readers use this.
  size_t query = kNoQuery;
};

// The same SIP message seen at several hops (client, Edge, Expressway): one message, several
// observations.
struct MessageSighting {
  std::vector<size_t> events;  // indices into the event list, time order
  std::string key;             // what made them the same (Call-ID, CSeq, start line, Via branch)
};

// A call as correlation builds it: its headline (call_headline.h), how it ended, and the
// events it is made of.
struct Call : CallHeadline {
  // How it ended (lib/correlate/outcome.h). For a failure: which response, to which request.
  Outcome outcome = Outcome::Ok;
  CallPhase phase = CallPhase::None;
  int failure_status = 0;  // the failing final response (final_status for a setup failure)
  std::string failure_reason;
  std::string failure_method;       // "INVITE", "REGISTER", ...; mid-dialog: "re-INVITE", "BYE"
  std::string failure_request_uri;  // of the failed request (mid-dialog: the remote Contact)
  std::vector<size_t> events;       // indices into the event list (SIP and diagnostics), time order
  std::vector<CallLink> links;      // events tied without a Call-ID
  std::vector<MessageSighting> messages;  // distinct SIP messages, time order

  // Sizes of the lists above, set with them: a streamed analysis keeps them for its report
  // and releases the lists (release_lists()), so that a call costs a few hundred bytes.
  size_t event_count = 0;
  size_t message_count = 0;
  size_t sighting_count = 0;
  void count_lists() {
    event_count = events.size();
    message_count = messages.size();
    sighting_count = 0;
    for (const MessageSighting& m : messages) sighting_count += m.events.size();
  }
  void release_lists() {
    count_lists();
    std::vector<size_t>().swap(events);
    std::vector<MessageSighting>().swap(messages);
  }

  bool failed() const { return outcome == Outcome::Failed; }
};

}  // namespace fedtriage
