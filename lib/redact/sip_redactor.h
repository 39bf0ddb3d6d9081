// One SIP message as a log holds it: its lines (with the log's own framing around them:
// Expressway's leading space and "|", an UccApiLog line prefix, Edge's "Message-Body: "),
// redacted line by line through the text redactor (secrets removed with it), then its
// Content-Length set to what the body now measures.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lib/redact/text_redactor.h"

namespace fedtriage::redact {

// The message text of a log line: after an UccApiLog "... :: " prefix, without leading blanks
// or Expressway's '|'.
std::string_view sip_text(std::string_view line);

// Redacts lines[begin, end) in place. Lines from body_begin on are the body: Content-Length
// (or "l"), when a header line before body_begin carries one, changes by as many bytes as
// the body did, so that it keeps its relation to the body whatever the log's line ends were.
// Returns how many bytes the message grew (negative: shrank), Content-Length included.
int64_t redact_sip_message(std::vector<std::string>& lines, size_t begin, size_t body_begin,
                           size_t end, TextRedactor& text);

// Adds `delta` to the decimal number that starts at `pos` in `line` (no change if the result
// would be negative). Returns the change in the line's length.
int64_t adjust_number(std::string& line, size_t pos, int64_t delta);

}  // namespace fedtriage::redact
