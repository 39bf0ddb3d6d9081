#include "lib/sip/sip_message.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace fedtriage {
namespace {

std::string read_testdata(const std::string& rel) {
  std::ifstream in(std::string(FEDTRIAGE_TESTDATA_DIR) + "/" + rel, std::ios::binary);
  EXPECT_TRUE(in) << "missing testdata " << rel;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string param_or(const MsDiagnostic& d, std::string_view key) {
  const std::string* v = d.param(key);
  return v ? *v : std::string("<absent>");
}

SipMessage parse_ok(std::string_view text) {
  SipParseError err;
  auto m = parse_sip_message(text, &err);
  EXPECT_TRUE(m) << err.message << " at line " << err.line;
  return m ? *m : SipMessage{};
}

// ---- start line -----------------------------------------------------------------------------

TEST(SipMessage, RequestLine) {
  auto m = parse_ok("INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: a\r\n\r\n");
  EXPECT_TRUE(m.is_request);
  EXPECT_EQ(m.method, "INVITE");
  EXPECT_EQ(m.request_uri, "sip:bob@example.com");
  EXPECT_EQ(m.status_code, 0);
  EXPECT_EQ(m.call_id, "a");
}

TEST(SipMessage, StatusLineTakesMethodFromCSeq) {
  auto m = parse_ok("SIP/2.0 180 Ringing\nCSeq: 7 INVITE\n\n");
  EXPECT_FALSE(m.is_request);
  EXPECT_EQ(m.status_code, 180);
  EXPECT_EQ(m.reason_phrase, "Ringing");
  EXPECT_EQ(m.method, "INVITE");
  EXPECT_EQ(m.cseq_number, 7u);
  EXPECT_EQ(m.cseq(), "7 INVITE");
}

TEST(SipMessage, ExtraSpacesInStartLine) {
  auto m = parse_ok("  INVITE   sip:a@b   SIP/2.0  \r\n\r\n");
  EXPECT_EQ(m.method, "INVITE");
  EXPECT_EQ(m.request_uri, "sip:a@b");
  auto r = parse_ok("SIP/2.0   504    Server   time-out  \n\n");
  EXPECT_EQ(r.status_code, 504);
  EXPECT_EQ(r.reason_phrase, "Server   time-out");
}

TEST(SipMessage, LeadingEmptyLinesIgnored) {
  auto m = parse_ok("\r\n\r\nOPTIONS sip:a@b SIP/2.0\r\n\r\n");
  EXPECT_EQ(m.method, "OPTIONS");
}

TEST(SipMessage, BadStartLines) {
  for (std::string_view bad :
       {"", "\r\n\r\n", "hello world", "INVITE sip:a@b", "INVITE sip:a@b HTTP/1.1",
        "SIP/2.0 5040 Bad", "SIP/2.0 OK", "SIP/2.0", "SIP/3.0 200 OK", "INV:ITE sip:a@b SIP/2.0",
        "INVITE SIP/2.0", "SIP/2.0 099 Low", "SIP/2.0 700 High"}) {
    SipParseError err;
    EXPECT_FALSE(parse_sip_message(bad, &err)) << bad;
    EXPECT_FALSE(err.message.empty()) << bad;
    EXPECT_FALSE(looks_like_sip_start_line(bad)) << bad;
  }
  SipParseError err;
  EXPECT_FALSE(parse_sip_message("\n\nnot sip\nVia: x\n", &err));
  EXPECT_EQ(err.line, 3u);
}

TEST(SipMessage, LooksLikeStartLine) {
  EXPECT_TRUE(looks_like_sip_start_line("SIP/2.0 200 OK"));
  EXPECT_TRUE(looks_like_sip_start_line("SIP/2.0 100 "));
  EXPECT_TRUE(looks_like_sip_start_line("INVITE sip:stejanss@skype.lab SIP/2.0"));
  EXPECT_TRUE(looks_like_sip_start_line("sip/2.0 200 OK"));
  EXPECT_FALSE(looks_like_sip_start_line("Via: SIP/2.0/TLS 10.0.0.1"));
  EXPECT_FALSE(looks_like_sip_start_line("2017-03-02T08:10:46.240+01:00 vcse tvcs: SIP/2.0"));
}

// ---- headers --------------------------------------------------------------------------------

TEST(SipMessage, CompactFormsAndCaseInsensitiveLookup) {
  auto m = parse_ok(
      "INVITE sip:a@b SIP/2.0\n"
      "i: cid-1\n"
      "f: <sip:x@y>;tag=ft\n"
      "t: sip:a@b\n"
      "v: SIP/2.0/UDP h1;branch=z1\n"
      "m: <sip:x@h1>\n"
      "l: 0\n"
      "c: application/sdp\n"
      "k: timer\n"
      "s: hi\n"
      "e: gzip\n"
      "o: presence\n"
      "cseq: 3 INVITE\n"
      "\n");
  EXPECT_EQ(m.call_id, "cid-1");
  EXPECT_EQ(m.from.uri, "sip:x@y");
  EXPECT_EQ(m.from.tag, "ft");
  EXPECT_EQ(m.to.uri, "sip:a@b");
  ASSERT_EQ(m.vias.size(), 1u);
  EXPECT_EQ(m.content_length, 0u);
  for (auto [lng, val] : std::initializer_list<std::pair<std::string_view, std::string_view>>{
           {"Call-ID", "cid-1"},
           {"CALL-ID", "cid-1"},
           {"Contact", "<sip:x@h1>"},
           {"content-type", "application/sdp"},
           {"Supported", "timer"},
           {"Subject", "hi"},
           {"Content-Encoding", "gzip"},
           {"Event", "presence"},
           {"CSeq", "3 INVITE"}}) {
    const SipHeader* h = m.header(lng);
    ASSERT_NE(h, nullptr) << lng;
    EXPECT_EQ(h->value, val) << lng;
  }
  // Long names find compact headers and compact names find long ones.
  auto n = parse_ok("SIP/2.0 200 OK\nCall-ID: q\nContent-Length: 5\n\nhello");
  ASSERT_NE(n.header("i"), nullptr);
  EXPECT_EQ(n.header("I")->value, "q");
  EXPECT_EQ(n.header("l")->value, "5");
  EXPECT_EQ(n.header("x"), nullptr);
  EXPECT_EQ(n.header("From"), nullptr);
  EXPECT_EQ(n.body, "hello");
  EXPECT_EQ(n.headers[0].name, "Call-ID");
}

TEST(SipMessage, FoldedLinesJoinedWithOneSpace) {
  auto m = parse_ok(
      "OPTIONS sip:a@b SIP/2.0\r\n"
      "Subject: first\r\n"
      "   second  \r\n"
      "\tthird\r\n"
      "Call-ID:\r\n"
      " folded-id\r\n"
      "\r\n");
  EXPECT_EQ(m.header("Subject")->value, "first second third");
  EXPECT_EQ(m.call_id, "folded-id");
}

TEST(SipMessage, HeaderLinesWithoutColonAreSkipped) {
  auto m = parse_ok(
      "OPTIONS sip:a@b SIP/2.0\n"
      "  orphan continuation\n"
      "garbage line\n"
      "  continuation of garbage\n"
      "Call-ID: x\n"
      "Weird Header Name With Spaces: v\n"
      ": no name\n"
      "\n");
  ASSERT_EQ(m.headers.size(), 3u);
  EXPECT_EQ(m.headers[0].name, "Call-ID");
  EXPECT_EQ(m.headers[0].value, "x");
  EXPECT_EQ(m.headers[1].name, "Weird Header Name With Spaces");
  EXPECT_EQ(m.headers[2].name, "");
  EXPECT_EQ(m.headers[2].value, "no name");
}

TEST(SipMessage, BodyIsEverythingAfterFirstEmptyLine) {
  std::string text = "SIP/2.0 200 OK\r\nContent-Length: 10\r\n\r\nv=0\r\n\r\nrest\r\n";
  auto m = parse_ok(text);
  EXPECT_EQ(m.body, "v=0\r\n\r\nrest\r\n");
  EXPECT_EQ(m.content_length, 10u);
  auto no_body = parse_ok("SIP/2.0 200 OK\r\nCall-ID: a");
  EXPECT_EQ(no_body.body, "");
  EXPECT_EQ(no_body.call_id, "a");
  // A line of blanks also ends the headers (logs keep stray spaces on the separator).
  auto blanks = parse_ok("SIP/2.0 200 OK\nCall-ID: a\n   \nbody");
  EXPECT_EQ(blanks.body, "body");
}

TEST(SipMessage, ContentLengthStrict) {
  EXPECT_FALSE(parse_ok("SIP/2.0 200 OK\nContent-Length: -1\n\n").content_length);
  EXPECT_FALSE(parse_ok("SIP/2.0 200 OK\nContent-Length: 12a\n\n").content_length);
  EXPECT_FALSE(
      parse_ok("SIP/2.0 200 OK\nContent-Length: 99999999999999999999999\n\n").content_length);
  EXPECT_FALSE(parse_ok("SIP/2.0 200 OK\n\n").content_length);
  EXPECT_EQ(parse_ok("SIP/2.0 200 OK\nContent-Length:   0042 \n\n").content_length, 42u);
}

TEST(SipMessage, CSeq) {
  auto m = parse_ok("SIP/2.0 200 OK\nCSeq:   0009\n  INVITE\n\n");
  EXPECT_EQ(m.cseq_number, 9u);
  EXPECT_EQ(m.cseq_method, "INVITE");
  EXPECT_EQ(m.cseq(), "9 INVITE");
  auto big = parse_ok("SIP/2.0 200 OK\nCSeq: 4294967296 BYE\n\n");
  EXPECT_EQ(big.cseq_number, 0u);
  EXPECT_EQ(big.cseq_method, "BYE");
  auto max = parse_ok("SIP/2.0 200 OK\nCSeq: 4294967295 BYE\n\n");
  EXPECT_EQ(max.cseq_number, 4294967295u);
  EXPECT_EQ(parse_ok("SIP/2.0 200 OK\n\n").cseq(), "");
}

TEST(SipMessage, NameAddrForms) {
  auto m = parse_ok(
      "SIP/2.0 200 OK\n"
      "From: \"Steven Janssens\"<sip:stejanss@skype.lab>;tag=280f2bf329;epid=c21eec507a\n"
      "To: sip:a@b;tag=x\n\n");
  EXPECT_EQ(m.from.display_name, "Steven Janssens");
  EXPECT_EQ(m.from.uri, "sip:stejanss@skype.lab");
  EXPECT_EQ(m.from.tag, "280f2bf329");
  EXPECT_TRUE(m.from.present);
  EXPECT_EQ(m.to.display_name, "");
  EXPECT_EQ(m.to.uri, "sip:a@b");
  EXPECT_EQ(m.to.tag, "x");

  auto t = parse_ok(
      "SIP/2.0 200 OK\n"
      "From: Bob Smith <sip:bob@b;transport=tcp>;TAG=t1\n"
      "To: <sip:a@b;lr>\n\n");
  EXPECT_EQ(t.from.display_name, "Bob Smith");
  EXPECT_EQ(t.from.uri, "sip:bob@b;transport=tcp");
  EXPECT_EQ(t.from.tag, "t1");
  EXPECT_EQ(t.to.uri, "sip:a@b;lr");
  EXPECT_EQ(t.to.tag, "");
  EXPECT_TRUE(t.to.present);

  auto absent = parse_ok("SIP/2.0 200 OK\n\n");
  EXPECT_FALSE(absent.from.present);
  EXPECT_FALSE(absent.to.present);
}

TEST(SipMessage, NameAddrMalformedDoesNotCrash) {
  for (std::string_view v : {"\"unterminated <sip:a@b>", "<sip:a@b", "\"x\"", "<", ">", "\"",
                             ";tag=", "\"\\", "<>;tag", "\"a\" junk <sip:a>;tag=1"}) {
    std::string text = "SIP/2.0 200 OK\nFrom: " + std::string(v) + "\n\n";
    auto m = parse_ok(text);
    EXPECT_TRUE(m.from.present) << v;
  }
  auto m = parse_ok("SIP/2.0 200 OK\nFrom: <sip:a@b\n\n");
  EXPECT_EQ(m.from.uri, "sip:a@b");
  auto q = parse_ok("SIP/2.0 200 OK\nFrom: \"a\" junk <sip:a>;tag=1\n\n");
  EXPECT_EQ(q.from.display_name, "a");
  EXPECT_EQ(q.from.uri, "sip:a");
  EXPECT_EQ(q.from.tag, "1");
}

TEST(SipMessage, ViaCommaSeparatedAndRepeated) {
  auto m = parse_ok(
      "SIP/2.0 200 OK\n"
      "Via: SIP/2.0/TLS 10.0.0.1:5061;branch=z9hG4bKa;received=1.2.3.4;rport=5062, "
      "SIP/2.0/UDP h2;branch=z9hG4bKb;rport\n"
      "Via: SIP / 2.0 / TCP  [2001:db8::1]:5060 ; branch = z9hG4bKc ; x=\"a,b\"\n\n");
  ASSERT_EQ(m.vias.size(), 3u);
  EXPECT_EQ(m.vias[0].protocol, "SIP/2.0/TLS");
  EXPECT_EQ(m.vias[0].sent_by, "10.0.0.1:5061");
  EXPECT_EQ(m.vias[0].branch, "z9hG4bKa");
  EXPECT_EQ(m.vias[0].received, "1.2.3.4");
  EXPECT_EQ(m.vias[0].rport, "5062");
  EXPECT_EQ(m.vias[1].protocol, "SIP/2.0/UDP");
  EXPECT_EQ(m.vias[1].sent_by, "h2");
  EXPECT_EQ(m.vias[1].rport, "");
  ASSERT_EQ(m.vias[1].params.size(), 2u);
  EXPECT_EQ(m.vias[1].params[1].first, "rport");
  EXPECT_EQ(m.vias[2].protocol, "SIP/2.0/TCP");
  EXPECT_EQ(m.vias[2].sent_by, "[2001:db8::1]:5060");
  EXPECT_EQ(m.vias[2].branch, "z9hG4bKc");
  ASSERT_EQ(m.vias[2].params.size(), 2u);
  EXPECT_EQ(m.vias[2].params[1].second, "a,b");
}

TEST(SipMessage, ViaMalformedKept) {
  auto m = parse_ok("SIP/2.0 200 OK\nVia: garbage\nVia: ;;;\nVia: ,,,\nVia:\n\n");
  ASSERT_EQ(m.vias.size(), 1u);
  EXPECT_EQ(m.vias[0].sent_by, "garbage");
  EXPECT_EQ(m.vias[0].protocol, "");
  EXPECT_EQ(m.headers.size(), 4u);
}

TEST(SipMessage, ServerAndUserAgent) {
  auto m = parse_ok("SIP/2.0 200 OK\nServer: RTC/6.0\nUser-Agent: UCCAPI/16.0 OC/16.0\n\n");
  EXPECT_EQ(m.server, "RTC/6.0");
  EXPECT_EQ(m.user_agent, "UCCAPI/16.0 OC/16.0");
}

TEST(SipMessage, MultipleMsDiagnostics) {
  // From a real 404 through federation.messenger.msn.com (docs §4.1).
  auto m = parse_ok(
      "SIP/2.0 404 Not Found\r\n"
      "ms-diagnostics: 1034;reason=\"Previous hop federated peer did not report diagnostic "
      "information\";Domain=\"colima.local\";PeerServer=\"sip.colima.de\";source=\"federation."
      "messenger.msn.com\"\r\n"
      "ms-diagnostics: 10003;source=\"AMS0S00MED02.infra.lync.com\";reason=\"Proxy returned a "
      "SIP failure code\";component=\"MediationServer\";SipResponseCode=\"404\";"
      "SipResponseText=\"Not Found\"\r\n"
      "ms-diagnostics-public: 10003;reason=\"Proxy returned a SIP failure code\";"
      "component=\"MediationServer\";SipResponseCode=\"404\";SipResponseText=\"Not Found\"\r\n"
      "MS-Diagnostics: not-a-code\r\n"
      "\r\n");
  ASSERT_EQ(m.ms_diagnostics.size(), 3u);
  const auto& a = m.ms_diagnostics[0];
  EXPECT_EQ(a.code, 1034);
  EXPECT_FALSE(a.is_public);
  EXPECT_EQ(a.reason, "Previous hop federated peer did not report diagnostic information");
  EXPECT_EQ(param_or(a, "domain"), "colima.local");
  EXPECT_EQ(param_or(a, "PeerServer"), "sip.colima.de");
  EXPECT_EQ(param_or(a, "source"), "federation.messenger.msn.com");
  const auto& b = m.ms_diagnostics[1];
  EXPECT_EQ(b.code, 10003);
  EXPECT_FALSE(b.is_public);
  EXPECT_EQ(param_or(b, "source"), "AMS0S00MED02.infra.lync.com");
  EXPECT_EQ(param_or(b, "SipResponseText"), "Not Found");
  const auto& c = m.ms_diagnostics[2];
  EXPECT_EQ(c.code, 10003);
  EXPECT_TRUE(c.is_public);
  EXPECT_EQ(param_or(c, "component"), "MediationServer");
  EXPECT_EQ(param_or(c, "source"), "<absent>");
  // The unparsable one is still a header.
  EXPECT_EQ(m.headers.size(), 4u);
}

// ---- unflatten ------------------------------------------------------------------------------

TEST(SipUnflatten, MultiLineTextUnchanged) {
  std::string text = "SIP/2.0 200 OK\r\nVia: x\r\n\r\n";
  EXPECT_EQ(unflatten_sip_message(text), text);
  EXPECT_EQ(unflatten_sip_message(""), "");
}

TEST(SipUnflatten, BreaksBeforeKnownHeadersOnly) {
  EXPECT_EQ(unflatten_sip_message("SIP/2.0 200 OK Via: SIP/2.0/UDP h Call-ID: abc CSeq: 1 BYE"),
            "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h\r\nCall-ID: abc\r\nCSeq: 1 BYE");
  // Not followed by ": ", or unknown name: no break.
  EXPECT_EQ(unflatten_sip_message("SIP/2.0 200 OK Subject: To:x From:y Unknown: z"),
            "SIP/2.0 200 OK\r\nSubject: To:x From:y Unknown: z");
  // Inside quotes: no break.
  EXPECT_EQ(
      unflatten_sip_message("SIP/2.0 200 OK From: \"To: me \\\" Via: x\" <sip:a@b> To: <sip:c@d>"),
      "SIP/2.0 200 OK\r\nFrom: \"To: me \\\" Via: x\" <sip:a@b>\r\nTo: <sip:c@d>");
  // Vendor prefixes and a name at the very end.
  EXPECT_EQ(unflatten_sip_message("SIP/2.0 200 OK ms-diagnostics: 1;a=b X-Foo: 1 P-Bar: 2 l: 0"),
            "SIP/2.0 200 OK\r\nms-diagnostics: 1;a=b\r\nX-Foo: 1\r\nP-Bar: 2 l: 0");
  EXPECT_EQ(unflatten_sip_message("SIP/2.0 200 OK Content-Length:"),
            "SIP/2.0 200 OK\r\nContent-Length:");
  EXPECT_EQ(unflatten_sip_message("INVITE sip:a@b SIP/2.0  Max-Forwards: 70"),
            "INVITE sip:a@b SIP/2.0\r\nMax-Forwards: 70");
}

TEST(SipUnflatten, UnbalancedQuoteStopsBreaking) {
  // After an unterminated quote nothing is broken: better one long header than a wrong split.
  EXPECT_EQ(unflatten_sip_message("SIP/2.0 200 OK From: \"abc <sip:a@b> To: <sip:c@d>"),
            "SIP/2.0 200 OK\r\nFrom: \"abc <sip:a@b> To: <sip:c@d>");
  EXPECT_EQ(unflatten_sip_message("SIP/2.0 200 OK From: \"abc\\"),
            "SIP/2.0 200 OK\r\nFrom: \"abc\\");
}

// ---- the seed's real messages ---------------------------------------------------------------

void expect_expressway_504(const SipMessage& m) {
  EXPECT_FALSE(m.is_request);
  EXPECT_EQ(m.status_code, 504);
  EXPECT_EQ(m.reason_phrase, "Server time-out");
  EXPECT_EQ(m.call_id, "f1b3ad5d-183b-4632-b210-c2f9bec71960");
  EXPECT_EQ(m.cseq_number, 2066245576u);
  EXPECT_EQ(m.cseq_method, "INVITE");
  EXPECT_EQ(m.method, "INVITE");
  EXPECT_EQ(m.cseq(), "2066245576 INVITE");
  EXPECT_EQ(m.from.display_name, "DX70 Steven");
  EXPECT_EQ(m.from.uri, "sip:2000@acano.steven.lab");
  EXPECT_EQ(m.from.tag, "9fea3e7d70afd884");
  EXPECT_EQ(m.to.display_name, "");
  EXPECT_EQ(m.to.uri, "sip:stejanss@skype.lab");
  EXPECT_EQ(m.to.tag, "C65A7B0A8766A5F1D386474833D07882");
  EXPECT_EQ(m.server, "RTC/6.0");
  EXPECT_EQ(m.content_length, 0u);
  EXPECT_EQ(m.body, "");
  EXPECT_TRUE(m.ms_diagnostics.empty());
  ASSERT_EQ(m.vias.size(), 3u);
  const Via& top = m.vias[0];
  EXPECT_EQ(top.protocol, "SIP/2.0/TLS");
  EXPECT_EQ(top.sent_by, "10.48.36.47:5061");
  EXPECT_EQ(top.branch,
            "z9hG4bK42ee6fd77d32cc8925196770b950b33554.731d73c3f4246d6a255e38a9f695bfc0");
  EXPECT_EQ(top.proxy_call_id, "6b2a018a-2da5-4013-a7e5-4e1455feadf7");
  EXPECT_EQ(top.received, "10.48.36.47");
  EXPECT_EQ(top.rport, "");
  ASSERT_EQ(top.params.size(), 7u);
  EXPECT_EQ(top.params[0], (std::pair<std::string, std::string>("egress-zone", "DNSZone1")));
  EXPECT_EQ(top.params[6], (std::pair<std::string, std::string>("ms-received-cid", "100")));
  EXPECT_EQ(m.vias[1].sent_by, "10.48.36.46:5061");
  EXPECT_EQ(m.vias[1].proxy_call_id, "e7e33845-c384-4c28-a42d-016863640fbb");
  EXPECT_EQ(m.vias[1].rport, "28119");
  EXPECT_EQ(m.vias[2].sent_by, "10.48.54.160:52768");
  EXPECT_EQ(m.vias[2].proxy_call_id, "");
  EXPECT_EQ(m.headers.size(), 9u);
}

void expect_client_common(const SipMessage& m) {
  EXPECT_EQ(m.status_code, 504);
  EXPECT_EQ(m.cseq_number, 1u);
  EXPECT_EQ(m.cseq_method, "INVITE");
  EXPECT_EQ(m.from.display_name, "Steven Janssens");
  EXPECT_EQ(m.from.uri, "sip:stejanss@skype.lab");
  EXPECT_EQ(m.to.uri, "sip:stejanss.space@cms.steven.lab");
  EXPECT_EQ(m.server, "RTC/6.0");
  EXPECT_EQ(m.content_length, 0u);
  ASSERT_EQ(m.vias.size(), 1u);
  EXPECT_EQ(m.vias[0].sent_by, "10.55.186.71:62937");
  ASSERT_NE(m.header("Authentication-Info"), nullptr);
  EXPECT_NE(m.header("Authentication-Info")->value.find("realm=\"SIP Communications Service\""),
            std::string::npos);
  EXPECT_EQ(m.headers.size(), 9u);
}

void expect_client_1009(const SipMessage& m) {
  expect_client_common(m);
  EXPECT_EQ(m.call_id, "d0bce97cce8a45fcbb8cc973ba0282da");
  EXPECT_EQ(m.from.tag, "280f2bf329");
  EXPECT_EQ(m.to.tag, "98283FD4A66E24FFB4967CDB73149B25");
  ASSERT_EQ(m.ms_diagnostics.size(), 1u);
  const MsDiagnostic& d = m.ms_diagnostics[0];
  EXPECT_EQ(d.code, 1009);
  EXPECT_FALSE(d.is_public);
  EXPECT_EQ(d.reason, "No match for domain in DNS SRV results");
  EXPECT_EQ(param_or(d, "domain"), "cms.steven.lab");
  EXPECT_EQ(param_or(d, "fqdn1"), "vcse.sub.cms.steven.lab:5061");
  EXPECT_EQ(param_or(d, "source"), "sip.skype.lab");
}

void expect_client_1010(const SipMessage& m) {
  expect_client_common(m);
  EXPECT_EQ(m.call_id, "5e38e39898cf40188170f0d70644a87b");
  EXPECT_EQ(m.from.tag, "a1ea5f9a46");
  EXPECT_EQ(m.to.tag, "B7D9BF35417873B07792AAD244E6B230");
  ASSERT_EQ(m.ms_diagnostics.size(), 1u);
  const MsDiagnostic& d = m.ms_diagnostics[0];
  EXPECT_EQ(d.code, 1010);
  EXPECT_EQ(d.reason, "Certificate trust with another server could not be established");
  EXPECT_EQ(param_or(d, "tls-target"), "vcse.cms.steven.lab");
  EXPECT_EQ(param_or(d, "PeerServer"), "vcse.steven.lab");
  EXPECT_EQ(param_or(d, "HRESULT"), "0x80090322(SEC_E_WRONG_PRINCIPAL)");
  EXPECT_EQ(param_or(d, "ErrorType"), "The peer certificate does not contain a matching FQDN");
  EXPECT_EQ(param_or(d, "source"), "sip.skype.lab");
}

SipMessage parse_flat(const std::string& rel) {
  std::string text = read_testdata(rel);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  EXPECT_EQ(text.find('\n'), std::string::npos) << rel << " should be one line";
  return parse_ok(unflatten_sip_message(text));
}

TEST(SipSeed, ExpresswayFlat) {
  expect_expressway_504(parse_flat("sip/seed_expressway_504_flat.txt"));
}
TEST(SipSeed, ExpresswayMultiLine) {
  expect_expressway_504(parse_ok(read_testdata("sip/seed_expressway_504.txt")));
}
TEST(SipSeed, Client1009Flat) {
  expect_client_1009(parse_flat("sip/seed_client_504_1009_flat.txt"));
}
TEST(SipSeed, Client1009MultiLine) {
  expect_client_1009(parse_ok(read_testdata("sip/seed_client_504_1009.txt")));
}
TEST(SipSeed, Client1010Flat) {
  expect_client_1010(parse_flat("sip/seed_client_504_1010_flat.txt"));
}
TEST(SipSeed, Client1010MultiLine) {
  expect_client_1010(parse_ok(read_testdata("sip/seed_client_504_1010.txt")));
}

TEST(SipSeed, UnflattenMatchesMultiLineHeaders) {
  for (auto base :
       {"sip/seed_expressway_504", "sip/seed_client_504_1009", "sip/seed_client_504_1010"}) {
    SipMessage flat = parse_flat(std::string(base) + "_flat.txt");
    SipMessage multi = parse_ok(read_testdata(std::string(base) + ".txt"));
    ASSERT_EQ(flat.headers.size(), multi.headers.size()) << base;
    for (size_t i = 0; i < flat.headers.size(); ++i) {
      EXPECT_EQ(flat.headers[i].name, multi.headers[i].name) << base;
      EXPECT_EQ(flat.headers[i].value, multi.headers[i].value) << base;
    }
  }
}

}  // namespace
}  // namespace fedtriage
