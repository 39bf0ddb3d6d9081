// Cisco Expressway / VCS diagnostic log ("tvcs"): network.sip SIPMSG blocks, INFO summary
// lines, Event= lines, network.tcp / developer.ssl TLS failures and network.dns lookups.
#pragma once

#include <memory>
#include <string_view>

#include "parsers/log_parser.h"

namespace fedtriage {

// True when the first bytes of a file look like a tvcs log.
bool looks_like_expressway_log(std::string_view head);
// A split file may be cut between two record lines (LogFormatInfo::cut_before).
bool expressway_cut_before(std::string_view previous, std::string_view line);

class ExpresswayParser : public LogParser {
 public:
  explicit ExpresswayParser(ParserContext context);
  ~ExpresswayParser() override;

  void feed(std::string_view line, uint64_t line_no) override;
  void finish() override;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fedtriage
