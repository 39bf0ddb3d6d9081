// A call's SIP ladder: one column per host, one arrow per SIP transmission (however many hops
// logged it), notes where non-SIP things happened. Terminal and HTML renderers draw this.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "lib/core/event.h"
#include "lib/store/store_records.h"

namespace fedtriage {

enum class HostRole : uint8_t {
  Unknown,      // only an address: nothing said what it is
  Expressway,   // logged by an Expressway, or a TANDBERG/4352 or X-version agent
  Edge,         // logged by a Skype Edge
  Client,       // the Skype / Lync client that wrote the UccApiLog, or its user agent
  SkypeServer,  // Server: RTC/... (Front End, Director, Mediation, Edge not logging here)
  Cms,          // Acano CallBridge / Cisco Meeting Server
  Endpoint,     // Cisco / TANDBERG endpoint
};

std::string_view to_string(HostRole r);
HostRole host_role_from(std::string_view name);  // inverse of to_string; Unknown if none

struct LadderColumn {
  std::string label;  // "Expressway vcse", "Edge sfvedge", "Skype server sfbfe.skype.lab"
  HostRole role = HostRole::Unknown;
  bool logged = false;               // a log in the bundle was written on this host
  std::vector<std::string> aliases;  // names and addresses merged into it, lower case
};

// One SIP transmission.
struct LadderArrow {
  int64_t ts_ms = 0;  // first sighting
  size_t from = 0;    // column indices
  size_t to = 0;
  bool request = false;
  std::string method;  // request method, or CSeq method of a response
  int status = 0;      // responses only
  std::string label;   // "INVITE" / "504 Server time-out"
  std::string cseq;
  bool failing = false;                  // a final error response to the call's request
  std::vector<std::string> diagnostics;  // ms-diagnostics: "1009 No match for domain ..."
  std::vector<size_t> events;            // indices into StoredCall::events, time order
};

// A non-SIP event (Edge diagnostic, TLS, TCP, DNS, Expressway call event) on the column of the
// host that logged it.
struct LadderNote {
  int64_t ts_ms = 0;
  size_t column = 0;
  EventKind kind = EventKind::Diagnostic;
  std::string text;
  bool error = false;  // a failure (diagnostic with an error result, TLS failure)
  size_t event = 0;    // index into StoredCall::events
};

// Arrows and notes in time order; one of them per step.
struct LadderStep {
  bool is_arrow = true;
  size_t index = 0;  // into Ladder::arrows or Ladder::notes
};

struct Ladder {
  std::vector<LadderColumn> columns;  // left to right: in order of first appearance
  std::vector<LadderArrow> arrows;
  std::vector<LadderNote> notes;
  std::vector<LadderStep> steps;
};

Ladder build_ladder(const StoredCall& call);

// The column an event's logging host is drawn in ("Expressway vcse", "Edge sfvedge", ...).
std::string logging_host_label(Source source, const std::string& host);

}  // namespace fedtriage
