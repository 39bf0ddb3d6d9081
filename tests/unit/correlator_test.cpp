#include "lib/correlate/correlator.h"

#include <gtest/gtest.h>

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

TEST(Correlator, TlsFailureTiedOnlyWhenSameHostSamePeerAndShortlyBefore) {
  EventBuilder b;
  b.sip(Source::Expressway, 1000, "vcse", "c1", 0, "b1", Direction::Out, "10.0.0.6:5061");
  b.other(EventKind::Tls, 1500, "vcse", "10.0.0.6:5061", {{"reason", "bad cert"}});         // yes
  b.other(EventKind::Tls, 1600, "vcse", "10.9.9.9:5061", {{"reason", "other peer"}});       // no
  b.other(EventKind::Tls, 1700, "other-exp", "10.0.0.6:5061", {{"reason", "other host"}});  // no
  b.other(EventKind::Tls, -60000, "vcse", "10.0.0.6:5061", {{"reason", "too early"}});      // no
  b.sip(Source::Expressway, 2000, "vcse", "c1", 504, "b1", Direction::In, "10.0.0.6:5061");
  std::stable_sort(b.events.begin(), b.events.end(),
                   [](const Event& x, const Event& y) { return x.ts_ms < y.ts_ms; });
  auto calls = correlate(b.events);
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_EQ(calls[0].links.size(), 1u);
  EXPECT_EQ(*find_field(b.events[calls[0].links[0].event].fields, "reason"), "bad cert");
  EXPECT_NE(calls[0].links[0].reason.find("500 ms before the 504"), std::string::npos);
}

TEST(Correlator, TlsFailureTowardsTheEdgeLinksWhenTheFailureGoesBackToExpresswayC) {
  EventBuilder b;
  // INVITE in from Expressway-C, out towards the Skype Edge; TLS to the Edge fails; the
  // Expressway answers 503 back to Expressway-C.
  b.sip(Source::Expressway, 1000, "vcse", "c1", 0, "b0", Direction::In, "10.0.0.46:7001");
  b.sip(Source::Expressway, 1010, "vcse", "c1", 0, "b1", Direction::Out, "203.0.113.10:5061");
  b.other(EventKind::Tls, 1100, "vcse", "203.0.113.10:5061", {{"reason", "identity"}});
  b.sip(Source::Expressway, 1200, "vcse", "c1", 503, "b0", Direction::Out, "10.0.0.46:7001");
  auto calls = correlate(b.events);
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_EQ(calls[0].links.size(), 1u);
  EXPECT_EQ(calls[0].links[0].event, 2u);
  EXPECT_NE(calls[0].links[0].reason.find(
                "towards 203.0.113.10, which the call crossed, 100 ms before the 503"),
            std::string::npos)
      << calls[0].links[0].reason;
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

}  // namespace
}  // namespace fedtriage
