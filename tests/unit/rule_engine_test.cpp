// explain_call on calls built in code, with values from Cisco TechNote 212383 (the seed).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "lib/core/event.h"
#include "lib/correlate/call.h"
#include "lib/rules/rule_engine.h"
#include "lib/rules/rule_set.h"
#include "lib/sip/ms_diagnostic.h"

namespace fedtriage {
namespace {

constexpr const char* kCallId = "f1b3ad5d-183b-4632-b210-c2f9bec71960";
constexpr int64_t kT0 = 1488438646230;  // 2017-03-02 07:10:46.230 UTC

const RuleSet& rules() {
  static const RuleSet set = RuleSet::embedded();
  return set;
}

Event sip_event(Source source, std::string file, uint64_t line, int64_t ts) {
  Event e;
  e.source = source;
  e.kind = EventKind::Sip;
  e.origin = {std::move(file), line};
  e.ts_ms = ts;
  e.call_id = kCallId;
  e.cseq = "2066245576 INVITE";
  SipMessage m;
  m.call_id = kCallId;
  m.cseq_number = 2066245576;
  m.cseq_method = "INVITE";
  m.method = "INVITE";
  e.sip = m;
  return e;
}

Event invite(Source source, std::string file, uint64_t line, int64_t ts) {
  Event e = sip_event(source, std::move(file), line, ts);
  e.sip->is_request = true;
  e.sip->request_uri = "sip:stejanss@skype.lab";
  e.direction = Direction::Out;
  return e;
}

Event response(Source source, std::string file, uint64_t line, int64_t ts, int status,
               std::string reason, std::vector<std::string> diagnostics = {}) {
  Event e = sip_event(source, std::move(file), line, ts);
  e.sip->status_code = status;
  e.sip->reason_phrase = std::move(reason);
  e.direction = Direction::In;
  e.remote = "10.48.36.6:5061";
  if (status >= 300) {
    e.sip->server = "RTC/6.0";
    e.sip->headers.push_back({"Server", "RTC/6.0"});
    e.sip->vias.push_back({});
    e.sip->headers.push_back(
        {"Via",
         "SIP/2.0/TLS 10.48.36.47:5061;egress-zone=DNSZone1;branch=z9hG4bK42ee6fd7;"
         "proxy-call-id=6b2a018a-2da5-4013-a7e5-4e1455feadf7;rport;received=10.48.36.47;"
         "ms-received-port=25002;ms-received-cid=100"});
  }
  for (const std::string& d : diagnostics) {
    e.sip->headers.push_back({"ms-diagnostics", d});
    e.sip->ms_diagnostics.push_back(*parse_ms_diagnostic(d));
  }
  return e;
}

Event edge_diag(uint64_t line, int64_t ts, std::string code, std::string name, Fields data) {
  Event e;
  e.source = Source::Edge;
  e.kind = EventKind::Diagnostic;
  e.origin = {"sfvedge_federation.log", line};
  e.ts_ms = ts;
  e.call_id = kCallId;
  e.cseq = "2066245576 INVITE";
  e.fields = {{"level", "WARN"},
              {"severity", "warning"},
              {"sip_start_line", "INVITE sip:stejanss@skype.lab SIP/2.0"},
              {"result_code", std::move(code)},
              {"result_name", std::move(name)}};
  for (auto& [k, v] : data) e.fields.emplace_back("data." + k, std::move(v));
  return e;
}

Event srv_edge_diag(uint64_t line, int64_t ts) {
  return edge_diag(line, ts, "0xc3e93d6f", "SIPPROXY_E_EPROUTING_MSG_ALLOWED_DOMAIN_NO_SRV_MATCH",
                   {{"domain", "acano.steven.lab"}, {"fqdn1", "vcse.steven.lab:5061"}});
}

const char* k1009 =
    "1009;reason=\"No match for domain in DNS SRV results\";domain=\"cms.steven.lab\";"
    "fqdn1=\"vcse.sub.cms.steven.lab:5061\";source=\"sip.skype.lab\"";

// A call over every event given, in order.
Call make_call(const std::vector<Event>& events) {
  Call c;
  c.call_id = kCallId;
  for (size_t i = 0; i < events.size(); ++i) {
    c.events.push_back(i);
    const Event& e = events[i];
    if (e.sip && !e.sip->is_request && e.sip->status_code >= 200 && c.final_status == 0) {
      c.final_status = e.sip->status_code;
      c.final_reason = e.sip->reason_phrase;
    }
  }
  if (c.final_status >= 300 && !ends_as_designed(c.final_status, "INVITE", false)) {
    c.outcome = Outcome::Failed;
    c.phase = CallPhase::Setup;
    c.failure_status = c.final_status;
    c.failure_reason = c.final_reason;
    c.failure_method = "INVITE";
  }
  return c;
}

std::string field(const Finding& f, const std::string& name) {
  const std::string* v = find_field(f.fields, name);
  return v ? *v : "<unset>";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Evidence must name real lines of real events of the call, in time order.
void expect_real_evidence(const Finding& f, const Call& call, const std::vector<Event>& events) {
  int64_t last = INT64_MIN;
  for (const Evidence& ev : f.evidence) {
    ASSERT_LT(ev.event, events.size());
    const bool in_call =
        std::find(call.events.begin(), call.events.end(), ev.event) != call.events.end() ||
        std::any_of(call.links.begin(), call.links.end(),
                    [&](const CallLink& l) { return l.event == ev.event; });
    EXPECT_TRUE(in_call) << ev.event;
    EXPECT_EQ(events[ev.event].origin.file, ev.file);
    EXPECT_EQ(events[ev.event].origin.line, ev.line);
    EXPECT_FALSE(ev.text.empty());
    EXPECT_GE(events[ev.event].ts_ms, last);
    last = events[ev.event].ts_ms;
  }
}

TEST(RuleEngineTest, ClientSrvMismatchIsSubdomainAndNamesTheRecord) {
  const std::vector<Event> events = {invite(Source::Client, "Lync-UccApi-0.UccApiLog", 10, kT0),
                                     response(Source::Client, "Lync-UccApi-0.UccApiLog", 40,
                                              kT0 + 200, 504, "Server time-out", {k1009})};
  const Call call = make_call(events);
  const auto findings = explain_call(rules(), call, events);
  ASSERT_EQ(1u, findings.size());
  const Finding& f = findings[0];
  EXPECT_EQ("srv-domain-mismatch", f.rule_id);
  EXPECT_EQ(kCallId, f.call_id);
  EXPECT_EQ(FindingSeverity::Error, f.severity);
  EXPECT_EQ("cms.steven.lab", field(f, "domain"));
  EXPECT_EQ("vcse.sub.cms.steven.lab", field(f, "fqdn"));
  EXPECT_EQ("subdomain", field(f, "relation"));
  EXPECT_EQ("_sipfederationtls._tcp.cms.steven.lab", field(f, "srv_record"));
  EXPECT_TRUE(contains(f.root_cause, "_sipfederationtls._tcp.cms.steven.lab")) << f.root_cause;
  EXPECT_TRUE(contains(f.root_cause, "subdomain")) << f.root_cause;
  EXPECT_FALSE(contains(f.root_cause, "different domain")) << f.root_cause;
  EXPECT_FALSE(contains(f.root_cause, "{{")) << f.root_cause;
  EXPECT_TRUE(contains(f.fix, "_sipfederationtls._tcp.cms.steven.lab")) << f.fix;
  EXPECT_TRUE(contains(f.fix, "subdomain")) << f.fix;
  // The generic catalogue rule gave way.
  EXPECT_NE(f.related_rules.end(), std::find(f.related_rules.begin(), f.related_rules.end(),
                                             "ms-diag-1009-srv-host-domain-conflict"));
  ASSERT_EQ(1u, f.evidence.size());
  EXPECT_EQ(1u, f.evidence[0].event);
  EXPECT_EQ(40u, f.evidence[0].line);
  EXPECT_TRUE(contains(f.evidence[0].text, "504")) << f.evidence[0].text;
  EXPECT_TRUE(contains(f.evidence[0].text, "1009")) << f.evidence[0].text;
}

TEST(RuleEngineTest, EdgeSrvMismatchIsDifferentDomain) {
  const std::vector<Event> events = {srv_edge_diag(120, kT0)};
  const auto findings = explain_call(rules(), make_call(events), events);
  ASSERT_EQ(1u, findings.size());
  const Finding& f = findings[0];
  EXPECT_EQ("srv-domain-mismatch", f.rule_id);
  EXPECT_EQ("acano.steven.lab", field(f, "domain"));
  EXPECT_EQ("vcse.steven.lab", field(f, "fqdn"));
  EXPECT_EQ("different-domain", field(f, "relation"));
  EXPECT_TRUE(contains(f.root_cause, "different domain")) << f.root_cause;
  EXPECT_TRUE(contains(f.fix, "_sipfederationtls._tcp.acano.steven.lab")) << f.fix;
  ASSERT_EQ(1u, f.evidence.size());
  EXPECT_EQ("sfvedge_federation.log", f.evidence[0].file);
  EXPECT_TRUE(contains(f.evidence[0].text, "0xc3e93d6f")) << f.evidence[0].text;
}

TEST(RuleEngineTest, ThreeSourcesOfOneFailureGiveOneFindingWithAllEvidence) {
  // Expressway sends the INVITE, the Edge logs why it refuses, the client (the FE relays the
  // 504 with ms-diagnostics) and the Expressway (bare 504) both see the answer.
  const std::vector<Event> events = {
      invite(Source::Expressway, "loggingsnapshot_vcse.txt", 100, kT0 - 20),
      srv_edge_diag(120, kT0),
      response(Source::Client, "Lync-UccApi-0.UccApiLog", 40, kT0 + 5, 504, "Server time-out",
               {"1009;reason=\"No match for domain in DNS SRV results\";"
                "domain=\"acano.steven.lab\";fqdn1=\"vcse.steven.lab:5061\""}),
      response(Source::Expressway, "loggingsnapshot_vcse.txt", 131, kT0 + 10, 504,
               "Server time-out")};
  const Call call = make_call(events);
  const auto findings = explain_call(rules(), call, events);
  ASSERT_EQ(1u, findings.size());
  const Finding& f = findings[0];
  EXPECT_EQ("srv-domain-mismatch", f.rule_id);
  EXPECT_EQ("different-domain", field(f, "relation"));
  ASSERT_EQ(3u, f.evidence.size());
  EXPECT_EQ(1u, f.evidence[0].event);  // Edge, earliest
  EXPECT_EQ(2u, f.evidence[1].event);  // client
  EXPECT_EQ(3u, f.evidence[2].event);  // Expressway's bare 504
  EXPECT_EQ("loggingsnapshot_vcse.txt", f.evidence[2].file);
  EXPECT_EQ(131u, f.evidence[2].line);
  expect_real_evidence(f, call, events);
  EXPECT_NE(f.related_rules.end(),
            std::find(f.related_rules.begin(), f.related_rules.end(), "unexplained-504"));
}

TEST(RuleEngineTest, CertMismatchFromClientAndEdge) {
  const std::vector<Event> client = {
      response(Source::Client, "Lync-UccApi-0.UccApiLog", 77, kT0, 504, "Server time-out",
               {"1010;reason=\"Certificate trust with another server could not be established\";"
                "ErrorType=\"The peer certificate does not contain a matching FQDN\";"
                "tls-target=\"vcse.cms.steven.lab\";PeerServer=\"vcse.steven.lab\";"
                "HRESULT=\"0x80090322(SEC_E_WRONG_PRINCIPAL)\";source=\"sip.skype.lab\""})};
  auto findings = explain_call(rules(), make_call(client), client);
  ASSERT_EQ(1u, findings.size());
  EXPECT_EQ("cert-fqdn-mismatch", findings[0].rule_id);
  EXPECT_EQ("vcse.cms.steven.lab", field(findings[0], "expected_fqdn"));
  EXPECT_EQ("vcse.steven.lab", field(findings[0], "cert_name"));
  EXPECT_TRUE(contains(findings[0].fix, "vcse.cms.steven.lab")) << findings[0].fix;

  const std::vector<Event> edge = {
      edge_diag(33, kT0, "0xC3E93D67", "SIPPROXY_E_ROUTING_MSG_CERT_MISMATCH",
                {{"expected-fqdn", "vcse.acano.steven.lab"},
                 {"certName", "vcse.steven.lab"},
                 {"info", "The peer certificate does not contain a matching FQDN"}})};
  findings = explain_call(rules(), make_call(edge), edge);
  ASSERT_EQ(1u, findings.size());
  EXPECT_EQ("cert-fqdn-mismatch", findings[0].rule_id);
  EXPECT_EQ("vcse.acano.steven.lab", field(findings[0], "expected_fqdn"));
  EXPECT_EQ("vcse.steven.lab", field(findings[0], "cert_name"));
}

TEST(RuleEngineTest, OnlyTheExpresswayBare504IsUnexplainedAndSaysWhatToCollect) {
  const std::vector<Event> events = {
      invite(Source::Expressway, "loggingsnapshot_vcse.txt", 100, kT0 - 20),
      response(Source::Expressway, "loggingsnapshot_vcse.txt", 131, kT0 + 10, 504,
               "Server time-out")};
  const Call call = make_call(events);
  const auto findings = explain_call(rules(), call, events);
  ASSERT_EQ(1u, findings.size());
  const Finding& f = findings[0];
  EXPECT_EQ("unexplained-504", f.rule_id);
  EXPECT_EQ("RTC/6.0", field(f, "server"));
  EXPECT_TRUE(contains(f.root_cause, "no diagnostic")) << f.root_cause;
  for (const char* part : {"Edge", "Centralized Logging Service", "Start-CsClsLogging",
                           "Search-CsClsLogging", "SIPStack", "Lync-UccApi-0.UccApiLog",
                           "%LOCALAPPDATA%\\Microsoft\\Office\\16.0\\Lync\\Tracing\\"}) {
    EXPECT_TRUE(contains(f.fix, part)) << part << "\n" << f.fix;
  }
  ASSERT_EQ(1u, f.evidence.size());
  EXPECT_EQ(131u, f.evidence[0].line);
  EXPECT_TRUE(f.related_rules.empty());
}

TEST(RuleEngineTest, HealthyCallHasNoFinding) {
  std::vector<Event> events = {
      invite(Source::Expressway, "loggingsnapshot_vcse.txt", 100, kT0),
      response(Source::Expressway, "loggingsnapshot_vcse.txt", 120, kT0 + 50, 100, "Trying"),
      response(Source::Expressway, "loggingsnapshot_vcse.txt", 140, kT0 + 900, 200, "OK")};
  EXPECT_TRUE(explain_call(rules(), make_call(events), events).empty());
  EXPECT_TRUE(explain_call(rules(), Call{}, events).empty());
}

TEST(RuleEngineTest, LinkedTlsFailureExplainsTheCall) {
  std::vector<Event> events = {invite(Source::Expressway, "loggingsnapshot_vcse.txt", 100, kT0),
                               response(Source::Expressway, "loggingsnapshot_vcse.txt", 131,
                                        kT0 + 30, 504, "Server time-out")};
  Event tls;
  tls.source = Source::Expressway;
  tls.kind = EventKind::Tls;
  tls.origin = {"loggingsnapshot_vcse.txt", 105};
  tls.ts_ms = kT0 + 5;
  tls.remote = "10.48.36.6:5061";
  tls.fields = {{"module", "network.tcp"},
                {"level", "DEBUG"},
                {"src_ip", "10.48.36.47"},
                {"dst_ip", "10.48.36.6"},
                {"detail", "TCP Connection Closed"},
                {"reason", "Peer's TLS certificate identity was unacceptable"}};
  tls.summary = "TCP Connection Closed: Peer's TLS certificate identity was unacceptable";
  events.push_back(tls);
  Call call = make_call({events[0], events[1]});
  call.links.push_back(CallLink{2, "10.48.36.6:5061 within 1 s of the INVITE"});
  const auto findings = explain_call(rules(), call, events);
  ASSERT_EQ(1u, findings.size());
  const Finding& f = findings[0];
  EXPECT_EQ("tls-negotiation-failure", f.rule_id);
  EXPECT_EQ("Peer's TLS certificate identity was unacceptable", field(f, "reason"));
  EXPECT_EQ("10.48.36.6:5061", field(f, "peer"));
  ASSERT_EQ(2u, f.evidence.size());
  EXPECT_EQ(105u, f.evidence[0].line);
  EXPECT_EQ(131u, f.evidence[1].line);
  expect_real_evidence(f, call, events);
  EXPECT_EQ(std::vector<std::string>{"unexplained-504"}, f.related_rules);
}

TEST(RuleEngineTest, CatalogueCodes) {
  struct Case {
    int status;
    const char* diag;
    const char* rule;
  };
  const Case cases[] = {
      {404, "1003;reason=\"User does not exist\";source=\"sip.skype.lab\"",
       "ms-diag-1003-user-not-found"},
      {504,
       "1034;reason=\"Previous hop federated peer did not report diagnostic information\";"
       "Domain=\"cms.steven.lab\";PeerServer=\"vcse.cms.steven.lab\";source=\"sip.skype.lab\"",
       "ms-diag-1034-federated-peer-no-diagnostics"},
      // 1008 has a specific rule; the catalogue entry gives way to it.
      {504, "1008;reason=\"Unable to resolve DNS SRV record\";domain=\"cms.steven.lab\"",
       "srv-record-missing"},
      {504, "1014;reason=\"Unable to resolve DNS A record\"", "ms-diag-1014-a-record-unresolved"},
      {480, "10003;reason=\"Proxy returned a SIP failure code\"", "ms-diag-other"},
  };
  for (const Case& c : cases) {
    const std::vector<Event> events = {
        response(Source::Client, "Lync-UccApi-0.UccApiLog", 5, kT0, c.status, "x", {c.diag})};
    const auto findings = explain_call(rules(), make_call(events), events);
    ASSERT_EQ(1u, findings.size()) << c.diag;
    EXPECT_EQ(c.rule, findings[0].rule_id) << c.diag;
    EXPECT_FALSE(contains(findings[0].root_cause, "{{")) << findings[0].root_cause;
  }
  // 1034's peer details reach the text; 1008 names the record and lists its catalogue rule.
  std::vector<Event> e1034 = {
      response(Source::Client, "c.log", 5, kT0, 504, "Server time-out", {cases[1].diag})};
  const Finding f1034 = explain_call(rules(), make_call(e1034), e1034).at(0);
  EXPECT_EQ("1034", field(f1034, "code"));
  EXPECT_TRUE(contains(f1034.root_cause, "vcse.cms.steven.lab")) << f1034.root_cause;
  std::vector<Event> e1008 = {
      response(Source::Client, "c.log", 5, kT0, 504, "Server time-out", {cases[2].diag})};
  const Finding f1008 = explain_call(rules(), make_call(e1008), e1008).at(0);
  EXPECT_TRUE(contains(f1008.fix, "_sipfederationtls._tcp.cms.steven.lab")) << f1008.fix;
  EXPECT_NE(f1008.related_rules.end(),
            std::find(f1008.related_rules.begin(), f1008.related_rules.end(),
                      "ms-diag-1008-srv-unresolved"));
}

TEST(RuleEngineTest, SpecificEdgeCauseOutranksGeneric1034) {
  const std::vector<Event> events = {
      edge_diag(33, kT0, "0xc3e93d67", "SIPPROXY_E_ROUTING_MSG_CERT_MISMATCH",
                {{"expected-fqdn", "vcse.acano.steven.lab"}, {"certName", "vcse.steven.lab"}}),
      response(Source::Client, "Lync-UccApi-0.UccApiLog", 5, kT0 + 3, 504, "Server time-out",
               {"1034;reason=\"Previous hop federated peer did not report diagnostic "
                "information\";source=\"sip.skype.lab\""})};
  const auto findings = explain_call(rules(), make_call(events), events);
  ASSERT_EQ(1u, findings.size());
  EXPECT_EQ("cert-fqdn-mismatch", findings[0].rule_id);
  EXPECT_EQ(2u, findings[0].evidence.size());
  EXPECT_NE(findings[0].related_rules.end(),
            std::find(findings[0].related_rules.begin(), findings[0].related_rules.end(),
                      "ms-diag-1034-federated-peer-no-diagnostics"));
}

TEST(RuleEngineTest, UnknownEdgeDiagnosticMeansNotUnexplained) {
  const std::vector<Event> events = {edge_diag(50, kT0, "0xc3e93c5e", "SIPPROXY_E_ROUTING", {}),
                                     response(Source::Expressway, "loggingsnapshot_vcse.txt", 131,
                                              kT0 + 10, 504, "Server time-out")};
  const auto findings = explain_call(rules(), make_call(events), events);
  ASSERT_EQ(1u, findings.size());
  EXPECT_EQ("edge-diagnostic-other", findings[0].rule_id);
  EXPECT_EQ(2u, findings[0].evidence.size());
}

TEST(RuleEngineTest, ObservationRulesGiveTheirOwnFindings) {
  const RuleSet set = RuleSet::from_text("obs.yaml", R"(
- id: fail
  title: failure
  severity: error
  match: [{status: 5xx}]
  root_cause: r
  fix: f
- id: dns-lookup
  title: DNS lookup seen
  severity: info
  explains: observation
  match:
    - kind: dns
      field.name: {regex: '^_sipfederationtls\._tcp\.(?P<domain>.+)$'}
  root_cause: looked up {{domain}}
  fix: none
)");
  ASSERT_TRUE(set.errors().empty());
  Event dns;
  dns.kind = EventKind::Dns;
  dns.origin = {"x.log", 3};
  dns.fields = {{"name", "_sipfederationtls._tcp.skype.lab"}};
  const std::vector<Event> events = {
      dns, response(Source::Expressway, "x.log", 9, kT0, 503, "Service Unavailable")};
  const auto findings = explain_call(set, make_call(events), events);
  ASSERT_EQ(2u, findings.size());
  EXPECT_EQ("fail", findings[0].rule_id);
  EXPECT_EQ("dns-lookup", findings[1].rule_id);
  EXPECT_EQ("skype.lab", field(findings[1], "domain"));
  EXPECT_EQ("looked up skype.lab", findings[1].root_cause);
}

Event dns_event(uint64_t line, int64_t ts, Fields fields) {
  Event e;
  e.source = Source::Expressway;
  e.kind = EventKind::Dns;
  e.origin = {"vcse.log", line};
  e.ts_ms = ts;
  e.fields = std::move(fields);
  return e;
}

// A bare 504 from one member of an Edge pool: the SRV answer linked to the call says which of
// the pool's addresses the call went to, an A query names that server, and the answer that
// says so is evidence. Queries and answers pair first in, first out.
TEST(RuleEngineTest, Unexplained504NamesThePoolMemberFromTheDnsAnswer) {
  std::vector<Event> events = {
      dns_event(1, kT0 - 40, {{"name", "_sipfederationtls._tcp.skype.lab"}}),
      dns_event(2, kT0 - 39, {{"name", "edge02.skype.lab"}}),
      dns_event(3, kT0 - 30, {{"addresses", "10.48.36.5:5061 10.48.36.6:5061"}}),
      dns_event(4, kT0 - 29, {{"addresses", "10.48.36.6:5061"}}),
      invite(Source::Expressway, "vcse.log", 10, kT0),
      response(Source::Expressway, "vcse.log", 20, kT0 + 4000, 504, "Server time-out")};
  Call call = make_call(events);
  call.events.erase(call.events.begin(), call.events.begin() + 4);
  // As the correlator links them: each answer carries the query it answers.
  for (size_t i = 0; i < 4; ++i)
    call.links.push_back(CallLink(i, "dns", "vcse.log", i + 1, EventKind::Dns));
  call.links[2].query = 0;
  call.links[3].query = 1;
  const auto findings = explain_call(rules(), call, events);
  ASSERT_FALSE(findings.empty());
  const Finding& f = findings[0];
  EXPECT_EQ(f.rule_id, "unexplained-504");
  EXPECT_EQ(field(f, "peer_srv_record"), "_sipfederationtls._tcp.skype.lab");
  EXPECT_EQ(field(f, "peer_srv_addresses"), "10.48.36.5, 10.48.36.6");
  EXPECT_EQ(field(f, "peer_srv_count"), "2");
  EXPECT_EQ(field(f, "peer_address"), "10.48.36.6");
  EXPECT_EQ(field(f, "peer_name"), "edge02.skype.lab");
  EXPECT_NE(f.fix.find("the Edge CLS trace of the Edge server at 10.48.36.6 (edge02.skype.lab), "
                       "the one this call went to"),
            std::string::npos)
      << f.fix;
  EXPECT_NE(f.fix.find("-Computers edge02.skype.lab"), std::string::npos) << f.fix;
  EXPECT_EQ(f.fix.find("EVERY Edge server"), std::string::npos) << f.fix;
  std::vector<uint64_t> lines;
  for (const Evidence& e : f.evidence) lines.push_back(e.line);
  EXPECT_EQ(lines, (std::vector<uint64_t>{3, 4, 20}));

  // The answer does not name the address the 504 came from: nothing is said of a pool.
  events[2].fields = {{"addresses", "10.48.36.5:5061"}};
  events[3].fields = {{"addresses", "10.48.36.7:5061"}};
  const auto other = explain_call(rules(), call, events);
  ASSERT_FALSE(other.empty());
  EXPECT_EQ(field(other[0], "peer_srv_record"), "<unset>");
  EXPECT_NE(other[0].fix.find("EVERY Edge server in the pool"), std::string::npos) << other[0].fix;

  // An answer whose query the correlator did not pair (e.g. the query lay outside the DNS
  // window) says nothing: the rules do not pair queries and answers again by themselves.
  events[2].fields = {{"addresses", "10.48.36.5:5061 10.48.36.6:5061"}};
  events[3].fields = {{"addresses", "10.48.36.6:5061"}};
  call.links[2].query = CallLink::kNoQuery;
  const auto unpaired = explain_call(rules(), call, events);
  ASSERT_FALSE(unpaired.empty());
  EXPECT_EQ(field(unpaired[0], "peer_srv_record"), "<unset>");
  EXPECT_EQ(field(unpaired[0], "peer_name"), "edge02.skype.lab");
}

// A failure rule matching a line after the call's 2xx (the BYE that cleared it) makes the call
// fail in the dialog; matching a line before the 2xx (one fork refused, another answered)
// leaves it as it ended.
TEST(RuleEngineTest, FailureAfterTheAnswerIsAMidDialogFailure) {
  const RuleSet set = RuleSet::from_text("late.yaml", R"(
- id: media
  title: media failed
  severity: error
  match: [{method: BYE}, {status: 503}]
  root_cause: "failed {{phase}} on {{failed_request}}"
  fix: f
)");
  ASSERT_TRUE(set.errors().empty());
  Event bye = invite(Source::Client, "c.log", 40, kT0 + 5000);
  bye.sip->method = "BYE";
  bye.sip->cseq_method = "BYE";
  bye.sip->request_uri = "sip:carol@contoso.com";
  std::vector<Event> events = {invite(Source::Client, "c.log", 10, kT0),
                               response(Source::Client, "c.log", 20, kT0 + 100, 200, "OK"), bye};
  Call call = make_call(events);
  call.method = "INVITE";
  FailureVerdict verdict;
  const auto findings = explain_call(set, call, events, &verdict);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_TRUE(verdict.explained);
  EXPECT_TRUE(verdict.after_success);
  EXPECT_EQ(verdict.method, "BYE");
  EXPECT_EQ(findings[0].root_cause, "failed mid-dialog on BYE");
  settle_outcome(call, verdict);
  EXPECT_TRUE(call.failed());
  EXPECT_EQ(call.phase, CallPhase::MidDialog);
  EXPECT_EQ(call.failure_method, "BYE");

  // A fork answered 503 before another answered 200: the call worked.
  events = {invite(Source::Client, "c.log", 10, kT0),
            response(Source::Client, "c.log", 15, kT0 + 50, 503, "Service Unavailable"),
            response(Source::Client, "c.log", 20, kT0 + 100, 200, "OK")};
  Call forked = make_call(events);
  forked.method = "INVITE";
  forked.final_status = 200;
  forked.final_reason = "OK";
  forked.outcome = Outcome::Ok;
  forked.phase = CallPhase::None;
  explain_call(set, forked, events, &verdict);
  EXPECT_TRUE(verdict.explained);
  EXPECT_FALSE(verdict.after_success);
  settle_outcome(forked, verdict);
  EXPECT_FALSE(forked.failed());
}

// A call that connected, then failed on a re-INVITE with ms-diagnostics 1009: the finding
// says the dialog was up and which request failed, and its fix names the Contact domain.
TEST(RuleEngineTest, MidDialog1009NamesTheRequestAndTheContactDomain) {
  std::vector<Event> events = {
      invite(Source::Client, "Lync-UccApi-0.UccApiLog", 10, kT0),
      response(Source::Client, "Lync-UccApi-0.UccApiLog", 30, kT0 + 500, 200, "OK"),
      response(Source::Client, "Lync-UccApi-0.UccApiLog", 90, kT0 + 60000, 504, "Server time-out",
               {"1009;reason=\"No match for domain in DNS SRV results\";"
                "domain=\"sub.cms.steven.lab\";fqdn1=\"vcse.sub.cms.steven.lab:5061\";"
                "source=\"sip.skype.lab\""})};
  Call call = make_call(events);
  call.final_status = 200;
  call.final_reason = "OK";
  call.outcome = Outcome::Failed;
  call.phase = CallPhase::MidDialog;
  call.failure_status = 504;
  call.failure_reason = "Server time-out";
  call.failure_method = "re-INVITE";
  call.failure_request_uri = "sip:vcse.sub.cms.steven.lab:5061;transport=tls";
  const auto findings = explain_call(rules(), call, events);
  ASSERT_FALSE(findings.empty());
  const Finding& f = findings[0];
  EXPECT_EQ(f.rule_id, "srv-domain-mismatch");
  EXPECT_EQ(field(f, "phase"), "mid-dialog");
  EXPECT_EQ(field(f, "contact_domain"), "vcse.sub.cms.steven.lab");
  EXPECT_NE(f.root_cause.find("The call was set up, then its re-INVITE failed"), std::string::npos)
      << f.root_cause;
  EXPECT_NE(f.root_cause.find("refused to send the re-INVITE on and answered 504 Server time-out"),
            std::string::npos)
      << f.root_cause;
  EXPECT_EQ(f.root_cause.find("refused to send the call on"), std::string::npos) << f.root_cause;
  EXPECT_NE(f.fix.find("(vcse.sub.cms.steven.lab), and for it the Edge looked up "
                       "_sipfederationtls._tcp.sub.cms.steven.lab"),
            std::string::npos)
      << f.fix;
  // Only the failing response is evidence, not the 200 OK.
  for (const Evidence& e : f.evidence) EXPECT_NE(e.text, "SIP/2.0 200 OK");
}

}  // namespace
}  // namespace fedtriage
