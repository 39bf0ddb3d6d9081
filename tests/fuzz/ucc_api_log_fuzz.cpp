// libFuzzer target: arbitrary bytes as a client UccApiLog, fed line by line.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parsers/client/ucc_api_log_parser.h"
#include "tests/support/collecting_sinks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fedtriage::testing::CollectingEvents events;
  fedtriage::testing::CollectingProblems problems;
  fedtriage::ParserContext ctx;
  ctx.file = "fuzz.UccApiLog";
  ctx.events = &events;
  ctx.problems = &problems;
  if (size > 0 && (data[0] & 1)) ctx.options.client_utc_offset_minutes = 60;
  fedtriage::UccApiLogParser parser(ctx);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  fedtriage::testing::feed_text(parser, text);
  (void)fedtriage::looks_like_ucc_api_log(text);
  return 0;
}
