#include "lib/correlate/clock_alignment.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "lib/core/timestamp.h"
#include "parsers/client/ucc_api_log_parser.h"
#include "parsers/edge/edge_trace_parser.h"
#include "tests/support/collecting_sinks.h"

namespace fedtriage {
namespace {

struct Events : EventSink {
  std::vector<Event> all;
  void on_event(Event&& e) override { all.push_back(std::move(e)); }
};

void parse_file(LogParser& parser, const std::string& path) {
  std::ifstream in(std::string(FEDTRIAGE_TESTDATA_DIR) + "/" + path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  testing::feed_text(parser, text);
}

template <typename Parser>
void parse_into(Events& events, const std::string& path) {
  ParserContext ctx;
  ctx.file = path;
  ctx.events = &events;
  Parser parser(ctx);
  parse_file(parser, path);
}

TEST(ClockAlignment, InfersSixtyMinutesFromEdgeAndKeepsUnmatchedFileUnaligned) {
  Events events;
  parse_into<UccApiLogParser>(events, "client/Lync-UccApi-0.UccApiLog");
  parse_into<UccApiLogParser>(events, "client/Lync-UccApi-1.UccApiLog");
  parse_into<EdgeTraceParser>(events, "edge/sfvedge_client_call.log");
  parse_into<EdgeTraceParser>(events, "edge/sfvedge_federation.log");

  ClockAlignmentResult r = align_client_clocks(events.all);
  ASSERT_EQ(r.aligned.size(), 1u);
  const ClientClockOffset& a = r.aligned[0];
  EXPECT_EQ(a.file, "client/Lync-UccApi-0.UccApiLog");
  EXPECT_EQ(a.offset_minutes, 60);
  EXPECT_EQ(a.pairs, 2u);  // the INVITE and its 504, both seen by the Edge
  EXPECT_EQ(a.evidence.call_id, "d0bce97cce8a45fcbb8cc973ba0282da");
  EXPECT_EQ(a.evidence.cseq, "1 INVITE");
  EXPECT_EQ(a.evidence.server.file, "edge/sfvedge_client_call.log");
  EXPECT_EQ(a.evidence.server_source, Source::Edge);
  // 08:12:03.229 local vs 07:12:03.172 UTC is 60 min + 57 ms, closer than the INVITE's -63 ms.
  EXPECT_EQ(a.evidence.start_line, "504");
  EXPECT_EQ(a.evidence.client.line, 84u);
  EXPECT_EQ(format_iso_utc(a.evidence.client_ms), "2017-03-02T08:12:03.229Z");
  EXPECT_EQ(format_iso_utc(a.evidence.server_ms), "2017-03-02T07:12:03.172Z");

  ASSERT_EQ(r.unaligned.size(), 1u);
  EXPECT_EQ(r.unaligned[0], "client/Lync-UccApi-1.UccApiLog");

  for (const Event& e : events.all) {
    if (e.origin.file == "client/Lync-UccApi-0.UccApiLog") {
      EXPECT_EQ(e.basis, TimeBasis::LocalInferred);
    } else if (e.origin.file == "client/Lync-UccApi-1.UccApiLog") {
      EXPECT_EQ(e.basis, TimeBasis::LocalUnaligned);
    } else {
      EXPECT_EQ(e.basis, TimeBasis::Utc);
    }
    if (e.origin.file.starts_with("client/Lync-UccApi-0") && e.origin.line == 54) {
      EXPECT_EQ(format_iso_utc(e.ts_ms), "2017-03-02T07:12:03.101Z");
    }
  }
}

Event sip_event(Source source, TimeBasis basis, const std::string& file, int64_t ts, int status) {
  Event e;
  e.source = source;
  e.basis = basis;
  e.origin.file = file;
  e.ts_ms = ts;
  e.call_id = "c1";
  e.cseq = "1 INVITE";
  SipMessage m;
  m.status_code = status;
  m.call_id = "c1";
  m.cseq_number = 1;
  m.cseq_method = "INVITE";
  e.sip = m;
  return e;
}

TEST(ClockAlignment, MedianAndNegativeQuarterHourOffsets) {
  const int64_t base = *utc_ms(2017, 3, 2, 12, 0, 0, 0);
  const int64_t west = -(5 * 60 + 30) * 60000;  // -05:30 is no real zone, but a multiple of 15
  std::vector<Event> events;
  for (int status : {100, 180, 200}) {
    events.push_back(
        sip_event(Source::Expressway, TimeBasis::Utc, "vcs.txt", base + status, status));
  }
  events.push_back(
      sip_event(Source::Client, TimeBasis::LocalUnaligned, "c.log", base + 100 + west + 40, 100));
  events.push_back(
      sip_event(Source::Client, TimeBasis::LocalUnaligned, "c.log", base + 180 + west - 20, 180));
  // An outlier (a clock jump) does not move the median.
  events.push_back(sip_event(Source::Client, TimeBasis::LocalUnaligned, "c.log",
                             base + 200 + west + 9 * 60000, 200));
  ClockAlignmentResult r = align_client_clocks(events);
  ASSERT_EQ(r.aligned.size(), 1u);
  EXPECT_EQ(r.aligned[0].offset_minutes, -330);
  EXPECT_EQ(r.aligned[0].pairs, 3u);
  EXPECT_TRUE(r.unaligned.empty());
  EXPECT_EQ(events[3].ts_ms, base + 100 + 40);
  EXPECT_EQ(events[3].basis, TimeBasis::LocalInferred);
  EXPECT_EQ(events[0].basis, TimeBasis::Utc);
}

TEST(ClockAlignment, NothingToAlign) {
  std::vector<Event> events;
  events.push_back(sip_event(Source::Edge, TimeBasis::Utc, "edge.log", 1000, 504));
  events.push_back(sip_event(Source::Client, TimeBasis::LocalGiven, "c.log", 2000, 504));
  ClockAlignmentResult r = align_client_clocks(events);
  EXPECT_TRUE(r.aligned.empty());
  EXPECT_TRUE(r.unaligned.empty());
  EXPECT_EQ(events[1].ts_ms, 2000);
}

}  // namespace
}  // namespace fedtriage

namespace fedtriage {
namespace {

// Zones run to +14:00: a larger inferred offset is a broken clock or a wrong pairing, and is
// not applied (#20).
TEST(ClockAlignment, OffsetsBeyondFourteenHoursAreRejected) {
  const int64_t base = *utc_ms(2017, 3, 2, 12, 0, 0, 0);
  for (int minutes : {14 * 60, -14 * 60, 14 * 60 + 15, -15 * 60, 16 * 60}) {
    std::vector<Event> events;
    events.push_back(sip_event(Source::Edge, TimeBasis::Utc, "edge.log", base, 504));
    events.push_back(sip_event(Source::Client, TimeBasis::LocalUnaligned, "c.log",
                               base + int64_t{minutes} * 60000, 504));
    const ClockAlignmentResult r = align_client_clocks(events);
    const bool plausible = minutes >= -14 * 60 && minutes <= 14 * 60;
    EXPECT_EQ(r.aligned.size(), plausible ? 1u : 0u) << minutes;
    ASSERT_EQ(r.rejected.size(), plausible ? 0u : 1u) << minutes;
    if (!plausible) {
      EXPECT_EQ(r.rejected[0].file, "c.log");
      EXPECT_EQ(r.rejected[0].offset_minutes, minutes);
      EXPECT_EQ(r.rejected[0].evidence.server.file, "edge.log");
      EXPECT_EQ(events[1].basis, TimeBasis::LocalUnaligned);
      EXPECT_EQ(events[1].ts_ms, base + int64_t{minutes} * 60000);
    }
  }
}

}  // namespace
}  // namespace fedtriage
