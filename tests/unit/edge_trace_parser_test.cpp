#include "parsers/edge/edge_trace_parser.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "lib/core/timestamp.h"
#include "parsers/edge/edge_header.h"
#include "tests/support/collecting_sinks.h"

namespace fedtriage {
namespace {

using Events = testing::CollectingEvents;
using Problems = testing::CollectingProblems;

std::string fixture(const std::string& name) {
  return testing::read_file(std::string(FEDTRIAGE_TESTDATA_DIR) + "/edge/" + name);
}

struct Parsed {
  Events events;
  Problems problems;
};

// Feeds `text` line by line (split on '\n', '\r' dropped) as the file layer would.
void parse(const std::string& name, const std::string& text, Parsed& run) {
  ParserContext ctx;
  ctx.file = name;
  ctx.events = &run.events;
  ctx.problems = &run.problems;
  EdgeTraceParser parser(ctx);
  testing::feed_text(parser, text);
}

std::string field(const Event& e, std::string_view key) {
  const std::string* v = find_field(e.fields, key);
  return v ? *v : "<missing>";
}

TEST(EdgeHeader, ScansSfb2015Header) {
  auto h = scan_edge_header(
      "TL_WARN(TF_DIAG) [sfvedge\\sfvedge]0584.0A44::03/02/2017-07:10:46.230.0000773E "
      "(SIPStack,SIPAdminLog::WriteDiagnosticEvent:SIPAdminLog.cpp(830)) [156659184] "
      "$$begin_record");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->level, "WARN");
  EXPECT_EQ(h->flag, "TF_DIAG");
  EXPECT_EQ(h->machine, "sfvedge");
  EXPECT_EQ(h->thread, "0584.0A44");
  EXPECT_EQ(format_iso_utc(h->ts_ms), "2017-03-02T07:10:46.230Z");
  EXPECT_EQ(h->component, "SIPStack");
  EXPECT_EQ(h->location, "SIPAdminLog::WriteDiagnosticEvent:SIPAdminLog.cpp(830)");
  EXPECT_EQ(h->correlation_id, "156659184");
  EXPECT_TRUE(h->begin_record);
  EXPECT_EQ(h->inline_body, "");
  EXPECT_EQ(h->free_text, "");
}

TEST(EdgeHeader, ScansOcs2007R2HeaderAndComponentText) {
  auto h = scan_edge_header(
      "TL_INFO(TF_PROTOCOL) [0]06E4.0EB4::01/18/2012-05:00:43.101.00005386 "
      "(SIPStack,SIPAdminLog::TraceProtocolRecord:SIPAdminLog.cpp(125))$$begin_record");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->machine, "");
  EXPECT_EQ(h->correlation_id, "");
  EXPECT_TRUE(h->begin_record);
  EXPECT_EQ(format_iso_utc(h->ts_ms), "2012-01-18T05:00:43.101Z");

  auto c = scan_edge_header(
      "TL_ERROR(TF_COMPONENT) [0]0860.0CDC::01/18/2012-05:07:42.622.000d0b31 "
      "(SIPStack,CSIPRequest::GetNextHopByRouteHeader:SIPRequest.cpp(2440))( 00000000028FDD70 ) "
      "Exit - route headers from untrusted source. Result 0xC3E93C5E(SIPPROXY_E_ROUTING)");
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->begin_record);
  EXPECT_EQ(c->location, "CSIPRequest::GetNextHopByRouteHeader:SIPRequest.cpp(2440)");
  EXPECT_EQ(c->free_text,
            "( 00000000028FDD70 ) Exit - route headers from untrusted source. Result "
            "0xC3E93C5E(SIPPROXY_E_ROUTING)");
}

TEST(EdgeHeader, RejectsNonHeaders) {
  EXPECT_FALSE(scan_edge_header("TL_"));
  EXPECT_FALSE(scan_edge_header("TL_INFO(TF_DIAG) [x]1.2::13/45/2017-07:10:46.230.1 (a,b)"));
  EXPECT_FALSE(scan_edge_header("Severity: warning"));
  EXPECT_FALSE(scan_edge_header("TL_INFO(XX_DIAG) [x]1.2::03/02/2017-07:10:46.230.1 (a,b)"));
}

TEST(EdgeHeader, ResultCodeBothShapes) {
  std::string code, name;
  ASSERT_TRUE(parse_result_code("0xc3e93d6f SIPPROXY_E_EPROUTING_MSG_ALLOWED_DOMAIN_NO_SRV_MATCH",
                                &code, &name));
  EXPECT_EQ(code, "0xc3e93d6f");
  EXPECT_EQ(name, "SIPPROXY_E_EPROUTING_MSG_ALLOWED_DOMAIN_NO_SRV_MATCH");
  ASSERT_TRUE(parse_result_code("0xC3E93C5E(SIPPROXY_E_ROUTING)", &code, &name));
  EXPECT_EQ(code, "0xc3e93c5e");
  EXPECT_EQ(name, "SIPPROXY_E_ROUTING");
  EXPECT_FALSE(parse_result_code("no code", &code, &name));
}

TEST(EdgeTrace, SniffsEdgeTraceOnly) {
  EXPECT_TRUE(looks_like_edge_trace(fixture("sfvedge_federation.log")));
  EXPECT_TRUE(looks_like_edge_trace(fixture("ocs2007r2_edge.log")));
  EXPECT_TRUE(looks_like_edge_trace(fixture("seed_flattened.log")));
  EXPECT_FALSE(looks_like_edge_trace("03/02/2017|08:10:46.221 1A2C:2B3C INFO  :: hello\n"));
  EXPECT_FALSE(looks_like_edge_trace("TL_ nothing\nSeverity: x\n"));
}

TEST(EdgeTrace, MultiLineFederationTrace) {
  Parsed run;
  parse("sfvedge_federation.log", fixture("sfvedge_federation.log"), run);
  EXPECT_TRUE(run.problems.problems.empty());
  ASSERT_EQ(run.events.events.size(), 4u);  // CERT_MISMATCH, INVITE, NO_SRV_MATCH, 504

  const Event& cert = run.events.events[0];
  EXPECT_EQ(cert.kind, EventKind::Diagnostic);
  EXPECT_EQ(cert.source, Source::Edge);
  EXPECT_EQ(cert.basis, TimeBasis::Utc);
  EXPECT_EQ(format_iso_utc(cert.ts_ms), "2017-03-02T06:30:40.025Z");
  EXPECT_EQ(cert.origin.file, "sfvedge_federation.log");
  EXPECT_EQ(cert.origin.line, 10u);
  EXPECT_EQ(cert.host, "sfvedge");
  EXPECT_EQ(cert.call_id, "e144704c-1dd0-4ea7-929f-77e7e071c24c");
  EXPECT_EQ(cert.cseq, "1567605805 INVITE");
  EXPECT_EQ(cert.remote, "vcse.steven.lab:25001");
  EXPECT_EQ(field(cert, "level"), "ERROR");
  EXPECT_EQ(field(cert, "flag"), "TF_DIAG");
  EXPECT_EQ(field(cert, "severity"), "error");
  EXPECT_EQ(field(cert, "result_code"), "0xc3e93d67");
  EXPECT_EQ(field(cert, "result_name"), "SIPPROXY_E_ROUTING_MSG_CERT_MISMATCH");
  EXPECT_EQ(field(cert, "text"),
            "Message cannot be routed because the peer's certificate does not contain a "
            "matching FQDN");
  EXPECT_EQ(field(cert, "sip_start_line"), "INVITE sip:stejanss@skype.lab SIP/2.0");
  EXPECT_EQ(field(cert, "component"), "SIPStack");
  EXPECT_EQ(field(cert, "correlation_id"), "3634190282");
  EXPECT_EQ(field(cert, "data.expected-fqdn"), "vcse.acano.steven.lab");
  EXPECT_EQ(field(cert, "data.certName"), "vcse.steven.lab");
  EXPECT_EQ(field(cert, "data.info"), "The peer certificate does not contain a matching FQDN");
  EXPECT_TRUE(cert.raw.starts_with("TL_ERROR(TF_DIAG)"));
  EXPECT_TRUE(cert.raw.ends_with("$$end_record"));

  const Event& invite = run.events.events[1];
  EXPECT_EQ(invite.kind, EventKind::Sip);
  EXPECT_EQ(invite.origin.line, 27u);
  EXPECT_EQ(format_iso_utc(invite.ts_ms), "2017-03-02T07:10:46.228Z");
  EXPECT_EQ(invite.direction, Direction::In);
  EXPECT_EQ(invite.remote, "vcse.steven.lab:25002");
  EXPECT_EQ(invite.call_id, "f1b3ad5d-183b-4632-b210-c2f9bec71960");
  EXPECT_EQ(invite.cseq, "2066245576 INVITE");
  EXPECT_EQ(field(invite, "direction_source"), "external edge");
  EXPECT_EQ(field(invite, "direction_destination"), "internal edge");
  EXPECT_EQ(field(invite, "message_type"), "request");
  EXPECT_EQ(field(invite, "correlation_id"), "156659184");
  ASSERT_TRUE(invite.sip);
  EXPECT_TRUE(invite.sip->is_request);
  EXPECT_EQ(invite.sip->method, "INVITE");
  EXPECT_EQ(invite.sip->request_uri, "sip:stejanss@skype.lab");
  ASSERT_EQ(invite.sip->vias.size(), 3u);
  EXPECT_EQ(invite.sip->vias[0].proxy_call_id, "6b2a018a-2da5-4013-a7e5-4e1455feadf7");
  EXPECT_EQ(invite.sip->from.tag, "9fea3e7d70afd884");
  EXPECT_NE(invite.sip->body.find("m=audio 36000 RTP/AVP 0 8 101"), std::string::npos);
  EXPECT_TRUE(invite.raw.find("Message-Body: v=0") != std::string::npos);

  const Event& srv = run.events.events[2];
  EXPECT_EQ(srv.kind, EventKind::Diagnostic);
  EXPECT_EQ(srv.origin.line, 54u);
  EXPECT_EQ(field(srv, "level"), "WARN");
  EXPECT_EQ(field(srv, "text"),
            "The domain of the message resolved by DNS SRV but none of the FQDNs is in the same "
            "domain");
  EXPECT_EQ(field(srv, "result_code"), "0xc3e93d6f");
  EXPECT_EQ(field(srv, "result_name"), "SIPPROXY_E_EPROUTING_MSG_ALLOWED_DOMAIN_NO_SRV_MATCH");
  EXPECT_EQ(field(srv, "data.domain"), "acano.steven.lab");
  EXPECT_EQ(field(srv, "data.fqdn1"), "vcse.steven.lab:5061");
  EXPECT_EQ(srv.summary,
            "SIPPROXY_E_EPROUTING_MSG_ALLOWED_DOMAIN_NO_SRV_MATCH: The domain of the message "
            "resolved by DNS SRV but none of the FQDNs is in the same domain");

  const Event& resp = run.events.events[3];
  EXPECT_EQ(resp.kind, EventKind::Sip);
  EXPECT_EQ(resp.direction, Direction::Out);
  EXPECT_EQ(resp.origin.line, 64u);
  EXPECT_EQ(resp.call_id, "f1b3ad5d-183b-4632-b210-c2f9bec71960");
  EXPECT_EQ(resp.cseq, "2066245576 INVITE");
  ASSERT_TRUE(resp.sip);
  EXPECT_FALSE(resp.sip->is_request);
  EXPECT_EQ(resp.sip->status_code, 504);
  EXPECT_EQ(resp.sip->reason_phrase, "Server time-out");
  EXPECT_EQ(resp.sip->server, "RTC/6.0");
  EXPECT_EQ(resp.sip->body, "");
  EXPECT_EQ(field(resp, "direction_source"), "local");
}

TEST(EdgeTrace, FlattenedSeedEqualsMultiLine) {
  Parsed flat, multi;
  parse("seed_flattened.log", fixture("seed_flattened.log"), flat);
  parse("sfvedge_federation.log", fixture("sfvedge_federation.log"), multi);
  EXPECT_TRUE(flat.problems.problems.empty());
  ASSERT_EQ(flat.events.events.size(), 2u);
  ASSERT_EQ(multi.events.events.size(), 4u);
  const std::pair<const Event*, const Event*> pairs[] = {
      {&flat.events.events[0], &multi.events.events[2]},
      {&flat.events.events[1], &multi.events.events[0]}};
  for (auto [f, m] : pairs) {
    EXPECT_EQ(f->kind, EventKind::Diagnostic);
    EXPECT_EQ(f->fields, m->fields);
    EXPECT_EQ(f->ts_ms, m->ts_ms);
    EXPECT_EQ(f->host, m->host);
    EXPECT_EQ(f->call_id, m->call_id);
    EXPECT_EQ(f->cseq, m->cseq);
    EXPECT_EQ(f->remote, m->remote);
    EXPECT_EQ(f->summary, m->summary);
  }
  EXPECT_EQ(flat.events.events[0].origin.line, 1u);
  EXPECT_EQ(flat.events.events[1].origin.line, 2u);
  EXPECT_EQ(field(flat.events.events[0], "data.fqdn1"), "vcse.steven.lab:5061");
  EXPECT_EQ(field(flat.events.events[1], "data.info"),
            "The peer certificate does not contain a matching FQDN");
}

TEST(EdgeTrace, FlattenedProtocolRecord) {
  Parsed run;
  parse("flat.log",
        "TL_INFO(TF_PROTOCOL) [sfvedge\\sfvedge]0584.0A44::03/02/2017-07:10:46.231.00007740 "
        "(SIPStack,SIPAdminLog::TraceProtocolRecord:SIPAdminLog.cpp(125)) [156659184] "
        "$$begin_record Direction: outgoing;source=\"local\";destination=\"external edge\" Peer: "
        "vcse.steven.lab:25002 Message-Type: response Start-Line: SIP/2.0 504 Server time-out "
        "From: <sip:2000@acano.steven.lab>;tag=9fea3e7d70afd884 To: <sip:stejanss@skype.lab> "
        "Call-ID: f1b3ad5d-183b-4632-b210-c2f9bec71960 CSeq: 2066245576 INVITE Content-Length: 0 "
        "Message-Body: - $$end_record\n",
        run);
  EXPECT_TRUE(run.problems.problems.empty());
  ASSERT_EQ(run.events.events.size(), 1u);
  const Event& e = run.events.events[0];
  EXPECT_EQ(e.direction, Direction::Out);
  EXPECT_EQ(e.remote, "vcse.steven.lab:25002");
  EXPECT_EQ(e.call_id, "f1b3ad5d-183b-4632-b210-c2f9bec71960");
  EXPECT_EQ(e.cseq, "2066245576 INVITE");
  ASSERT_TRUE(e.sip);
  EXPECT_EQ(e.sip->status_code, 504);
}

TEST(EdgeTrace, Ocs2007R2GluedBeginAndComponentRecords) {
  Parsed run;
  parse("ocs2007r2_edge.log", fixture("ocs2007r2_edge.log"), run);
  EXPECT_TRUE(run.problems.problems.empty());
  ASSERT_EQ(run.events.events.size(), 3u);

  const Event& options = run.events.events[0];
  EXPECT_EQ(options.kind, EventKind::Sip);
  EXPECT_EQ(options.origin.line, 7u);
  EXPECT_EQ(options.host, "");
  EXPECT_EQ(find_field(options.fields, "correlation_id"), nullptr);
  EXPECT_EQ(field(options, "trace_correlation_id"), "2003888399");
  EXPECT_EQ(options.remote, "lyncservr.contoso.com:61182");
  EXPECT_EQ(options.call_id, "017b06f397b14886bba5edf97ea206bd");
  EXPECT_EQ(options.cseq, "1 OPTIONS");
  ASSERT_TRUE(options.sip);
  EXPECT_EQ(options.sip->method, "OPTIONS");
  ASSERT_NE(options.sip->header("Route"), nullptr);

  const Event& route = run.events.events[1];
  EXPECT_EQ(route.kind, EventKind::Diagnostic);
  EXPECT_EQ(route.origin.line, 27u);
  EXPECT_EQ(field(route, "flag"), "TF_COMPONENT");
  EXPECT_EQ(field(route, "log_type"), "diagnostic");
  EXPECT_EQ(field(route, "severity"), "warning");
  EXPECT_EQ(field(route, "result_code"), "0xc3e93c5e");
  EXPECT_EQ(field(route, "result_name"), "SIPPROXY_E_ROUTING");
  EXPECT_EQ(route.call_id, "c00bc6180f284b948be61febf274d05e");
  EXPECT_EQ(route.cseq, "1 OPTIONS");
  EXPECT_EQ(format_iso_utc(route.ts_ms), "2012-01-18T05:07:42.622Z");
  EXPECT_NE(field(route, "header_text").find("route headers from untrusted source"),
            std::string::npos);

  // One-line component trace: the code comes from the header text.
  const Event& rejected = run.events.events[2];
  EXPECT_EQ(rejected.origin.line, 36u);
  EXPECT_EQ(field(rejected, "result_code"), "0xc3e93c5e");
  EXPECT_EQ(field(rejected, "result_name"), "SIPPROXY_E_ROUTING");
  EXPECT_EQ(rejected.call_id, "");
}

TEST(EdgeTrace, UnterminatedAndTruncatedRecords) {
  Parsed run;
  parse("truncated.log", fixture("truncated.log"), run);
  ASSERT_EQ(run.events.events.size(), 3u);
  // The TF_DIAG record lost its $$end_record: closed by the next header, not swallowing it.
  const Event& diag = run.events.events[0];
  EXPECT_EQ(diag.kind, EventKind::Diagnostic);
  EXPECT_EQ(diag.origin.line, 4u);
  EXPECT_EQ(field(diag, "result_code"), "0xc3e93d6f");
  EXPECT_EQ(diag.call_id, "f1b3ad5d-183b-4632-b210-c2f9bec71960");
  EXPECT_EQ(field(diag, "truncated"), "no $$end_record");
  const Event& resp = run.events.events[1];
  EXPECT_EQ(resp.origin.line, 10u);
  ASSERT_TRUE(resp.sip);
  EXPECT_EQ(resp.sip->status_code, 504);
  EXPECT_EQ(find_field(resp.fields, "truncated"), nullptr);
  // Cut off at end of file.
  const Event& ack = run.events.events[2];
  EXPECT_EQ(ack.origin.line, 22u);
  EXPECT_EQ(ack.cseq, "2066245576 ACK");
  EXPECT_EQ(field(ack, "truncated"), "truncated at end of file");

  // The skipped TF_CONNECTION record at line 1 is not closed before line 4's $$begin_record
  // either (#20): reported too.
  ASSERT_EQ(run.problems.problems.size(), 3u);
  EXPECT_EQ(run.problems.problems[0].line, 1u);
  EXPECT_NE(run.problems.problems[0].message.find(
                "record not closed before the next $$begin_record (line 4)"),
            std::string::npos);
  EXPECT_EQ(run.problems.problems[1].file, "truncated.log");
  EXPECT_EQ(run.problems.problems[1].line, 4u);
  EXPECT_EQ(run.problems.problems[1].severity, Problem::Severity::Warning);
  EXPECT_EQ(run.problems.problems[1].message.find("truncated.log"),
            std::string::npos);  // file:line is in the Problem, not repeated in the text
  EXPECT_NE(run.problems.problems[1].message.find("line 10"), std::string::npos);
  EXPECT_EQ(run.problems.problems[2].line, 22u);
  EXPECT_NE(run.problems.problems[2].message.find("truncated at end of file"), std::string::npos);
}

TEST(EdgeTrace, ComponentCodeFromHeaderTextWhenBodyHasNone) {
  Parsed run;
  // Fed with '\r' and a BOM still on the lines: the parser drops them itself.
  parse("c.log",
        "\xEF\xBB\xBFTL_ERROR(TF_COMPONENT) [0]0860.0CDC::01/18/2012-05:07:42.622.000d0b31 "
        "(SIPStack,CSIPRequest::GetNextHopByRouteHeader:SIPRequest.cpp(2440))( 00000000028FDD70 ) "
        "Exit. Result 0xC3E93C5E(SIPPROXY_E_ROUTING)\r\r\n"
        "LogType: diagnostic\r\r\n"
        "SIP-Call-ID: c00bc6180f284b948be61febf274d05e\r\r\n"
        "$$end_record\r\r\n",
        run);
  EXPECT_TRUE(run.problems.problems.empty());
  ASSERT_EQ(run.events.events.size(), 1u);
  const Event& e = run.events.events[0];
  EXPECT_EQ(e.origin.line, 1u);
  EXPECT_EQ(e.call_id, "c00bc6180f284b948be61febf274d05e");
  EXPECT_EQ(field(e, "level"), "ERROR");
  EXPECT_EQ(field(e, "log_type"), "diagnostic");
  EXPECT_EQ(field(e, "result_code"), "0xc3e93c5e");
  EXPECT_EQ(field(e, "result_name"), "SIPPROXY_E_ROUTING");
  EXPECT_EQ(e.summary,
            "SIPPROXY_E_ROUTING: ( 00000000028FDD70 ) Exit. Result 0xC3E93C5E(SIPPROXY_E_ROUTING)");
}

TEST(EdgeTrace, WrappedTextAndUpperCaseHex) {
  Parsed run;
  parse("w.log",
        "TL_WARN(TF_DIAG) [e\\e]1.2::03/02/2017-07:10:46.230.1 (SIPStack,X::Y:Z.cpp(1)) [7] "
        "$$begin_record\n"
        "Severity: warning\n"
        "Text: first part\n"
        "  second part\n"
        "Result-Code: 0xC3E93D6F SIPPROXY_E_EPROUTING_MSG_ALLOWED_DOMAIN_NO_SRV_MATCH\n"
        "Data: domain=\"a.b\"; fqdn1=\"x.y:5061\"; fqdn2=\"z.y:5061\"\n"
        "$$end_record\n",
        run);
  ASSERT_EQ(run.events.events.size(), 1u);
  const Event& e = run.events.events[0];
  EXPECT_EQ(e.host, "e");
  EXPECT_EQ(field(e, "text"), "first part second part");
  EXPECT_EQ(field(e, "result_code"), "0xc3e93d6f");
  EXPECT_EQ(field(e, "data.fqdn2"), "z.y:5061");
  EXPECT_EQ(e.call_id, "");
}

TEST(EdgeTrace, OversizedRecordIsDroppedAndReported) {
  Events events;
  Problems problems;
  ParserContext ctx;
  ctx.file = "big.log";
  ctx.events = &events;
  ctx.problems = &problems;
  EdgeTraceParser parser(ctx, 256);
  parser.feed(
      "TL_WARN(TF_DIAG) [e\\e]1.2::03/02/2017-07:10:46.230.1 (SIPStack,X::Y:Z.cpp(1)) [7] "
      "$$begin_record",
      1);
  uint64_t n = 2;
  for (; n < 40; ++n) parser.feed("Text: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", n);
  parser.feed("$$end_record", n++);
  parser.feed(
      "TL_WARN(TF_DIAG) [e\\e]1.2::03/02/2017-07:10:47.230.2 (SIPStack,X::Y:Z.cpp(1)) [8] "
      "$$begin_record",
      n++);
  parser.feed("Severity: warning", n++);
  parser.feed("$$end_record", n++);
  parser.finish();
  ASSERT_EQ(problems.problems.size(), 1u);
  EXPECT_EQ(problems.problems[0].line, 1u);
  ASSERT_EQ(events.events.size(), 1u);
  EXPECT_EQ(field(events.events[0], "correlation_id"), "8");
}

TEST(EdgeTrace, BrokenInputNeitherCrashesNorEmits) {
  Parsed run;
  parse("junk.log",
        "garbage\n$$end_record\nTL_INFO(TF_PROTOCOL) [0]1.2::03/02/2017-07:10:46.230.1 (a,b) "
        "$$begin_record\nStart-Line: not sip\n$$end_record\nTL_INFO(TF_PROTOCOL) [0]",
        run);
  EXPECT_TRUE(run.events.events.empty());
  ASSERT_EQ(run.problems.problems.size(), 2u);
  EXPECT_EQ(run.problems.problems[0].line, 2u);  // the stray $$end_record (#20)
  EXPECT_NE(run.problems.problems[0].message.find("stray $$end_record"), std::string::npos);
  EXPECT_EQ(run.problems.problems[1].line, 3u);
}

}  // namespace
}  // namespace fedtriage
