#include "parsers/client/ucc_api_log_parser.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "lib/core/timestamp.h"
#include "tests/support/collecting_sinks.h"

namespace fedtriage {
namespace {

using Events = testing::CollectingEvents;
using Problems = testing::CollectingProblems;

std::string fixture(const std::string& name) {
  return testing::read_file(std::string(FEDTRIAGE_TESTDATA_DIR) + "/client/" + name);
}

struct Parsed {
  Events events;
  Problems problems;
};

void parse(const std::string& name, const std::string& text, Parsed& run,
           std::optional<int> offset = std::nullopt) {
  ParserContext ctx;
  ctx.file = name;
  ctx.events = &run.events;
  ctx.problems = &run.problems;
  ctx.options.client_utc_offset_minutes = offset;
  UccApiLogParser parser(ctx);
  testing::feed_text(parser, text);
}

std::string field(const Event& e, std::string_view key) {
  const std::string* v = find_field(e.fields, key);
  return v ? *v : "<missing>";
}

constexpr const char* kLog0 = "Lync-UccApi-0.UccApiLog";
constexpr const char* kLog1 = "Lync-UccApi-1.UccApiLog";

TEST(ClientUccApiLog, Sniffs) {
  EXPECT_TRUE(looks_like_ucc_api_log(fixture(kLog0)));
  EXPECT_TRUE(looks_like_ucc_api_log(fixture(kLog1)));  // with a BOM
  EXPECT_FALSE(looks_like_ucc_api_log(
      "TL_INFO(TF_PROTOCOL) [0]06E4.0EB4::01/18/2012-05:00:43.101.00005386 (a,b)\n"));
  EXPECT_FALSE(looks_like_ucc_api_log("2017-03-02T08:10:46.240+01:00 vcse tvcs: x\n"));
}

TEST(ClientUccApiLog, ParsesSentAndReceivedMessages) {
  Parsed run;
  parse(kLog0, fixture(kLog0), run);
  EXPECT_TRUE(run.problems.problems.empty());
  ASSERT_EQ(run.events.events.size(), 10u);
  for (const Event& e : run.events.events) {
    EXPECT_EQ(e.kind, EventKind::Sip);
    EXPECT_EQ(e.source, Source::Client);
    EXPECT_EQ(e.basis, TimeBasis::LocalUnaligned);
    EXPECT_EQ(e.origin.file, kLog0);
    EXPECT_EQ(e.local, "10.55.186.71:62937");
    EXPECT_EQ(e.remote, "10.48.36.6:443");
    ASSERT_TRUE(e.sip);
  }
  const Event& reg = run.events.events[0];
  EXPECT_EQ(reg.origin.line, 2u);
  EXPECT_EQ(reg.direction, Direction::Out);
  EXPECT_EQ(reg.sip->method, "REGISTER");
  EXPECT_EQ(field(reg, "bytes"), "712");
  EXPECT_EQ(field(reg, "level"), "INFO");
  EXPECT_EQ(field(reg, "thread"), "1A2C:2B3C");

  const Event& invite = run.events.events[4];
  EXPECT_EQ(invite.origin.line, 54u);
  EXPECT_EQ(invite.direction, Direction::Out);
  EXPECT_EQ(format_iso_utc(invite.ts_ms), "2017-03-02T08:12:03.101Z");  // local, as if UTC
  EXPECT_EQ(invite.call_id, "d0bce97cce8a45fcbb8cc973ba0282da");
  EXPECT_EQ(invite.cseq, "1 INVITE");
  EXPECT_EQ(invite.sip->request_uri, "sip:stejanss.space@cms.steven.lab");
  EXPECT_EQ(invite.sip->content_length, 72u);
  EXPECT_NE(invite.sip->body.find("c=IN IP4 10.55.186.71"), std::string::npos);
  EXPECT_TRUE(invite.raw.starts_with("INVITE sip:stejanss.space@cms.steven.lab SIP/2.0\n"));

  const Event& r1009 = run.events.events[6];
  EXPECT_EQ(r1009.origin.line, 84u);
  EXPECT_EQ(r1009.direction, Direction::In);
  EXPECT_EQ(format_iso_utc(r1009.ts_ms), "2017-03-02T08:12:03.229Z");
  EXPECT_EQ(r1009.sip->status_code, 504);
  EXPECT_EQ(r1009.sip->reason_phrase, "Server time-out");
  EXPECT_EQ(field(r1009, "bytes"), "980");
  ASSERT_EQ(r1009.sip->ms_diagnostics.size(), 1u);
  const MsDiagnostic& d1009 = r1009.sip->ms_diagnostics[0];
  EXPECT_EQ(d1009.code, 1009);
  EXPECT_EQ(d1009.reason, "No match for domain in DNS SRV results");
  ASSERT_NE(d1009.param("domain"), nullptr);
  EXPECT_EQ(*d1009.param("domain"), "cms.steven.lab");
  ASSERT_NE(d1009.param("fqdn1"), nullptr);
  EXPECT_EQ(*d1009.param("fqdn1"), "vcse.sub.cms.steven.lab:5061");

  const Event& ack = run.events.events[7];
  EXPECT_EQ(ack.sip->method, "ACK");
  EXPECT_EQ(ack.cseq, "1 ACK");

  const Event& r1010 = run.events.events[9];
  EXPECT_EQ(r1010.call_id, "5e38e39898cf40188170f0d70644a87b");
  ASSERT_EQ(r1010.sip->ms_diagnostics.size(), 1u);
  const MsDiagnostic& d1010 = r1010.sip->ms_diagnostics[0];
  EXPECT_EQ(d1010.code, 1010);
  ASSERT_NE(d1010.param("tls-target"), nullptr);
  EXPECT_EQ(*d1010.param("tls-target"), "vcse.cms.steven.lab");
  ASSERT_NE(d1010.param("PeerServer"), nullptr);
  EXPECT_EQ(*d1010.param("PeerServer"), "vcse.steven.lab");
  ASSERT_NE(d1010.param("HRESULT"), nullptr);
  EXPECT_EQ(*d1010.param("HRESULT"), "0x80090322(SEC_E_WRONG_PRINCIPAL)");
}

TEST(ClientUccApiLog, UserGivenOffsetShiftsToUtc) {
  Parsed run;
  parse(kLog0, fixture(kLog0), run, 60);
  ASSERT_EQ(run.events.events.size(), 10u);
  EXPECT_EQ(run.events.events[4].basis, TimeBasis::LocalGiven);
  EXPECT_EQ(format_iso_utc(run.events.events[4].ts_ms), "2017-03-02T07:12:03.101Z");
  Parsed west;
  parse(kLog0, fixture(kLog0), west, -300);
  EXPECT_EQ(format_iso_utc(west.events.events[4].ts_ms), "2017-03-02T13:12:03.101Z");
}

TEST(ClientUccApiLog, TolerantVariant) {
  Parsed run;
  parse(kLog1, fixture(kLog1), run);
  ASSERT_EQ(run.events.events.size(), 4u);

  // Prefixed header lines, wide padding, a line of another thread in the middle.
  const Event& options = run.events.events[0];
  EXPECT_EQ(options.origin.line, 2u);
  EXPECT_EQ(options.direction, Direction::Out);
  EXPECT_EQ(options.remote, "192.0.2.10:5061");
  EXPECT_EQ(options.local, "198.51.100.23:50112");
  EXPECT_EQ(options.call_id, "3f2a1b0c9d8e4f70a1b2c3d4e5f60718");
  EXPECT_EQ(options.cseq, "7 OPTIONS");
  EXPECT_EQ(options.sip->from.tag, "aa11");
  EXPECT_EQ(options.raw.find("CUccPresence"), std::string::npos);
  EXPECT_EQ(format_iso_utc(options.ts_ms), "2017-04-11T14:02:10.120Z");

  // No byte count, TRACE level, and no "End of": closed by the next packet.
  const Event& forbidden = run.events.events[1];
  EXPECT_EQ(forbidden.origin.line, 12u);
  EXPECT_EQ(forbidden.direction, Direction::In);
  EXPECT_EQ(forbidden.sip->status_code, 403);
  EXPECT_EQ(find_field(forbidden.fields, "bytes"), nullptr);
  EXPECT_EQ(field(forbidden, "level"), "TRACE");
  EXPECT_EQ(field(forbidden, "truncated"), "no End of line");
  ASSERT_EQ(forbidden.sip->ms_diagnostics.size(), 1u);
  EXPECT_TRUE(forbidden.sip->ms_diagnostics[0].is_public);
  EXPECT_EQ(forbidden.sip->ms_diagnostics[0].code, 4141);

  EXPECT_EQ(run.events.events[2].sip->method, "BYE");
  EXPECT_EQ(field(run.events.events[2], "level"), "WARN");

  // Cut off at end of file.
  const Event& ok = run.events.events[3];
  EXPECT_EQ(ok.origin.line, 28u);
  EXPECT_EQ(ok.sip->status_code, 200);
  EXPECT_EQ(ok.cseq, "8 BYE");

  ASSERT_EQ(run.problems.problems.size(), 2u);
  EXPECT_EQ(run.problems.problems[0].file, kLog1);
  EXPECT_EQ(run.problems.problems[0].line, 12u);
  EXPECT_NE(run.problems.problems[0].message.find("line 21"), std::string::npos);
  EXPECT_EQ(run.problems.problems[1].line, 28u);
  EXPECT_NE(run.problems.problems[1].message.find("truncated at end of file"), std::string::npos);
}

TEST(ClientUccApiLog, SameThreadLogLineEndsMessageWithoutEndOf) {
  Parsed run;
  parse("x.UccApiLog",
        "03/02/2017|08:00:00.000 1:2 INFO :: Data Received - 1.2.3.4:443 (To Local Address: "
        "5.6.7.8:1) 10 bytes:\n"
        "03/02/2017|08:00:00.000 1:2 INFO :: SIP/2.0 180 Ringing\n"
        "Call-ID: abc\n"
        "CSeq: 2 INVITE\n"
        "03/02/2017|08:00:00.001 1:2 INFO :: CUccSession::OnRinging\n"
        "Stray text\n",
        run);
  ASSERT_EQ(run.events.events.size(), 1u);
  EXPECT_EQ(run.events.events[0].sip->status_code, 180);
  EXPECT_EQ(run.events.events[0].raw, "SIP/2.0 180 Ringing\nCall-ID: abc\nCSeq: 2 INVITE");
  ASSERT_EQ(run.problems.problems.size(), 1u);
  EXPECT_EQ(run.problems.problems[0].line, 1u);
}

TEST(ClientUccApiLog, GarbageIsReportedNotEmitted) {
  Parsed run;
  parse("g.UccApiLog",
        "03/02/2017|08:00:00.000 1:2 INFO :: Sending Packet - 1.2.3.4:443 5 bytes:\n"
        "03/02/2017|08:00:00.000 1:2 INFO :: hello world\n"
        "03/02/2017|08:00:00.000 1:2 INFO :: End of Sending Packet\n"
        "03/02/2017|08:00:00.000 1:2 INFO :: Sending Packet\n"
        "03/02/2017|08:00:00.000 1:2 INFO :: End of Sending Packet\n"
        "13/45/2017|08:00:00.000 1:2 INFO :: Sending Packet\n",
        run);
  EXPECT_TRUE(run.events.events.empty());
  ASSERT_EQ(run.problems.problems.size(), 2u);
  EXPECT_EQ(run.problems.problems[0].line, 1u);
  EXPECT_EQ(run.problems.problems[1].line, 4u);
}

}  // namespace
}  // namespace fedtriage
