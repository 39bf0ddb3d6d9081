// RFC 4475 torture messages (testdata/sip/rfc4475, byte-exact, CRLF). Valid ones must parse
// with their fields right; for invalid ones the outcome chosen for a log reader is asserted:
// fail cleanly on the start line, or parse and keep the malformed header as written.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <string>

#include "lib/sip/sip_message.h"

namespace fedtriage {
namespace {

std::string read_torture(const std::string& name) {
  std::ifstream in(std::string(FEDTRIAGE_TESTDATA_DIR) + "/sip/rfc4475/" + name, std::ios::binary);
  EXPECT_TRUE(in) << "missing torture message " << name;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

SipMessage parse_torture(const std::string& name) {
  std::string text = read_torture(name);
  SipParseError err;
  auto m = parse_sip_message(text, &err);
  EXPECT_TRUE(m) << name << ": " << err.message << " at line " << err.line;
  return m ? *m : SipMessage{};
}

std::string header_or(const SipMessage& m, std::string_view name) {
  const SipHeader* h = m.header(name);
  return h ? h->value : std::string("<absent>");
}

size_t count_headers(const SipMessage& m, std::string_view name) {
  return static_cast<size_t>(std::count_if(m.headers.begin(), m.headers.end(), [&](const auto& h) {
    return h.name.size() == name.size() &&
           std::equal(h.name.begin(), h.name.end(), name.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) ==
                    std::tolower(static_cast<unsigned char>(b));
           });
  }));
}

const char* const kAllMessages[] = {
    "wsinv.sip",   "intmeth.sip",    "esc01.sip",      "escnull.sip",  "esc02.sip",
    "lwsdisp.sip", "longreq.sip",    "dblreq.sip",     "semiuri.sip",  "transports.sip",
    "mpart01.sip", "unreason.sip",   "noreason.sip",   "badinv01.sip", "clerr.sip",
    "ncl.sip",     "scalar02.sip",   "scalarlg.sip",   "quotbal.sip",  "ltgtruri.sip",
    "lwsruri.sip", "lwsstart.sip",   "trws.sip",       "badaspec.sip", "baddn.sip",
    "badvers.sip", "mismatch01.sip", "mismatch02.sip", "bigcode.sip",  "insuf.sip",
    "bcast.sip",
};

// ---- 3.1.1 valid messages -------------------------------------------------------------------

TEST(SipTorture, Wsinv) {
  SipMessage m = parse_torture("wsinv.sip");
  EXPECT_TRUE(m.is_request);
  EXPECT_EQ(m.method, "INVITE");
  EXPECT_EQ(m.request_uri, "sip:vivekg@chair-dnrc.example.com;unknownparam");
  EXPECT_EQ(m.call_id, "wsinv.ndaksdj@192.0.2.1");
  EXPECT_EQ(m.cseq_number, 9u);
  EXPECT_EQ(m.cseq_method, "INVITE");
  EXPECT_EQ(m.cseq(), "9 INVITE");
  EXPECT_EQ(m.to.display_name, "");
  EXPECT_EQ(m.to.uri, "sip:vivekg@chair-dnrc.example.com");
  EXPECT_EQ(m.to.tag, "1918181833n");
  EXPECT_EQ(m.from.display_name, "J Rosenberg \\\"");  // quoted-pairs resolved
  EXPECT_EQ(m.from.uri, "sip:jdrosen@example.com");
  EXPECT_EQ(m.from.tag, "98asjd8");
  ASSERT_EQ(m.vias.size(), 3u);
  EXPECT_EQ(m.vias[0].protocol, "SIP/2.0/UDP");
  EXPECT_EQ(m.vias[0].sent_by, "192.0.2.2");
  EXPECT_EQ(m.vias[0].branch, "390skdjuw");
  EXPECT_EQ(m.vias[0].rport, "");
  EXPECT_EQ(m.vias[1].protocol, "SIP/2.0/TCP");
  EXPECT_EQ(m.vias[1].sent_by, "spindle.example.com");
  EXPECT_EQ(m.vias[1].branch, "z9hG4bK9ikj8");
  EXPECT_EQ(m.vias[2].protocol, "SIP/2.0/UDP");
  EXPECT_EQ(m.vias[2].sent_by, "192.168.255.111");
  EXPECT_EQ(m.vias[2].branch, "z9hG4bK30239");
  EXPECT_EQ(m.content_length, 150u);
  EXPECT_EQ(m.body.size(), 150u);
  EXPECT_EQ(m.body.rfind("v=0\r\n", 0), 0u);
  EXPECT_EQ(m.headers.size(), 14u);
  EXPECT_EQ(m.headers[0].name, "TO");
  EXPECT_EQ(header_or(m, "Max-Forwards"), "0068");
  EXPECT_EQ(header_or(m, "Subject"), "");
  EXPECT_EQ(header_or(m, "NewFangledHeader"), "newfangled value continued newfangled value");
  EXPECT_EQ(header_or(m, "UnknownHeaderWithUnusualValue"), ";;,,;;,;");
  EXPECT_EQ(header_or(m, "Route"),
            "<sip:services.example.com;lr;unknownwith=value;unknown-no-value>");
  EXPECT_EQ(header_or(m, "Contact"),
            "\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam = newvalue ; "
            "secondparam ; q = 0.33");
  EXPECT_TRUE(m.ms_diagnostics.empty());
}

TEST(SipTorture, Intmeth) {
  SipMessage m = parse_torture("intmeth.sip");
  const std::string method = "!interesting-Method0123456789_*+`.%indeed'~";
  EXPECT_EQ(m.method, method);
  EXPECT_EQ(m.request_uri,
            "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too."
            "(doesn't-it)@example.com");
  ASSERT_EQ(m.vias.size(), 1u);
  EXPECT_EQ(m.vias[0].branch, "z9hG4bK-.!%66*_+`'~");
  EXPECT_EQ(m.to.display_name, std::string("BEL:\x07 NUL:\0 DEL:\x7f", 17));
  EXPECT_EQ(m.to.uri, "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com");
  EXPECT_EQ(m.from.display_name, "token1~` token2'+_ token3*%!.-");
  EXPECT_EQ(m.from.uri, "sip:mundane@example.com");
  EXPECT_EQ(m.from.tag, "_token~1'+`*%!-.");
  EXPECT_EQ(m.call_id, "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
  EXPECT_EQ(m.cseq_number, 139122385u);
  EXPECT_EQ(m.cseq_method, method);
  EXPECT_EQ(header_or(m, "extensionHeader-!.%*+_`'~"),
            "\xef\xbb\xbf\xe5\xa4\xa7\xe5\x81\x9c\xe9\x9b\xbb");
  EXPECT_EQ(m.content_length, 0u);
  EXPECT_EQ(m.body, "");
}

TEST(SipTorture, Esc01) {
  SipMessage m = parse_torture("esc01.sip");
  EXPECT_EQ(m.request_uri, "sip:sips%3Auser%40example.com@example.net");
  EXPECT_EQ(m.to.uri, "sip:%75se%72@example.com");  // escapes kept as written
  EXPECT_EQ(m.from.uri, "sip:I%20have%20spaces@example.net");
  EXPECT_EQ(m.from.tag, "938");
  EXPECT_EQ(m.call_id, "esc01.239409asdfakjkn23onasd0-3234");  // from "i:"
  EXPECT_EQ(header_or(m, "Content-Type"), "application/sdp");  // from "C:"
  EXPECT_EQ(header_or(m, "Contact"),
            "<sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>");
  EXPECT_EQ(m.content_length, 150u);
  EXPECT_EQ(m.body.size(), 150u);
}

TEST(SipTorture, Escnull) {
  SipMessage m = parse_torture("escnull.sip");
  EXPECT_EQ(m.method, "REGISTER");
  EXPECT_EQ(m.to.uri, "sip:null-%00-null@example.com");
  EXPECT_EQ(m.from.tag, "839923423");
  EXPECT_EQ(m.call_id, "escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd");
  EXPECT_EQ(count_headers(m, "Contact"), 2u);
  EXPECT_EQ(m.content_length, 0u);  // "L:0"
}

TEST(SipTorture, Esc02) {
  SipMessage m = parse_torture("esc02.sip");
  EXPECT_EQ(m.method, "RE%47IST%45R");
  EXPECT_EQ(m.cseq_method, "RE%47IST%45R");
  EXPECT_EQ(m.to.display_name, "%Z%45");
  EXPECT_EQ(m.from.display_name, "%Z%45");
  EXPECT_EQ(m.from.tag, "f232jadfj23");
  ASSERT_EQ(m.vias.size(), 1u);
  EXPECT_EQ(m.vias[0].branch, "z9hG4bK209%fzsnel234");
  EXPECT_EQ(count_headers(m, "Contact"), 2u);
  EXPECT_EQ(header_or(m, "C%6Fntact"), "<sip:alias2@host2.example.com>");
  EXPECT_EQ(m.content_length, 0u);
}

TEST(SipTorture, Lwsdisp) {
  SipMessage m = parse_torture("lwsdisp.sip");
  EXPECT_EQ(m.method, "OPTIONS");
  EXPECT_EQ(m.from.display_name, "caller");
  EXPECT_EQ(m.from.uri, "sip:caller@example.com");
  EXPECT_EQ(m.from.tag, "323");
}

TEST(SipTorture, Longreq) {
  SipMessage m = parse_torture("longreq.sip");
  std::string extreme;
  for (int i = 0; i < 10; ++i) extreme += "extreme";
  EXPECT_EQ(m.to.display_name, "I have a user name of " + extreme + " proportion");
  EXPECT_EQ(m.to.uri.rfind("sip:user@example.com:6000;unknownparam1=verylong", 0), 0u);
  std::string caller;
  for (int i = 0; i < 5; ++i) caller += "amazinglylongcallername";
  EXPECT_EQ(m.from.uri, "sip:" + caller + "@example.net");  // from "F:"
  std::string tag = "12";
  for (int i = 0; i < 50; ++i) tag += "982";
  EXPECT_EQ(m.from.tag, tag + "424");
  std::string really;
  for (int i = 0; i < 20; ++i) really += "really";
  EXPECT_EQ(m.call_id, "longreq.one" + really + "longcallid");
  ASSERT_EQ(m.vias.size(), 34u);
  EXPECT_EQ(m.vias[0].sent_by, "sip33.example.com");
  EXPECT_EQ(m.vias[11].sent_by, "sip22.example.com");  // "V :  SIP/2.0/TCP ..."
  EXPECT_EQ(m.vias[33].sent_by, "host.example.com");
  EXPECT_EQ(m.vias[33].received, "192.0.2.5");
  EXPECT_EQ(m.vias[33].branch.size(), 4u + 200u + 11u);
  EXPECT_EQ(m.content_length, 150u);
  EXPECT_EQ(m.body.size(), 150u);
}

TEST(SipTorture, DblreqKeepsTrailingOctetsAsBody) {
  // The body is everything after the first empty line; Content-Length is reported, not
  // enforced (logs often re-encode line ends, so the count cannot be trusted to cut).
  SipMessage m = parse_torture("dblreq.sip");
  EXPECT_EQ(m.method, "REGISTER");
  EXPECT_EQ(m.call_id, "dblreq.0ha0isndaksdj99sdfafnl3lk233412");  // from "I:"
  EXPECT_EQ(m.content_length, 0u);
  EXPECT_EQ(m.body.rfind("INVITE sip:joe@example.com SIP/2.0\r\n", 0), 0u);
  EXPECT_EQ(m.to.uri, "sip:j.user@example.com");
}

TEST(SipTorture, Semiuri) {
  SipMessage m = parse_torture("semiuri.sip");
  EXPECT_EQ(m.request_uri, "sip:user;par=u%40example.net@example.com");
  EXPECT_EQ(header_or(m, "Accept"),
            "application/sdp, application/pkcs7-mime, multipart/mixed, multipart/signed, "
            "message/sip, message/sipfrag");
}

TEST(SipTorture, Transports) {
  SipMessage m = parse_torture("transports.sip");
  EXPECT_EQ(m.call_id, "transports.kijh4akdnaqjkwendsasfdj");
  ASSERT_EQ(m.vias.size(), 5u);
  const char* protocols[] = {"SIP/2.0/UDP", "SIP/2.0/SCTP", "SIP/2.0/TLS", "SIP/2.0/UNKNOWN",
                             "SIP/2.0/TCP"};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(m.vias[i].protocol, protocols[i]);
    EXPECT_EQ(m.vias[i].sent_by, "t" + std::to_string(i + 1) + ".example.com");
  }
}

TEST(SipTorture, Mpart01) {
  SipMessage m = parse_torture("mpart01.sip");
  EXPECT_EQ(m.method, "MESSAGE");
  EXPECT_EQ(m.call_id, "3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..");
  EXPECT_EQ(m.user_agent, "SIPimp.org/0.2.5 (curses)");
  EXPECT_EQ(m.content_length, 553u);
  EXPECT_EQ(m.body.size(), 553u);  // binary part with NUL octets survives
  EXPECT_NE(m.body.find('\0'), std::string::npos);
  ASSERT_EQ(m.vias.size(), 1u);
  EXPECT_EQ(m.vias[0].sent_by, "127.0.0.1:5070");
  EXPECT_EQ(m.vias[0].rport, "");
  ASSERT_EQ(m.vias[0].params.size(), 2u);
  EXPECT_EQ(m.vias[0].params[1].first, "rport");
}

TEST(SipTorture, UnreasonUtf8ReasonPhrase) {
  SipMessage m = parse_torture("unreason.sip");
  EXPECT_FALSE(m.is_request);
  EXPECT_EQ(m.status_code, 200);
  EXPECT_EQ(m.reason_phrase,
            "= 2**3 * 5**2 \xd0\xbd\xd0\xbe \xd1\x81\xd1\x82\xd0\xbe "
            "\xd0\xb4\xd0\xb5\xd0\xb2\xd1\x8f\xd0\xbd\xd0\xbe\xd1\x81\xd1\x82\xd0\xbe "
            "\xd0\xb4\xd0\xb5\xd0\xb2\xd1\x8f\xd1\x82\xd1\x8c - "
            "\xd0\xbf\xd1\x80\xd0\xbe\xd1\x81\xd1\x82\xd0\xbe\xd0\xb5");
  EXPECT_EQ(m.method, "INVITE");
  EXPECT_EQ(m.cseq_number, 35u);
  EXPECT_EQ(m.content_length, 154u);
}

TEST(SipTorture, NoreasonEmptyReasonPhrase) {
  SipMessage m = parse_torture("noreason.sip");
  EXPECT_EQ(m.status_code, 100);
  EXPECT_EQ(m.reason_phrase, "");
  EXPECT_EQ(m.call_id, "noreason.asndj203insdf99223ndf");
}

// ---- 3.1.2 invalid and 3.3 semantically odd messages -----------------------------------------

TEST(SipTorture, Badinv01KeepsViaText) {
  SipMessage m = parse_torture("badinv01.sip");
  EXPECT_EQ(header_or(m, "Via"), "SIP/2.0/UDP 192.0.2.15;;,;,,");
  ASSERT_EQ(m.vias.size(), 1u);  // the stray separators make no extra hop
  EXPECT_EQ(m.vias[0].sent_by, "192.0.2.15");
  EXPECT_TRUE(m.vias[0].params.empty());
  EXPECT_EQ(header_or(m, "Contact"), "\"Joe\" <sip:joe@example.org>;;;;");
  EXPECT_EQ(m.call_id, "badinv01.0ha0isndaksdjasdf3234nas");
}

TEST(SipTorture, ClerrReportsDeclaredLength) {
  SipMessage m = parse_torture("clerr.sip");
  EXPECT_EQ(m.content_length, 9999u);
  EXPECT_EQ(m.body.size(), 154u);
}

TEST(SipTorture, NclNegativeLengthIsAbsent) {
  SipMessage m = parse_torture("ncl.sip");
  EXPECT_FALSE(m.content_length);
  EXPECT_EQ(header_or(m, "Content-Length"), "-999");
  EXPECT_EQ(m.body.size(), 152u);
  EXPECT_EQ(m.cseq(), "0 INVITE");
}

TEST(SipTorture, Scalar02OverlargeCSeqIsZero) {
  SipMessage m = parse_torture("scalar02.sip");
  EXPECT_EQ(m.cseq_number, 0u);
  EXPECT_EQ(m.cseq_method, "REGISTER");
  EXPECT_EQ(header_or(m, "CSeq"), "36893488147419103232 REGISTER");
  EXPECT_EQ(header_or(m, "Expires").size(), 101u);
  EXPECT_EQ(header_or(m, "Contact"), "<sip:user@host129.example.com> ;expires=280297596632815");
  EXPECT_EQ(m.content_length, 0u);
}

TEST(SipTorture, ScalarlgOverlargeResponseFields) {
  SipMessage m = parse_torture("scalarlg.sip");
  EXPECT_EQ(m.status_code, 503);
  EXPECT_EQ(m.cseq_number, 0u);
  EXPECT_EQ(m.method, "OPTIONS");
  EXPECT_EQ(header_or(m, "Retry-After"), "949302838503028349304023988");
  EXPECT_EQ(m.vias[0].received, "192.0.2.129");
}

TEST(SipTorture, QuotbalUnterminatedDisplayNameTakesTheRest) {
  SipMessage m = parse_torture("quotbal.sip");
  EXPECT_TRUE(m.to.present);
  EXPECT_EQ(m.to.display_name, "Mr. J. User <sip:j.user@example.com>");
  EXPECT_EQ(m.to.uri, "");
  EXPECT_EQ(m.call_id, "quotbal.aksdj");
  EXPECT_EQ(m.vias[0].sent_by, "192.0.2.59:5050");
}

TEST(SipTorture, LtgtruriKeptAsWritten) {
  SipMessage m = parse_torture("ltgtruri.sip");
  EXPECT_EQ(m.method, "INVITE");
  EXPECT_EQ(m.request_uri, "<sip:user@example.com>");
  ASSERT_EQ(m.vias.size(), 1u);
  EXPECT_EQ(m.vias[0].branch, "");
}

TEST(SipTorture, LwsruriKeptAsWritten) {
  SipMessage m = parse_torture("lwsruri.sip");
  EXPECT_EQ(m.request_uri, "sip:user@example.com; lr");
  EXPECT_EQ(m.cseq_number, 2130706432u);
}

TEST(SipTorture, LwsstartExtraSpaces) {
  SipMessage m = parse_torture("lwsstart.sip");
  EXPECT_EQ(m.method, "INVITE");
  EXPECT_EQ(m.request_uri, "sip:user@example.com");
  EXPECT_EQ(m.call_id, "lwsstart.dfknq234oi243099adsdfnawe3@example.com");
}

TEST(SipTorture, TrwsTrailingSpaces) {
  SipMessage m = parse_torture("trws.sip");
  EXPECT_EQ(m.method, "OPTIONS");
  EXPECT_EQ(m.request_uri, "sip:remote-target@example.com");
}

TEST(SipTorture, BadaspecAndBaddn) {
  SipMessage a = parse_torture("badaspec.sip");
  EXPECT_EQ(a.from.display_name, "Bell, Alexander");
  EXPECT_EQ(a.to.display_name, "Watson, Thomas");
  EXPECT_EQ(a.to.uri, "sip:t.watson@example.org");
  SipMessage d = parse_torture("baddn.sip");
  EXPECT_EQ(d.from.display_name, "Bell, Alexander");
  EXPECT_EQ(d.from.tag, "43");
  EXPECT_EQ(d.to.display_name, "Watson, Thomas");
  EXPECT_EQ(d.cseq(), "3923239 OPTIONS");
}

TEST(SipTorture, BadversFailsOnStartLine) {
  std::string text = read_torture("badvers.sip");
  SipParseError err;
  EXPECT_FALSE(parse_sip_message(text, &err));
  EXPECT_EQ(err.line, 1u);
  EXPECT_NE(err.message.find("version"), std::string::npos) << err.message;
}

TEST(SipTorture, BigcodeFailsOnStartLine) {
  std::string text = read_torture("bigcode.sip");
  SipParseError err;
  EXPECT_FALSE(parse_sip_message(text, &err));
  EXPECT_EQ(err.line, 1u);
  EXPECT_NE(err.message.find("status code"), std::string::npos) << err.message;
}

TEST(SipTorture, MismatchKeepsBothMethods) {
  SipMessage m = parse_torture("mismatch01.sip");
  EXPECT_EQ(m.method, "OPTIONS");
  EXPECT_EQ(m.cseq_method, "INVITE");
  SipMessage n = parse_torture("mismatch02.sip");
  EXPECT_EQ(n.method, "NEWMETHOD");
  EXPECT_EQ(n.cseq_method, "INVITE");
  EXPECT_EQ(n.content_length, 138u);
}

TEST(SipTorture, InsufMissingHeaders) {
  SipMessage m = parse_torture("insuf.sip");
  EXPECT_EQ(m.call_id, "");
  EXPECT_FALSE(m.from.present);
  EXPECT_FALSE(m.to.present);
  EXPECT_EQ(m.cseq(), "193942 INVITE");
  EXPECT_EQ(m.vias[0].branch, "z9hG4bKkdj.insuf");
}

TEST(SipTorture, Bcast) {
  SipMessage m = parse_torture("bcast.sip");
  EXPECT_EQ(m.status_code, 200);
  ASSERT_EQ(m.vias.size(), 2u);
  EXPECT_EQ(m.vias[1].sent_by, "255.255.255.255");
  EXPECT_EQ(m.vias[1].branch, "z9hG4bK1saber23");
}

// ---- robustness ------------------------------------------------------------------------------

// Every prefix of every message, and its flattened form, goes through all entry points: the
// sanitizers in CI catch any read past the end.
TEST(SipTorture, EveryPrefixIsSafe) {
  for (const char* name : kAllMessages) {
    std::string text = read_torture(name);
    ASSERT_FALSE(text.empty()) << name;
    for (size_t n = 0; n <= text.size(); ++n) {
      std::string_view prefix(text.data(), n);
      auto m = parse_sip_message(prefix);
      if (m) {
        for (const auto& h : m->headers) {
          if (h.name == "Content-Type") (void)parse_param_list(h.value);
        }
      }
    }
    std::string flat = text;
    std::replace(flat.begin(), flat.end(), '\r', ' ');
    std::replace(flat.begin(), flat.end(), '\n', ' ');
    std::string unflat = unflatten_sip_message(flat);
    (void)parse_sip_message(unflat);
  }
}

}  // namespace
}  // namespace fedtriage
