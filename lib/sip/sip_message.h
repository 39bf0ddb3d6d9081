// SIP message model: a parsed request or response, as logged by any of the three products.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lib/sip/ms_diagnostic.h"

namespace fedtriage {

struct SipHeader {
  std::string name;   // as written (compact forms kept as written)
  std::string value;  // folded continuation lines joined with one space, outer spaces trimmed
};

// From / To / Contact style header: "Display" <uri>;tag=...
struct NameAddr {
  std::string display_name;  // unquoted, quoted-pairs resolved (\" -> ")
  std::string uri;           // without the angle brackets
  std::string tag;
  bool present = false;
};

struct Via {
  std::string protocol;  // "SIP/2.0/TLS"
  std::string sent_by;   // host[:port]
  std::string branch;
  std::string received;
  std::string rport;
  std::string proxy_call_id;  // Expressway's, equals the Event= Call-serial-number
  std::vector<std::pair<std::string, std::string>> params;  // all parameters, in order
};

struct SipMessage {
  // Start line.
  bool is_request = false;
  std::string method;       // request method; for responses the CSeq method
  std::string request_uri;  // requests only
  int status_code = 0;      // responses only
  std::string reason_phrase;

  std::string call_id;
  uint32_t cseq_number = 0;
  std::string cseq_method;
  NameAddr from;
  NameAddr to;
  std::vector<Via> vias;  // top-most first; a header with several comma-separated values
                          // gives several entries; empty ones (";;,,") give none
  std::string user_agent;
  std::string server;
  std::optional<uint64_t> content_length;  // absent when missing, negative or not a number
  std::string body;  // everything after the first empty line; not cut to content_length

  std::vector<SipHeader> headers;             // every header, in order
  std::vector<MsDiagnostic> ms_diagnostics;   // ms-diagnostics and ms-diagnostics-public, in order

  // First header with this name, case-insensitive; compact forms (i f t v m l c k s e o) match
  // their long names both ways. nullptr when absent.
  const SipHeader* header(std::string_view name) const;

  // "2066245576 INVITE"
  std::string cseq() const;
};

struct SipParseError {
  std::string message;
  uint64_t line = 0;  // 1-based line within the message text, 0 if not tied to a line
};

// Parses one SIP message. Lines may end in "\n" or "\r\n"; the header block ends at the
// first empty line, the rest is the body. Tolerant: unknown or malformed headers are kept
// as they are; only a start line that is neither a request nor a status line fails.
std::optional<SipMessage> parse_sip_message(std::string_view text, SipParseError* error = nullptr);

// Turns a message that a document flattened onto one line ("SIP/2.0 504 Server time-out
// Via: ... Call-ID: ... CSeq: ...") back into one header per line, by breaking before
// recognised header names. Text that already has line breaks is returned unchanged.
std::string unflatten_sip_message(std::string_view one_line);

// True when `line` is a SIP request line or status line.
bool looks_like_sip_start_line(std::string_view line);

}  // namespace fedtriage
