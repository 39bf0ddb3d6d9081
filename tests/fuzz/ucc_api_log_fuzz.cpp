// libFuzzer target: arbitrary bytes as a client UccApiLog, fed line by line.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parsers/client/ucc_api_log_parser.h"

namespace {

struct NullEvents : fedtriage::EventSink {
  void on_event(fedtriage::Event&&) override {}
};
struct NullProblems : fedtriage::ProblemSink {
  void on_problem(fedtriage::Problem) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  NullEvents events;
  NullProblems problems;
  fedtriage::ParserContext ctx;
  ctx.file = "fuzz.UccApiLog";
  ctx.events = &events;
  ctx.problems = &problems;
  if (size > 0 && (data[0] & 1)) ctx.options.client_utc_offset_minutes = 60;
  fedtriage::UccApiLogParser parser(ctx);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  uint64_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    parser.feed(line, ++line_no);
    pos = nl + 1;
  }
  parser.finish();
  (void)fedtriage::looks_like_ucc_api_log(text);
  return 0;
}
