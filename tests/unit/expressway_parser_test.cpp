#include "parsers/expressway/expressway_parser.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "lib/core/timestamp.h"
#include "tests/support/collecting_sinks.h"
#include "tests/support/shared_logs.h"

namespace fedtriage {
namespace {

using testing::CollectingEvents;
using testing::CollectingProblems;

struct Parsed {
  CollectingEvents events;
  CollectingProblems problems;
};

Parsed parse_text(std::string_view text, std::string file = "test.log") {
  Parsed p;
  ExpresswayParser parser(ParserContext{std::move(file), &p.events, &p.problems, {}});
  testing::feed_text(parser, text);
  return p;
}

std::vector<const Event*> of_kind(const Parsed& p, EventKind k) {
  std::vector<const Event*> out;
  for (const auto& e : p.events.events) {
    if (e.kind == k) out.push_back(&e);
  }
  return out;
}

TEST(ExpresswayParser, RealX811LogGivesSixMessagesOverTwoCallIds) {
  FEDTRIAGE_REFERENCE_LOG_OR_SKIP(path, "expressway-e_mra_x8.11.txt");
  const std::string text = testing::read_file(path);
  ASSERT_FALSE(text.empty()) << "reference log missing";
  Parsed p = parse_text(text, "expressway-e_mra_x8.11.txt");
  auto sip = of_kind(p, EventKind::Sip);
  ASSERT_EQ(sip.size(), 6u);
  std::set<std::string> call_ids;
  for (auto* e : sip) call_ids.insert(e->call_id);
  EXPECT_EQ(call_ids, (std::set<std::string>{"e7e75ff9a67fb2435b25eab2a1498171",
                                             "22794c00-a4a17661-3a-6936510a@10.81.54.105"}));
  // Order and shape: INVITE in, 100 out, INVITE out, 100 in, INVITE in (2nd call), 100 out.
  const std::vector<std::pair<std::string, int>> expected = {{"INVITE", 0}, {"INVITE", 100},
                                                             {"INVITE", 0}, {"INVITE", 100},
                                                             {"INVITE", 0}, {"INVITE", 100}};
  const std::vector<Direction> dirs = {Direction::In, Direction::Out, Direction::Out,
                                       Direction::In, Direction::In,  Direction::Out};
  for (size_t i = 0; i < sip.size(); ++i) {
    ASSERT_TRUE(sip[i]->sip);
    EXPECT_EQ(sip[i]->sip->method, expected[i].first) << i;
    EXPECT_EQ(sip[i]->sip->status_code, expected[i].second) << i;
    EXPECT_EQ(sip[i]->direction, dirs[i]) << i;
  }
  EXPECT_EQ(sip[0]->cseq, "100 INVITE");
  EXPECT_EQ(sip[0]->remote, "10.122.73.183:47177");
  EXPECT_EQ(sip[0]->local, "10.81.54.5:5061");
  EXPECT_EQ(sip[0]->origin.line, 2u);  // the DEBUG line; its INFO twin (line 1) is not counted
  EXPECT_EQ(sip[0]->host, "vm-bluck-fed-vcse1");
  EXPECT_EQ(format_iso_utc(sip[0]->ts_ms), "2018-01-01T17:56:48.965Z");
  EXPECT_EQ(sip[1]->sip->reason_phrase, "Trying");
  // The INVITE with SDP keeps its body.
  EXPECT_NE(sip[0]->sip->body.find("a=sendrecv"), std::string::npos);
  // Rebuilt with CRLF, every body is exactly as long as its Content-Length says.
  for (auto* e : sip) EXPECT_EQ(e->sip->body.size(), e->sip->content_length.value_or(0));
  // Four Event= lines (2 x Call Attempted, 2 x Search Attempted), Call-serial-number kept.
  auto calls = of_kind(p, EventKind::CallEvent);
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_EQ(*find_field(calls[0]->fields, "event"), "Call Attempted");
  EXPECT_EQ(*find_field(calls[0]->fields, "call_serial_number"),
            "0b0cd0b8-4ed3-41fe-893e-6b896ec133fd");
  EXPECT_TRUE(p.problems.problems.empty());
}

TEST(ExpresswayParser, ProxyCallIdOfOutgoingViaEqualsCallSerialNumber) {
  FEDTRIAGE_REFERENCE_LOG_OR_SKIP(path, "expressway-e_mra_x8.11.txt");
  Parsed p = parse_text(testing::read_file(path));
  auto sip = of_kind(p, EventKind::Sip);
  ASSERT_GE(sip.size(), 3u);
  ASSERT_FALSE(sip[2]->sip->vias.empty());
  EXPECT_EQ(sip[2]->sip->vias[0].proxy_call_id, "0b0cd0b8-4ed3-41fe-893e-6b896ec133fd");
}

TEST(ExpresswayParser, SeedFlattenedFiveOhFour) {
  Parsed p = parse_text(testing::read_file(std::string(FEDTRIAGE_TESTDATA_DIR) +
                                           "/expressway/seed_504_flattened.log"));
  auto sip = of_kind(p, EventKind::Sip);
  ASSERT_EQ(sip.size(), 1u);
  const Event& e = *sip[0];
  EXPECT_EQ(e.call_id, "f1b3ad5d-183b-4632-b210-c2f9bec71960");
  EXPECT_EQ(e.cseq, "2066245576 INVITE");
  EXPECT_EQ(e.sip->status_code, 504);
  EXPECT_EQ(e.sip->reason_phrase, "Server time-out");
  EXPECT_EQ(e.sip->server, "RTC/6.0");
  EXPECT_EQ(e.sip->from.display_name, "DX70 Steven");
  EXPECT_EQ(e.direction, Direction::In);
  EXPECT_EQ(e.remote, "10.48.36.6:5061");
  EXPECT_EQ(format_iso_utc(e.ts_ms), "2017-03-02T07:10:46.240Z");
}

TEST(ExpresswayParser, FederationFailureLogGivesSipEventsDnsAndCallEvents) {
  Parsed p = parse_text(
      testing::read_file(std::string(FEDTRIAGE_TESTDATA_DIR) + "/expressway/federation_504.log"));
  auto sip = of_kind(p, EventKind::Sip);
  ASSERT_EQ(sip.size(), 2u);
  EXPECT_EQ(sip[0]->sip->method, "INVITE");
  EXPECT_EQ(sip[0]->direction, Direction::Out);
  EXPECT_EQ(sip[0]->sip->vias.size(), 3u);
  EXPECT_EQ(sip[1]->sip->status_code, 504);
  EXPECT_EQ(*find_field(sip[1]->fields, "summary_line"), "38");
  auto dns = of_kind(p, EventKind::Dns);
  ASSERT_EQ(dns.size(), 2u);
  EXPECT_EQ(*find_field(dns[0]->fields, "name"), "_sipfederationtls._tcp.skype.lab");
  auto calls = of_kind(p, EventKind::CallEvent);
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(*find_field(calls[2]->fields, "event"), "Call Rejected");
  EXPECT_EQ(*find_field(calls[2]->fields, "reason"), "Server time-out");
  EXPECT_EQ(*find_field(calls[2]->fields, "call_serial_number"),
            "6b2a018a-2da5-4013-a7e5-4e1455feadf7");
  // Established is no failure: no event. Connecting is kept (it ties an outbound failure to
  // the call that made the Expressway connect), as an outbound tcp event.
  for (const Event* e : of_kind(p, EventKind::Tcp)) {
    EXPECT_EQ(*find_field(e->fields, "detail"), "TCP Connecting");
    EXPECT_EQ(e->direction, Direction::Out);
  }
  EXPECT_TRUE(p.problems.problems.empty());
}

TEST(ExpresswayParser, TlsFailuresFromEventsSslAndTcp) {
  Parsed p = parse_text(
      testing::read_file(std::string(FEDTRIAGE_TESTDATA_DIR) + "/expressway/tls_failures.log"));
  auto tls = of_kind(p, EventKind::Tls);
  ASSERT_EQ(tls.size(), 5u);
  EXPECT_EQ(*find_field(tls[0]->fields, "event"), "Inbound TLS Negotiation Error");
  EXPECT_EQ(tls[0]->remote, "146.20.193.73:58531");
  EXPECT_EQ(tls[1]->remote, "146.20.193.73:58531");
  EXPECT_EQ(tls[1]->local, "172.16.2.2:5062");
  EXPECT_NE(tls[1]->summary.find("certificate verify failed"), std::string::npos);
  EXPECT_EQ(*find_field(tls[2]->fields, "reason"), "self signed certificate in certificate chain");
  EXPECT_EQ(*find_field(tls[3]->fields, "common_name"), "callservice.ciscospark.com");
  EXPECT_EQ(tls[3]->remote, "198.101.251.5:5062");
  // Syslog-forwarded line with the doubled tag.
  EXPECT_EQ(*find_field(tls[4]->fields, "reason"),
            "Peer's TLS certificate identity was unacceptable");
  EXPECT_EQ(tls[4]->host, "vcse");
  auto tcp = of_kind(p, EventKind::Tcp);
  ASSERT_EQ(tcp.size(), 2u);  // "TCP Connection Failed" and the EOF close
  EXPECT_EQ(format_iso_utc(tcp[0]->ts_ms), "2016-04-19T07:09:13.980Z");
}

TEST(ExpresswayParser, OldVcsLayoutThreeMessages) {
  FEDTRIAGE_REFERENCE_LOG_OR_SKIP(path, "vcs-x7.2_samples.txt");
  Parsed p = parse_text(testing::read_file(path));
  auto sip = of_kind(p, EventKind::Sip);
  ASSERT_EQ(sip.size(), 3u);
  EXPECT_EQ(sip[0]->sip->method, "INFO");
  EXPECT_EQ(sip[0]->direction, Direction::In);
  EXPECT_EQ(sip[0]->sip->body.size(), 261u);
  EXPECT_EQ(sip[1]->sip->status_code, 200);
  EXPECT_EQ(sip[1]->cseq, "206 PUBLISH");
  EXPECT_EQ(sip[1]->direction, Direction::Out);
  EXPECT_EQ(sip[2]->sip->method, "OPTIONS");
  EXPECT_TRUE(sip[2]->sip->body.ends_with("</resourceusageinfo>"));
  for (auto* e : sip) EXPECT_EQ(e->sip->body.size(), e->sip->content_length.value_or(0));
  std::set<std::string> ids;
  for (auto* e : sip) ids.insert(e->call_id);
  EXPECT_EQ(ids.size(), 3u);
}

TEST(ExpresswayParser, TruncatedBlockAtEndOfFileIsReportedAndKept) {
  std::string text =
      testing::read_file(std::string(FEDTRIAGE_TESTDATA_DIR) + "/expressway/federation_504.log");
  text = text.substr(0, text.find(" Server: RTC/6.0"));
  Parsed p = parse_text(text, "cut.log");
  auto sip = of_kind(p, EventKind::Sip);
  ASSERT_EQ(sip.size(), 2u);
  EXPECT_EQ(sip[1]->sip->status_code, 504);
  ASSERT_EQ(p.problems.problems.size(), 1u);
  EXPECT_EQ(p.problems.problems[0].file, "cut.log");
  EXPECT_EQ(p.problems.problems[0].line, 39u);
  EXPECT_NE(p.problems.problems[0].message.find("truncated"), std::string::npos);
}

TEST(ExpresswayParser, InfoOnlyLoggingStillYieldsMessages) {
  // Without DEBUG SIPMSG blocks the INFO summary is all there is: keep it as a SIP event.
  Parsed p = parse_text(
      "2018-01-01T12:56:48.964-05:00 h tvcs: UTCTime=\"2018-01-01 17:56:48,964\" "
      "Module=\"network.sip\" Level=\"INFO\":  Action=\"Received\" Local-ip=\"10.0.0.1\" "
      "Local-port=\"5061\" Src-ip=\"10.0.0.2\" Src-port=\"5061\" Detail=\"Receive Response "
      "Code=504, Method=INVITE, CSeq=7, To=sip:a@b, Call-ID=abc, From-Tag=1, To-Tag=2, "
      "Msg-Hash=99, Local-SessionID=, Remote-SessionID=\"\n");
  auto sip = of_kind(p, EventKind::Sip);
  ASSERT_EQ(sip.size(), 1u);
  EXPECT_EQ(sip[0]->call_id, "abc");
  EXPECT_EQ(sip[0]->cseq, "7 INVITE");
  EXPECT_EQ(sip[0]->sip->status_code, 504);
  EXPECT_EQ(sip[0]->direction, Direction::In);
}

TEST(ExpresswayParser, GarbageNeverCrashes) {
  std::string junk = "2018-01-01T tvcs: Module=\"network.sip\" Level=\"DEBUG\": Msg-Hash=\"";
  junk += "\n SIPMSG:\n |\n\x01\x02 tvcs: Event=\"\n<<< tvcs: UTCTime=\"x\"\n";
  junk += std::string("\0\0\xff", 3);
  Parsed p = parse_text(junk);
  EXPECT_TRUE(of_kind(p, EventKind::Sip).empty());
}

TEST(ExpresswayParser, Sniffing) {
  EXPECT_TRUE(looks_like_expressway_log(
      "2018-01-01T12:56:48.964-05:00 vm tvcs: UTCTime=\"2018-01-01 17:56:48,964\" Module=\"x\""));
  EXPECT_TRUE(looks_like_expressway_log("<166>1 2017 host tvcs: tvcs: UTCTime=\"...\""));
  EXPECT_FALSE(looks_like_expressway_log("TL_INFO(TF_PROTOCOL) [0]06E4.0EB4::01/18/2012"));
  EXPECT_FALSE(looks_like_expressway_log("hello world\n"));
}

}  // namespace
}  // namespace fedtriage
