// INFO summary lines and their DEBUG SIPMSG twins (same Msg-Hash): the one part of the
// Expressway parser that looks beyond a record. A twin gets its summary's line number
// ("summary_line"); a summary whose twin never comes (INFO-only logging) becomes a SIP event of
// its own once 20,000 lines have passed, or at the end of the file. Kept apart from the line
// parser so that a file split across cores (LogFormatInfo::cut_before) pairs them once, in
// file order, over the output of the pieces' parsers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "lib/core/event.h"
#include "parsers/log_parser.h"

namespace fedtriage {

class SummaryTwins {
 public:
  explicit SummaryTwins(EventSink* out) : out_(out) {}

  // An INFO summary line at `line` with its event, its Detail text and its Msg-Hash (`key`,
  // "" when it has none: then it only lets older summaries out).
  void summary(Event&& e, std::string detail, std::string key, uint64_t line);
  // A DEBUG header line at `line` with Msg-Hash `key`: the event of that line, when it comes
  // (once its block is read), gets the summary's line.
  void twin(const std::string& key, uint64_t line);
  // A summary at `line` whose twin came next, already given its line by the piece's parser:
  // what summary() then twin() would have done.
  void paired(const std::string& key, uint64_t line);
  void event(Event&& e);
  void finish();  // the summaries still waiting become events

 private:
  struct Pending {
    Event event;
    std::string detail;
  };
  void flush(uint64_t now_line);

  EventSink* out_;
  std::unordered_map<std::string, Pending> pending_;
  uint64_t twin_line_ = 0;         // the DEBUG line whose event gets...
  std::string twin_summary_line_;  // ...this summary line ("" when its summary was not seen)
};

// A parser of one piece (ParserContext::chunk) hands summaries and twins on as marker events in
// its event stream; the stitcher turns them back into calls of SummaryTwins.
void emit_summary_marker(EventSink& out, Event&& e, std::string detail, std::string key);
void emit_twin_marker(EventSink& out, const std::string& key, uint64_t line);
void emit_paired_marker(EventSink& out, const std::string& key, uint64_t line);
std::unique_ptr<EventStitcher> make_expressway_stitcher(ParserContext context);
// One of the three markers above (LogFormatInfo::stitch_marker).
bool is_expressway_stitch_marker(const Event& e);

}  // namespace fedtriage
