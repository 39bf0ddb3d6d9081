// Evidence cites the line it quotes: the ms-diagnostics header, the Edge Data: line, the SIP
// start line; a flattened Expressway message is one line.
#include <gtest/gtest.h>

#include "lib/rules/rule_match.h"
#include "lib/sip/ms_diagnostic.h"

namespace fedtriage {
namespace {

Event sip(Source source, std::string raw, bool with_diagnostics) {
  Event e;
  e.source = source;
  e.kind = EventKind::Sip;
  e.raw = std::move(raw);
  SipMessage m;
  m.status_code = 504;
  m.reason_phrase = "Server time-out";
  if (with_diagnostics) m.ms_diagnostics.push_back(*parse_ms_diagnostic("1009;reason=\"x\""));
  e.sip = m;
  return e;
}

TEST(EvidenceLine, ExpresswayBlockCitesTheStartLine) {
  const Event e = sip(Source::Expressway,
                      "2017-03-02T08:10:46 vcse tvcs: Module=\"network.sip\"\n SIPMSG:\n"
                      "SIP/2.0 504 Server time-out\nVia: SIP/2.0/TLS 10.0.0.1\n",
                      false);
  EXPECT_EQ(rules::evidence_line_offset(e), 2u);
}

TEST(EvidenceLine, FlattenedExpresswayMessageIsOneLine) {
  const Event e = sip(Source::Expressway,
                      "2017-03-02T08:10:46 vcse tvcs: Msg-Hash=\"1\" SIPMSG: |SIP/2.0 504 "
                      "Server time-out Via: x\n SIPMSG:\nSIP/2.0 504 Server time-out\nVia: x\n",
                      false);
  EXPECT_EQ(rules::evidence_line_offset(e), 0u);
}

TEST(EvidenceLine, ClientCitesTheMsDiagnosticsHeader) {
  // The record starts at its "Data Received" line; the raw text at the start line after it.
  const Event e = sip(Source::Client,
                      "SIP/2.0 504 Server time-out\nFrom: <sip:a@b>\nCSeq: 1 INVITE\n"
                      "ms-diagnostics: 1009;reason=\"x\"\nServer: RTC/6.0\n",
                      true);
  EXPECT_EQ(rules::evidence_line_offset(e), 4u);
}

TEST(EvidenceLine, EdgeDiagnosticCitesTheDataLine) {
  Event e;
  e.source = Source::Edge;
  e.kind = EventKind::Diagnostic;
  e.raw =
      "TL_ERROR(TF_DIAG) [sfvedge] $$begin_record\nSeverity: error\n"
      "Result-Code: 0xc3e93d67 SIPPROXY_E_ROUTING_MSG_CERT_MISMATCH\nPeer: vcse:25001\n"
      "Data: expected-fqdn=\"a\"\n$$end_record";
  EXPECT_EQ(rules::evidence_line_offset(e), 4u);
}

}  // namespace
}  // namespace fedtriage
