// Redacts one log file as a stream of lines, keeping its record framing valid: the SIP
// messages inside the three products' records are redacted as messages (Content-Length
// recomputed) and the UccApiLog packet lines get their byte counts changed by as much as the
// message did. Everything else is redacted line by line as text. Line ends are kept as they
// were (CRLF, LF, none at the end).
//
// Records recognised (docs/log-formats.md):
//  - Expressway: " SIPMSG:" then " |<start line>", headers, " ", body, up to " |" (or a body
//    line glued to its closing "|", or the next line that does not start with a space);
//  - Edge: from a "$$begin_record" header line to "$$end_record" (or the next "TL_" header);
//    the body starts at "Message-Body:";
//  - UccApiLog: from "... :: Sending Packet - ... N bytes:" / "Data Received" to the matching
//    "End of ..." line (or the next packet); both carry the byte count.
// PEM blocks ("-----BEGIN ...-----" to "-----END ...-----") go whole to the PemRedactor (a
// certificate comes out regenerated, a key as a comment line); without one, a block is
// replaced by a comment line. Their line count may change.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/redact/text_redactor.h"

namespace fedtriage::redact {
class PemRedactor;
}

namespace fedtriage::redact {

class LogRedactor {
 public:
  using Write = std::function<void(std::string_view)>;

  LogRedactor(TextRedactor& text, Write write, PemRedactor* pem = nullptr)
      : text_(text), write_(std::move(write)), pem_(pem) {}

  // One line without its terminator; `terminator` is "\n", "\r\n" or "" (last line).
  void line(std::string_view content, std::string_view terminator);
  // Writes what is still buffered (a record whose end never came).
  void finish();

 private:
  enum class Record { None, ExpresswaySipMsg, EdgeRecord, UccPacket, Pem };

  void start(Record kind, std::string_view content, std::string_view terminator);
  void append(std::string_view content, std::string_view terminator);
  void flush();
  void write_plain(std::string_view content, std::string_view terminator);

  TextRedactor& text_;
  Write write_;
  PemRedactor* pem_;
  Record record_ = Record::None;
  std::vector<std::string> lines_;
  std::vector<std::string> terminators_;
  size_t buffered_bytes_ = 0;
};

}  // namespace fedtriage::redact
