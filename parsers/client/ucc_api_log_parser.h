// Lync / Skype for Business client UccApiLog (Lync-UccApi-0.UccApiLog): the SIP messages the
// client sent and received. Times are local with no zone; see ParserOptions and
// lib/correlate/clock_alignment.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "parsers/log_parser.h"

namespace fedtriage {

// True when the first bytes of a file hold UccApiLog lines ("MM/DD/YYYY|HH:MM:SS.mmm ... ::").
bool looks_like_ucc_api_log(std::string_view head);
// The client's file names: "Lync-UccApi-0.UccApiLog", rotated "Lync-UccApi-1.UccApilog".
bool named_like_ucc_api_log(std::string_view base_name);
// A split file may be cut before a "Sending Packet" / "Data Received" line that follows an
// "End of" line (LogFormatInfo::cut_before).
bool ucc_api_log_cut_before(std::string_view previous, std::string_view line);

class UccApiLogParser : public LogParser {
 public:
  // A message longer than this is reported and dropped, so memory stays bounded.
  static constexpr size_t kMaxMessageBytes = size_t{4} << 20;

  explicit UccApiLogParser(ParserContext context);

  void feed(std::string_view line, uint64_t line_no) override;
  void finish() override;

 private:
  struct Open {
    Direction direction = Direction::Unknown;
    std::string local, remote, bytes, level, thread;
    uint64_t line = 0;
    int64_t ts_ms = 0;
    std::string text;  // the SIP message, lines joined with '\n'
    size_t lines = 0;
    bool headers_done = false;
    std::optional<uint64_t> content_length;
    uint64_t body_bytes = 0;
    bool dropped = false;  // grew past kMaxMessageBytes
  };

  void open(std::string_view marker, std::string_view thread, std::string_view level, int64_t ts_ms,
            uint64_t line_no);
  // Returns false when the line cannot belong to the open message.
  bool add(std::string_view text, bool prefixed);
  void close(std::string_view why);
  void problem(uint64_t line, std::string message);

  ParserContext ctx_;
  std::optional<Open> open_;
};

}  // namespace fedtriage
