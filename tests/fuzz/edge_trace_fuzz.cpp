// libFuzzer target: arbitrary bytes as an Edge CLS trace, fed line by line.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parsers/edge/edge_trace_parser.h"
#include "tests/support/collecting_sinks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fedtriage::testing::CollectingEvents events;
  fedtriage::testing::CollectingProblems problems;
  fedtriage::ParserContext ctx;
  ctx.file = "fuzz.log";
  ctx.events = &events;
  ctx.problems = &problems;
  // A small record cap so that the drop path is reached too.
  fedtriage::EdgeTraceParser parser(ctx, 4096);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  fedtriage::testing::feed_text(parser, text);
  (void)fedtriage::looks_like_edge_trace(text);
  return 0;
}
