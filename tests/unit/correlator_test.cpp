#include "lib/correlate/correlator.h"

#include <gtest/gtest.h>

#include <tuple>

namespace fedtriage {
namespace {

// Builds SIP events by hand: the correlator sees only the normalized model.
struct EventBuilder {
  std::vector<Event> events;

  Event& sip(Source src, int64_t ts, std::string host, std::string call_id, int status,
             std::string top_branch, Direction dir, std::string remote,
             std::string proxy_call_id = "") {
    Event e;
    e.source = src;
    e.kind = EventKind::Sip;
    e.ts_ms = ts;
    e.host = std::move(host);
    e.call_id = std::move(call_id);
    e.cseq = "1 INVITE";
    e.direction = dir;
    e.remote = std::move(remote);
    e.origin = {std::string(to_string(src)) + ".log", events.size() + 1};
    SipMessage m;
    m.is_request = status == 0;
    m.method = "INVITE";
    m.request_uri = "sip:bob@skype.lab";
    m.status_code = status;
    m.call_id = e.call_id;
    m.cseq_number = 1;
    m.cseq_method = "INVITE";
    m.from.uri = "sip:alice@cms.example.com";
    m.from.display_name = "Alice";
    m.to.uri = "sip:bob@skype.lab";
    Via v;
    v.branch = std::move(top_branch);
    v.proxy_call_id = std::move(proxy_call_id);
    m.vias.push_back(v);
    e.sip = std::move(m);
    events.push_back(std::move(e));
    return events.back();
  }

  Event& other(EventKind kind, int64_t ts, std::string host, std::string remote, Fields fields) {
    Event e;
    e.source = Source::Expressway;
    e.kind = kind;
    e.ts_ms = ts;
    e.host = std::move(host);
    e.remote = std::move(remote);
    e.fields = std::move(fields);
    e.origin = {"expressway.log", events.size() + 1};
    events.push_back(std::move(e));
    return events.back();
  }
};

TEST(Correlator, SameMessageAtTwoHopsIsOneSighting) {
  EventBuilder b;
  // The Expressway sends the INVITE, the Edge receives it (same top Via), the Edge answers 504.
  b.sip(Source::Expressway, 1000, "vcse", "c1", 0, "z9hG4bK-exp", Direction::Out, "10.0.0.6:5061");
  b.sip(Source::Edge, 1010, "edge1", "c1", 0, "z9hG4bK-exp", Direction::In, "vcse:25002");
  b.sip(Source::Edge, 1020, "edge1", "c1", 504, "z9hG4bK-exp", Direction::Out, "vcse:25002");
  b.sip(Source::Expressway, 1030, "vcse", "c1", 504, "z9hG4bK-exp", Direction::In, "10.0.0.6:5061");
  auto calls = correlate(b.events);
  ASSERT_EQ(calls.size(), 1u);
  const Call& c = calls[0];
  EXPECT_EQ(c.messages.size(), 2u);  // one INVITE, one 504, each seen twice
  EXPECT_EQ(c.messages[0].events, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(c.messages[1].events, (std::vector<size_t>{2, 3}));
  EXPECT_EQ(c.final_status, 504);
  EXPECT_EQ(c.sources, (std::vector<Source>{Source::Expressway, Source::Edge}));
  EXPECT_EQ(c.first_ms, 1000);
  EXPECT_EQ(c.last_ms, 1030);
  EXPECT_EQ(c.from_display, "Alice");
  EXPECT_EQ(c.request_uri, "sip:bob@skype.lab");
  EXPECT_TRUE(c.failed());
}

TEST(Correlator, ForwardedRequestIsANewTransmission) {
  EventBuilder b;
  b.sip(Source::Client, 1000, "", "c1", 0, "z9hG4bK-client", Direction::Out, "fe:443");
  b.sip(Source::Edge, 1010, "edge1", "c1", 0, "z9hG4bK-fe", Direction::Out, "vcse:5061");
  auto calls = correlate(b.events);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].messages.size(), 2u);
}

TEST(Correlator, CallEventLinkedByProxyCallId) {
  EventBuilder b;
  b.sip(Source::Expressway, 1000, "vcse", "c1", 0, "b1", Direction::Out, "10.0.0.6:5061", "pc-1");
  b.other(EventKind::CallEvent, 1001, "vcse", "",
          {{"event", "Call Rejected"}, {"call_serial_number", "pc-1"}});
  b.other(EventKind::CallEvent, 1002, "vcse", "",
          {{"event", "Call Rejected"}, {"call_serial_number", "pc-other"}});
  auto calls = correlate(b.events);
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_EQ(calls[0].links.size(), 1u);
  EXPECT_EQ(calls[0].links[0].event, 1u);
  EXPECT_NE(calls[0].links[0].reason.find("proxy-call-id"), std::string::npos);
  EXPECT_EQ(calls[0].events, (std::vector<size_t>{0, 1}));
}

// The Edge answered the call itself (504 received from it): the transport to it worked, so a
// TLS failure towards the same address is not this call's cause.
TEST(Correlator, TlsFailureNotTiedToACallThePeerAnswered) {
  EventBuilder b;
  b.sip(Source::Expressway, 900, "vcse", "c1", 0, "b0", Direction::In, "10.0.0.46:7001");
  b.sip(Source::Expressway, 1000, "vcse", "c1", 0, "b1", Direction::Out, "10.0.0.6:5061");
  b.other(EventKind::Tls, 1500, "vcse", "10.0.0.6:5061", {{"reason", "bad cert"}});
  b.sip(Source::Expressway, 2000, "vcse", "c1", 504, "b1", Direction::In, "10.0.0.6:5061");
  b.sip(Source::Expressway, 2001, "vcse", "c1", 504, "b0", Direction::Out, "10.0.0.46:7001");
  auto calls = correlate(b.events);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_TRUE(calls[0].links.empty()) << calls[0].links[0].reason;
  EXPECT_TRUE(calls[0].failed());
}

TEST(Correlator, TlsFailureTowardsTheEdgeLinksWhenTheFailureGoesBackToExpresswayC) {
  EventBuilder b;
  // INVITE in from Expressway-C, out towards the Skype Edge; TLS to the Edge fails; the
  // Expressway answers 503 back to Expressway-C.
  b.sip(Source::Expressway, 1000, "vcse", "c1", 0, "b0", Direction::In, "10.0.0.46:7001");
  b.sip(Source::Expressway, 1010, "vcse", "c1", 0, "b1", Direction::Out, "203.0.113.10:5061");
  b.other(EventKind::Tls, 1100, "vcse", "203.0.113.10:5061", {{"reason", "identity"}});
  b.other(EventKind::Tls, 1150, "other-exp", "203.0.113.10:5061", {{"reason", "other host"}});
  b.other(EventKind::Tls, 1160, "vcse", "10.9.9.9:5061", {{"reason", "other peer"}});
  b.sip(Source::Expressway, 1200, "vcse", "c1", 503, "b0", Direction::Out, "10.0.0.46:7001");
  auto calls = correlate(b.events);
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_EQ(calls[0].links.size(), 1u);
  EXPECT_EQ(calls[0].links[0].event, 2u);
  EXPECT_NE(calls[0].links[0].reason.find("sent the call's request to 203.0.113.10 at"),
            std::string::npos)
      << calls[0].links[0].reason;
  EXPECT_NE(calls[0].links[0].reason.find("vcse answered the call itself with 503"),
            std::string::npos)
      << calls[0].links[0].reason;
}

// The Expressway never sent the INVITE: it resolved the domain, connected, TLS failed, and it
// answered 503 itself. Busy (486), cancelled (487) and declined (603) calls through the same
// peer at the same time get nothing; an inbound TLS error (a scanner) ties to no call.
TEST(Correlator, OutboundFailureTiedByTheChainOnlyToTheCallThatWaitedForIt) {
  EventBuilder b;
  b.sip(Source::Expressway, 1000, "vcse", "c1", 0, "a0", Direction::In, "10.0.0.46:7001");
  b.other(EventKind::Dns, 1001, "vcse", "", {{"name", "_sipfederationtls._tcp.skype.lab"}});
  b.other(EventKind::Dns, 1002, "vcse", "198.51.100.91:5061",
          {{"detail", "Resolved hostname to: ['IPv4''TCP''198.51.100.91:5061']"}});
  Event& connect =
      b.other(EventKind::Tcp, 1003, "vcse", "198.51.100.91:5061", {{"detail", "TCP Connecting"}});
  connect.direction = Direction::Out;
  // Other calls through the same Edge, ending normally.
  for (auto [id, status, t] : {std::tuple{"busy", 486, 1010}, std::tuple{"gone", 487, 1020},
                               std::tuple{"no", 603, 1030}, std::tuple{"fine", 200, 1040}}) {
    b.sip(Source::Expressway, t - 5, "vcse", id, 0, std::string(id) + "0", Direction::In,
          "10.0.0.46:7001");
    b.sip(Source::Expressway, t, "vcse", id, 0, std::string(id) + "1", Direction::Out,
          "198.51.100.91:5061");
    b.sip(Source::Expressway, t + 900, "vcse", id, status, std::string(id) + "1", Direction::In,
          "198.51.100.91:5061");
    b.sip(Source::Expressway, t + 901, "vcse", id, status, std::string(id) + "0", Direction::Out,
          "10.0.0.46:7001");
  }
  b.sip(Source::Expressway, 1500, "vcse", "gone", 0, "gone2", Direction::In, "10.0.0.46:7001")
      .sip->method = "CANCEL";  // the caller hung up: the 487 ends the call as designed
  Event& in = b.other(EventKind::Tls, 1100, "vcse", "203.0.113.99:40000",
                      {{"event", "Inbound TLS Negotiation Error"}});
  in.direction = Direction::In;
  Event& out = b.other(EventKind::Tls, 1200, "vcse", "198.51.100.91:5061",
                       {{"event", "Outbound TLS Negotiation Error"}});
  out.direction = Direction::Out;
  b.sip(Source::Expressway, 1300, "vcse", "c1", 503, "a0", Direction::Out, "10.0.0.46:7001")
      .sip->server = "TANDBERG/4352 (X12.5.4)";
  std::stable_sort(b.events.begin(), b.events.end(),
                   [](const Event& x, const Event& y) { return x.ts_ms < y.ts_ms; });
  auto calls = correlate(b.events);
  ASSERT_EQ(calls.size(), 5u);
  for (const Call& c : calls) {
    if (c.call_id != "c1") {
      for (const CallLink& l : c.links) {
        EXPECT_NE(b.events[l.event].kind, EventKind::Tls) << c.call_id << ": " << l.reason;
      }
      EXPECT_FALSE(c.failed()) << c.call_id;
      continue;
    }
    EXPECT_TRUE(c.failed());
    std::vector<std::string> kinds;
    for (const CallLink& l : c.links) kinds.emplace_back(to_string(l.kind));
    EXPECT_EQ(kinds, (std::vector<std::string>{"tls", "dns", "dns", "tcp"}));
    const std::string& reason = c.links.front().reason;
    EXPECT_TRUE(reason.starts_with("outbound TLS failure on vcse towards 198.51.100.91")) << reason;
    EXPECT_NE(reason.find("resolved _sipfederationtls._tcp.skype.lab to 198.51.100.91"),
              std::string::npos)
        << reason;
    EXPECT_NE(reason.find("connected to 198.51.100.91"), std::string::npos) << reason;
  }
}

// Two calls waiting on the same Expressway for the same Edge: the failure is tied to both,
// each told it is ambiguous.
TEST(Correlator, TwoPendingCallsMakeTheTieAmbiguous) {
  EventBuilder b;
  for (const char* id : {"c1", "c2"}) {
    b.sip(Source::Expressway, 1000, "vcse", id, 0, std::string(id) + "0", Direction::In,
          "10.0.0.46:7001");
  }
  Event& connect =
      b.other(EventKind::Tcp, 1003, "vcse", "198.51.100.91:5061", {{"detail", "TCP Connecting"}});
  connect.direction = Direction::Out;
  Event& out = b.other(EventKind::Tls, 1200, "vcse", "198.51.100.91:5061",
                       {{"event", "Outbound TLS Negotiation Error"}});
  out.direction = Direction::Out;
  for (const char* id : {"c1", "c2"}) {
    b.sip(Source::Expressway, 1300, "vcse", id, 503, std::string(id) + "0", Direction::Out,
          "10.0.0.46:7001");
  }
  auto calls = correlate(b.events);
  ASSERT_EQ(calls.size(), 2u);
  for (const Call& c : calls) {
    ASSERT_EQ(c.links.size(), 1u) << c.call_id;
    EXPECT_TRUE(c.links[0].reason.starts_with("ambiguous: 2 calls were waiting on vcse"))
        << c.links[0].reason;
  }
}

TEST(Correlator, HealthyCallGetsNoTransportLinks) {
  EventBuilder b;
  b.sip(Source::Expressway, 1000, "vcse", "c1", 0, "b1", Direction::Out, "10.0.0.6:5061");
  b.other(EventKind::Tls, 1500, "vcse", "10.0.0.6:5061", {{"reason", "unrelated"}});
  b.sip(Source::Expressway, 2000, "vcse", "c1", 200, "b1", Direction::In, "10.0.0.6:5061");
  auto calls = correlate(b.events);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_TRUE(calls[0].links.empty());
  EXPECT_FALSE(calls[0].failed());
}

TEST(Correlator, DnsQueryForTheTargetDomainIsLinked) {
  EventBuilder b;
  b.other(EventKind::Dns, 900, "vcse", "", {{"name", "_sipfederationtls._tcp.skype.lab"}});
  b.other(EventKind::Dns, 901, "vcse", "", {{"name", "_sipfederationtls._tcp.notskype.lab"}});
  b.sip(Source::Expressway, 1000, "vcse", "c1", 0, "b1", Direction::Out, "10.0.0.6:5061");
  auto calls = correlate(b.events);
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_EQ(calls[0].links.size(), 1u);
  EXPECT_EQ(calls[0].links[0].event, 0u);
}

// The answer of a linked query is linked too (it names the addresses, e.g. of every Edge pool
// member); two queries in flight get their answers first in, first out.
TEST(Correlator, DnsAnswerLinkedWithItsQuery) {
  EventBuilder b;
  b.other(EventKind::Dns, 900, "vcse", "", {{"name", "_sipfederationtls._tcp.notskype.lab"}});
  b.other(EventKind::Dns, 901, "vcse", "", {{"name", "_sipfederationtls._tcp.skype.lab"}});
  b.other(EventKind::Dns, 910, "vcse", "192.0.2.1:5061", {{"addresses", "192.0.2.1:5061"}});
  b.other(EventKind::Dns, 911, "vcse", "10.0.0.6:5061",
          {{"addresses", "10.0.0.6:5061 10.0.0.7:5061"}});
  b.sip(Source::Expressway, 1000, "vcse", "c1", 0, "b1", Direction::Out, "10.0.0.6:5061");
  auto calls = correlate(b.events);
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_EQ(calls[0].links.size(), 2u);
  EXPECT_EQ(calls[0].links[0].event, 1u);
  EXPECT_EQ(calls[0].links[1].event, 3u);
  EXPECT_EQ(calls[0].links[0].query, CallLink::kNoQuery);
  EXPECT_EQ(calls[0].links[1].query, 1u);  // the answer carries its query for the rules
  EXPECT_TRUE(calls[0].links[1].reason.starts_with(
      "DNS answer to the query for _sipfederationtls._tcp.skype.lab at "))
      << calls[0].links[1].reason;
}

TEST(Correlator, EventsOrderedAcrossSourcesEvenWithSkewedInputOrder) {
  EventBuilder b;
  // Input order is not time order (e.g. one file after the other); the call's timeline is.
  b.sip(Source::Expressway, 3000, "vcse", "c1", 504, "b1", Direction::In, "10.0.0.6:5061");
  b.sip(Source::Edge, 2000, "edge", "c1", 0, "b1", Direction::In, "vcse:1");
  b.sip(Source::Expressway, 1000, "vcse", "c1", 0, "b1", Direction::Out, "10.0.0.6:5061");
  auto calls = correlate(b.events);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].events, (std::vector<size_t>{2, 1, 0}));
  EXPECT_EQ(calls[0].final_status, 504);
}

TEST(Correlator, DiagnosticOnlyCallTakesItsRequestFromSipStartLine) {
  EventBuilder b;
  Event& d = b.other(EventKind::Diagnostic, 100, "edge", "vcse:25001",
                     {{"result_name", "SIPPROXY_E_ROUTING_MSG_CERT_MISMATCH"},
                      {"sip_start_line", "INVITE sip:bob@skype.lab SIP/2.0"}});
  d.source = Source::Edge;
  d.call_id = "c9";
  auto calls = correlate(b.events);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].method, "INVITE");
  EXPECT_EQ(calls[0].request_uri, "sip:bob@skype.lab");
  EXPECT_EQ(calls[0].final_status, 0);
  EXPECT_TRUE(calls[0].messages.empty());
}

TEST(Correlator, AddressHost) {
  EXPECT_EQ(address_host("10.48.36.6:5061"), "10.48.36.6");
  EXPECT_EQ(address_host("[2001:db8::1]:5061"), "2001:db8::1");
  EXPECT_EQ(address_host("vcse.steven.lab"), "vcse.steven.lab");
  EXPECT_EQ(address_host("2001:db8::1"), "2001:db8::1");
}

// Sets method and CSeq of a built event (request method, or CSeq method of a response).
Event& as(Event& e, const char* method, int cseq) {
  e.sip->cseq_number = cseq;
  e.sip->cseq_method = method;
  if (e.sip->is_request) e.sip->method = method;
  e.cseq = std::to_string(cseq) + " " + method;
  return e;
}

TEST(Outcome, ChallengeThenOkIsNormal) {
  EventBuilder b;
  as(b.sip(Source::Client, 1000, "pc", "r1", 0, "x1", Direction::Out, "edge:443"), "REGISTER", 1);
  as(b.sip(Source::Client, 1010, "pc", "r1", 401, "x1", Direction::In, "edge:443"), "REGISTER", 1);
  as(b.sip(Source::Client, 1020, "pc", "r1", 0, "x2", Direction::Out, "edge:443"), "REGISTER", 2);
  as(b.sip(Source::Client, 1030, "pc", "r1", 200, "x2", Direction::In, "edge:443"), "REGISTER", 2);
  auto calls = correlate(b.events);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].final_status, 401);
  EXPECT_EQ(calls[0].outcome, Outcome::Normal);
  EXPECT_FALSE(calls[0].failed());
}

TEST(Outcome, ChallengeThenFailureFails) {
  EventBuilder b;
  as(b.sip(Source::Client, 1000, "pc", "r1", 0, "x1", Direction::Out, "edge:443"), "REGISTER", 1);
  as(b.sip(Source::Client, 1010, "pc", "r1", 401, "x1", Direction::In, "edge:443"), "REGISTER", 1);
  as(b.sip(Source::Client, 1020, "pc", "r1", 0, "x2", Direction::Out, "edge:443"), "REGISTER", 2);
  as(b.sip(Source::Client, 1030, "pc", "r1", 500, "x2", Direction::In, "edge:443"), "REGISTER", 2);
  auto calls = correlate(b.events);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_TRUE(calls[0].failed());
  EXPECT_EQ(calls[0].failure_status, 500);
  EXPECT_EQ(calls[0].failure_method, "REGISTER");
}

TEST(Outcome, OptionsRefusedByANonFederatingPartnerIsNormal) {
  EventBuilder b;
  as(b.sip(Source::Expressway, 1000, "vcse", "o1", 0, "o1", Direction::Out, "10.0.0.6:5061"),
     "OPTIONS", 1);
  as(b.sip(Source::Expressway, 1010, "vcse", "o1", 403, "o1", Direction::In, "10.0.0.6:5061"),
     "OPTIONS", 1);
  auto calls = correlate(b.events);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].outcome, Outcome::Normal);
}

TEST(Outcome, BusyDeclineAndCancelledAreNormalButA487WithoutCancelIsNot) {
  for (auto [status, cancel, outcome] :
       {std::tuple{486, false, Outcome::Normal}, std::tuple{603, false, Outcome::Normal},
        std::tuple{487, true, Outcome::Normal}, std::tuple{487, false, Outcome::Failed},
        std::tuple{480, false, Outcome::Failed}}) {
    EventBuilder b;
    b.sip(Source::Expressway, 1000, "vcse", "c1", 0, "b1", Direction::Out, "10.0.0.6:5061");
    if (cancel) {
      b.sip(Source::Expressway, 1100, "vcse", "c1", 0, "b1", Direction::Out, "10.0.0.6:5061")
          .sip->method = "CANCEL";
    }
    b.sip(Source::Expressway, 1200, "vcse", "c1", status, "b1", Direction::In, "10.0.0.6:5061");
    auto calls = correlate(b.events);
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].outcome, outcome) << status << (cancel ? " after CANCEL" : "");
  }
}

// Connected (200 OK), then a re-INVITE failed with 504: a mid-dialog failure, its request-URI
// (the remote Contact) kept.
TEST(Outcome, ReInviteFailureAfterTheDialogWasUpIsMidDialog) {
  EventBuilder b;
  b.sip(Source::Client, 1000, "pc", "c1", 0, "i1", Direction::Out, "edge:443");
  b.sip(Source::Client, 1100, "pc", "c1", 200, "i1", Direction::In, "edge:443");
  Event& reinvite =
      as(b.sip(Source::Client, 5000, "pc", "c1", 0, "i2", Direction::Out, "edge:443"), "INVITE", 2);
  reinvite.sip->request_uri = "sip:vcse.cms.example.com:5061;transport=tls";
  as(b.sip(Source::Client, 5100, "pc", "c1", 504, "i2", Direction::In, "edge:443"), "INVITE", 2);
  auto calls = correlate(b.events);
  ASSERT_EQ(calls.size(), 1u);
  const Call& c = calls[0];
  EXPECT_EQ(c.final_status, 200);
  EXPECT_TRUE(c.failed());
  EXPECT_EQ(c.phase, CallPhase::MidDialog);
  EXPECT_EQ(c.failure_method, "re-INVITE");
  EXPECT_EQ(c.failure_status, 504);
  EXPECT_EQ(c.failure_request_uri, "sip:vcse.cms.example.com:5061;transport=tls");
}

}  // namespace
}  // namespace fedtriage
