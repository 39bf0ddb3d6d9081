// The normalized event: what every parser emits and everything downstream consumes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lib/sip/sip_message.h"

namespace fedtriage {

// Which product wrote the log line the event came from.
enum class Source : uint8_t { Expressway, Edge, Client };

enum class EventKind : uint8_t {
  Sip,         // a whole SIP message
  Diagnostic,  // Edge TF_DIAG / TF_COMPONENT record (Result-Code, Data)
  Tls,         // TLS negotiation failure (event line, developer.ssl, tcp close with TLS reason)
  Tcp,         // network.tcp connect / close without a TLS reason
  Dns,         // network.dns query or answer
  CallEvent,   // Expressway Event= line (Call Attempted, Search Completed, ...)
};

// As seen by the host that wrote the log.
enum class Direction : uint8_t { Unknown, In, Out };

// How far an event's timestamp can be trusted as UTC.
enum class TimeBasis : uint8_t {
  Utc,             // the log states UTC (Expressway UTCTime, Edge CLS)
  LocalGiven,      // local time shifted by a user-supplied offset
  LocalInferred,   // local time shifted by an offset inferred from a message also seen by a server
  LocalUnaligned,  // local time, offset unknown: treated as UTC but flagged
};

struct Origin {
  std::string file;   // display name; archive members as "bundle.tar.gz!/member.txt"
  uint64_t line = 0;  // 1-based line of the event's first line
  uint32_t seq = 0;   // n-th event of this file, line and kind, in parser order
};

// Ordered key/value pairs; keys are as the log wrote them.
using Fields = std::vector<std::pair<std::string, std::string>>;

// First value for `key` (exact match), or nullptr.
const std::string* find_field(const Fields& fields, std::string_view key);

struct Event {
  int64_t ts_ms = 0;  // milliseconds since the Unix epoch, UTC (see basis)
  TimeBasis basis = TimeBasis::Utc;
  Source source = Source::Expressway;
  EventKind kind = EventKind::Sip;
  Origin origin;
  std::string host;  // the logging host, when the log names it

  // Call this event belongs to, when the record names it (SIP Call-ID, Edge SIP-Call-ID).
  std::string call_id;
  std::string cseq;  // "2066245576 INVITE"

  Direction direction = Direction::Unknown;
  std::string local;   // ip:port of the logging host's end
  std::string remote;  // ip:port (or host:port) of the peer

  std::optional<SipMessage> sip;  // set when kind == Sip

  Fields fields;        // record attributes: Module, Level, Result-Code, Data pairs, Event=, ...
  std::string summary;  // one line a person can read
  std::string raw;      // the record's original text (SIP message, TL_ record, log line)
};

std::string_view to_string(Source s);
std::string_view to_string(EventKind k);
std::string_view to_string(Direction d);
std::string_view to_string(TimeBasis b);

// Sinks: parsers push into these and know nothing of what is behind them.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void on_event(Event&& event) = 0;
};

}  // namespace fedtriage
