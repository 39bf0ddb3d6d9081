// Lync / Skype for Business Server CLS (OCSLogger) text traces, as written on the Edge.
// TF_PROTOCOL records become SIP events, TF_DIAG / TF_COMPONENT diagnostic records become
// Diagnostic events; every other record is skipped. Times are UTC.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parsers/edge/edge_header.h"
#include "parsers/log_parser.h"

namespace fedtriage {

// True when the first bytes of a file hold at least one CLS record header line.
bool looks_like_edge_trace(std::string_view head);
// A split file may be cut before a record header that follows a "$$end_record" line
// (LogFormatInfo::cut_before).
bool edge_cut_before(std::string_view previous, std::string_view line);

class EdgeTraceParser : public LogParser {
 public:
  // A record longer than this is reported and dropped, so memory stays bounded.
  static constexpr size_t kMaxRecordBytes = size_t{4} << 20;

  explicit EdgeTraceParser(ParserContext context, size_t max_record_bytes = kMaxRecordBytes);

  void feed(std::string_view line, uint64_t line_no) override;
  void finish() override;

 private:
  enum class State : uint8_t { Idle, Collecting, Skipping };

  void open(std::string_view line, uint64_t line_no, bool begin_record, bool inline_end);
  // Emits the open record, if any. `why` is empty for a normally ended record.
  void close(std::string_view why);
  void emit_protocol_record(const EdgeHeader& header, const std::vector<std::string_view>& rec_body,
                            std::string_view flat, std::string_view why);
  void emit_diagnostic_record(const EdgeHeader& header,
                              const std::vector<std::string_view>& rec_body, std::string_view flat,
                              std::string_view why);
  // A $$begin_record at `next_line` while a record is open: reported, and the open record ends.
  void not_closed(uint64_t next_line);
  void problem(uint64_t line, std::string message);
  // Empties raw_, keeping its buffer for the next record unless a huge record grew it.
  void clear_raw();
  static constexpr size_t kKeptRawCapacity = size_t{256} << 10;

  ParserContext ctx_;
  size_t max_record_bytes_;
  State state_ = State::Idle;
  std::string raw_;  // header line through the last line seen, joined with '\n'
  uint64_t record_line_ = 0;
  uint64_t body_lines_ = 0;
  bool begin_record_ = false;
  std::string header_line_;  // the open record's header line; header_ views into it
  EdgeHeader header_;
  // Scratch reused from record to record (capacity kept, no allocation per record).
  using Item = std::pair<std::string_view, std::string>;  // key (no colon), value
  std::vector<std::string_view> body_scratch_;
  std::vector<Item> keys_scratch_;
  std::vector<Item> items_scratch_;
  std::string head_scratch_;
  std::string body_text_scratch_;
  std::string text_scratch_;
};

}  // namespace fedtriage
