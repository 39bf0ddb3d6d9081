#include "lib/spool/event_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "parsers/log_parser.h"
#include "tests/support/collecting_sinks.h"
#include "tests/support/fixture_events.h"

namespace fedtriage {
namespace {

// Every event the parsers make of the fixtures, in a fixed order. origin.seq is set here (the
// parsers do not set it) so that it is not always 0.
std::vector<Event> fixture_events() {
  std::vector<Event> events =
      testing::fixture_events({"expressway", "edge", "client", "scenarios", "hostile"});
  for (size_t i = 0; i < events.size(); ++i) events[i].origin.seq = static_cast<uint32_t>(i % 5);
  return events;
}

// Member-by-member comparison of two events, naming the first member that differs.
class Diff {
 public:
  template <typename T>
  void eq(const char* what, const T& a, const T& b) {
    if (first_.empty() && !(a == b)) first_ = what;
  }
  ::testing::AssertionResult result() const {
    if (first_.empty()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "differs in " << first_;
  }

 private:
  std::string first_;
};

void compare_name_addr(Diff& d, const NameAddr& a, const NameAddr& b) {
  d.eq("name_addr.display_name", a.display_name, b.display_name);
  d.eq("name_addr.uri", a.uri, b.uri);
  d.eq("name_addr.tag", a.tag, b.tag);
  d.eq("name_addr.present", a.present, b.present);
}

void compare_sip(Diff& d, const SipMessage& a, const SipMessage& b) {
  d.eq("sip.is_request", a.is_request, b.is_request);
  d.eq("sip.method", a.method, b.method);
  d.eq("sip.request_uri", a.request_uri, b.request_uri);
  d.eq("sip.status_code", a.status_code, b.status_code);
  d.eq("sip.reason_phrase", a.reason_phrase, b.reason_phrase);
  d.eq("sip.call_id", a.call_id, b.call_id);
  d.eq("sip.cseq_number", a.cseq_number, b.cseq_number);
  d.eq("sip.cseq_method", a.cseq_method, b.cseq_method);
  compare_name_addr(d, a.from, b.from);
  compare_name_addr(d, a.to, b.to);
  d.eq("sip.vias.size", a.vias.size(), b.vias.size());
  for (size_t i = 0; i < std::min(a.vias.size(), b.vias.size()); ++i) {
    const Via& x = a.vias[i];
    const Via& y = b.vias[i];
    d.eq("via.protocol", x.protocol, y.protocol);
    d.eq("via.sent_by", x.sent_by, y.sent_by);
    d.eq("via.branch", x.branch, y.branch);
    d.eq("via.received", x.received, y.received);
    d.eq("via.rport", x.rport, y.rport);
    d.eq("via.proxy_call_id", x.proxy_call_id, y.proxy_call_id);
    d.eq("via.params", x.params, y.params);
  }
  d.eq("sip.user_agent", a.user_agent, b.user_agent);
  d.eq("sip.server", a.server, b.server);
  d.eq("sip.content_length", a.content_length, b.content_length);
  d.eq("sip.body", a.body, b.body);
  d.eq("sip.headers.size", a.headers.size(), b.headers.size());
  for (size_t i = 0; i < std::min(a.headers.size(), b.headers.size()); ++i) {
    d.eq("header.name", a.headers[i].name, b.headers[i].name);
    d.eq("header.value", a.headers[i].value, b.headers[i].value);
  }
  d.eq("sip.ms_diagnostics.size", a.ms_diagnostics.size(), b.ms_diagnostics.size());
  for (size_t i = 0; i < std::min(a.ms_diagnostics.size(), b.ms_diagnostics.size()); ++i) {
    const MsDiagnostic& x = a.ms_diagnostics[i];
    const MsDiagnostic& y = b.ms_diagnostics[i];
    d.eq("ms_diagnostic.code", x.code, y.code);
    d.eq("ms_diagnostic.sub_code", x.sub_code, y.sub_code);
    d.eq("ms_diagnostic.is_public", x.is_public, y.is_public);
    d.eq("ms_diagnostic.reason", x.reason, y.reason);
    d.eq("ms_diagnostic.params", x.params, y.params);
  }
}

::testing::AssertionResult events_equal(const Event& a, const Event& b) {
  Diff d;
  d.eq("ts_ms", a.ts_ms, b.ts_ms);
  d.eq("basis", a.basis, b.basis);
  d.eq("source", a.source, b.source);
  d.eq("kind", a.kind, b.kind);
  d.eq("origin.file", a.origin.file, b.origin.file);
  d.eq("origin.line", a.origin.line, b.origin.line);
  d.eq("origin.seq", a.origin.seq, b.origin.seq);
  d.eq("host", a.host, b.host);
  d.eq("call_id", a.call_id, b.call_id);
  d.eq("cseq", a.cseq, b.cseq);
  d.eq("direction", a.direction, b.direction);
  d.eq("local", a.local, b.local);
  d.eq("remote", a.remote, b.remote);
  d.eq("sip.has_value", a.sip.has_value(), b.sip.has_value());
  if (a.sip && b.sip) compare_sip(d, *a.sip, *b.sip);
  d.eq("fields", a.fields, b.fields);
  d.eq("summary", a.summary, b.summary);
  d.eq("raw", a.raw, b.raw);
  return d.result();
}

std::string encode(const Event& e) {
  std::string out;
  encode_event(e, out);
  return out;
}

// An event with every member away from its default, with values at the edges of their types.
Event full_event() {
  Event e;
  e.ts_ms = -1234567890123;
  e.basis = TimeBasis::LocalUnaligned;
  e.source = Source::Client;
  e.kind = EventKind::CallEvent;
  e.origin = {"bundle.tar.gz!/member.txt", UINT64_MAX, UINT32_MAX};
  e.host = "vcse";
  e.call_id = "abc@host";
  e.cseq = "1 INVITE";
  e.direction = Direction::Out;
  e.local = "10.0.0.1:5061";
  e.remote = "10.0.0.2:5061";
  SipMessage m;
  m.is_request = false;
  m.method = "INVITE";
  m.request_uri = "sip:a@b";
  m.status_code = -7;
  m.reason_phrase = "Server time-out";
  m.call_id = "abc@host";
  m.cseq_number = UINT32_MAX;
  m.cseq_method = "INVITE";
  m.from = {"Display \"x\"", "sip:a@b", "t1", true};
  m.to = {"", "sip:c@d", "", false};
  m.vias.push_back(
      {"SIP/2.0/TLS", "h:5061", "z9hG4bK", "1.2.3.4", "", "pc", {{"a", "1"}, {"b", ""}}});
  m.vias.push_back({});
  m.user_agent = "UA";
  m.server = "S";
  m.content_length = UINT64_MAX;
  m.body = std::string("v=0\r\n\0binary\xff", 14);
  m.headers = {{"Via", "x"}, {"", ""}, {"i", "abc@host"}};
  m.ms_diagnostics.push_back({1009, -1, false, "", {}});
  m.ms_diagnostics.push_back({INT32_MIN, INT32_MAX, true, "No match", {{"domain", "a.b"}}});
  e.sip = m;
  e.fields = {{"Module", "network.sip"}, {"", ""}, {"Data", std::string(300, 'x')}};
  e.summary = "summary";
  e.raw = std::string(70000, 'r');
  return e;
}

TEST(EventCodec, RoundTripsEveryFixtureEvent) {
  const std::vector<Event> events = fixture_events();
  ASSERT_GT(events.size(), 50u);
  size_t with_sip = 0, with_diag = 0;
  std::string buf;
  Event decoded;  // reused across events, as the spool's loader does
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    with_sip += e.sip.has_value();
    with_diag += e.sip && !e.sip->ms_diagnostics.empty();
    buf.clear();
    encode_event(e, buf);
    ASSERT_TRUE(decode_event(buf, decoded)) << "event " << i << " of " << e.origin.file;
    ASSERT_TRUE(events_equal(e, decoded))
        << "event " << i << " of " << e.origin.file << ":" << e.origin.line;
    ASSERT_EQ(encode(decoded), buf);
  }
  EXPECT_GT(with_sip, 20u);
  EXPECT_GT(with_diag, 0u);
}

TEST(EventCodec, RoundTripsEdgeValuesAndDefaults) {
  for (const Event& e : {full_event(), Event{}}) {
    Event decoded;
    ASSERT_TRUE(decode_event(encode(e), decoded));
    EXPECT_TRUE(events_equal(e, decoded));
  }
}

// Changing any one member changes the encoding: nothing is left out of it.
TEST(EventCodec, EncodesEveryMember) {
  const Event base = full_event();
  const std::string base_bytes = encode(base);
  const std::vector<std::pair<const char*, std::function<void(Event&)>>> changes = {
      {"ts_ms", [](Event& e) { ++e.ts_ms; }},
      {"basis", [](Event& e) { e.basis = TimeBasis::Utc; }},
      {"source", [](Event& e) { e.source = Source::Edge; }},
      {"kind", [](Event& e) { e.kind = EventKind::Dns; }},
      {"origin.file", [](Event& e) { e.origin.file += "x"; }},
      {"origin.line", [](Event& e) { e.origin.line = 3; }},
      {"origin.seq", [](Event& e) { e.origin.seq = 2; }},
      {"host", [](Event& e) { e.host += "x"; }},
      {"call_id", [](Event& e) { e.call_id += "x"; }},
      {"cseq", [](Event& e) { e.cseq += "x"; }},
      {"direction", [](Event& e) { e.direction = Direction::In; }},
      {"local", [](Event& e) { e.local += "x"; }},
      {"remote", [](Event& e) { e.remote += "x"; }},
      {"sip", [](Event& e) { e.sip.reset(); }},
      {"sip.is_request", [](Event& e) { e.sip->is_request = true; }},
      {"sip.method", [](Event& e) { e.sip->method += "x"; }},
      {"sip.request_uri", [](Event& e) { e.sip->request_uri += "x"; }},
      {"sip.status_code", [](Event& e) { e.sip->status_code = 504; }},
      {"sip.reason_phrase", [](Event& e) { e.sip->reason_phrase += "x"; }},
      {"sip.call_id", [](Event& e) { e.sip->call_id += "x"; }},
      {"sip.cseq_number", [](Event& e) { e.sip->cseq_number = 5; }},
      {"sip.cseq_method", [](Event& e) { e.sip->cseq_method += "x"; }},
      {"sip.from.display_name", [](Event& e) { e.sip->from.display_name += "x"; }},
      {"sip.from.uri", [](Event& e) { e.sip->from.uri += "x"; }},
      {"sip.from.tag", [](Event& e) { e.sip->from.tag += "x"; }},
      {"sip.from.present", [](Event& e) { e.sip->from.present = false; }},
      {"sip.to.present", [](Event& e) { e.sip->to.present = true; }},
      {"via.protocol", [](Event& e) { e.sip->vias[0].protocol += "x"; }},
      {"via.sent_by", [](Event& e) { e.sip->vias[0].sent_by += "x"; }},
      {"via.branch", [](Event& e) { e.sip->vias[0].branch += "x"; }},
      {"via.received", [](Event& e) { e.sip->vias[0].received += "x"; }},
      {"via.rport", [](Event& e) { e.sip->vias[0].rport += "x"; }},
      {"via.proxy_call_id", [](Event& e) { e.sip->vias[0].proxy_call_id += "x"; }},
      {"via.params", [](Event& e) { e.sip->vias[0].params[1].second = "2"; }},
      {"sip.vias", [](Event& e) { e.sip->vias.pop_back(); }},
      {"sip.user_agent", [](Event& e) { e.sip->user_agent += "x"; }},
      {"sip.server", [](Event& e) { e.sip->server += "x"; }},
      {"sip.content_length", [](Event& e) { e.sip->content_length.reset(); }},
      {"sip.content_length value", [](Event& e) { e.sip->content_length = 0; }},
      {"sip.body", [](Event& e) { e.sip->body += "x"; }},
      {"header.name", [](Event& e) { e.sip->headers[1].name = "x"; }},
      {"header.value", [](Event& e) { e.sip->headers[1].value = "x"; }},
      {"ms_diagnostic.code", [](Event& e) { e.sip->ms_diagnostics[0].code = 1010; }},
      {"ms_diagnostic.sub_code", [](Event& e) { e.sip->ms_diagnostics[0].sub_code = 0; }},
      {"ms_diagnostic.is_public", [](Event& e) { e.sip->ms_diagnostics[0].is_public = true; }},
      {"ms_diagnostic.reason", [](Event& e) { e.sip->ms_diagnostics[0].reason = "x"; }},
      {"ms_diagnostic.params", [](Event& e) { e.sip->ms_diagnostics[0].params.push_back({}); }},
      {"fields", [](Event& e) { e.fields[1].second = "x"; }},
      {"summary", [](Event& e) { e.summary += "x"; }},
      {"raw", [](Event& e) { e.raw += "x"; }},
  };
  for (const auto& [name, change] : changes) {
    Event e = base;
    change(e);
    EXPECT_FALSE(events_equal(base, e)) << name << ": events_equal misses it";
    const std::string bytes = encode(e);
    EXPECT_NE(bytes, base_bytes) << name;
    Event decoded;
    ASSERT_TRUE(decode_event(bytes, decoded)) << name;
    EXPECT_TRUE(events_equal(e, decoded)) << name;
  }
}

TEST(EventCodec, AppendsToWhatIsInTheBuffer) {
  const Event e = full_event();
  std::string out = "prefix";
  encode_event(e, out);
  ASSERT_EQ(out.substr(0, 6), "prefix");
  EXPECT_EQ(out.substr(6), encode(e));
}

TEST(EventCodec, DecodingReusesTheTargetAndClearsWhatIsAbsent) {
  Event target = full_event();
  const size_t raw_capacity = target.raw.capacity();
  Event small;
  small.raw = "short";
  ASSERT_TRUE(decode_event(encode(small), target));
  EXPECT_TRUE(events_equal(small, target));
  EXPECT_FALSE(target.sip.has_value());
  EXPECT_EQ(target.raw.capacity(), raw_capacity);  // assigned into, not reallocated

  // A SIP event decoded over one with more vias, headers and diagnostics: the extras go.
  Event with_sip = full_event();
  Event fewer = full_event();
  fewer.sip->vias.resize(1);
  fewer.sip->headers.clear();
  fewer.sip->ms_diagnostics.resize(1);
  fewer.sip->content_length.reset();
  ASSERT_TRUE(decode_event(encode(fewer), with_sip));
  EXPECT_TRUE(events_equal(fewer, with_sip));
}

// A slot that goes SIP -> not SIP -> SIP gets the thread's spare message back: every member is
// decoded over what the earlier, larger message left in it, and its buffers are reused.
TEST(EventCodec, SipMessageKeptAsideForTheNextSipEventCarriesNothingOver) {
  Event target;
  Event big = full_event();
  big.sip->user_agent = std::string(500, 'u');
  ASSERT_TRUE(decode_event(encode(big), target));
  const size_t agent_capacity = target.sip->user_agent.capacity();
  Event tls;
  tls.kind = EventKind::Tls;
  tls.raw = "TLS negotiation failed";
  ASSERT_TRUE(decode_event(encode(tls), target));
  EXPECT_FALSE(target.sip.has_value());
  EXPECT_TRUE(events_equal(tls, target));

  Event small = full_event();
  small.sip->user_agent = "short agent";
  small.sip->vias.resize(1);
  small.sip->headers.resize(1);
  small.sip->ms_diagnostics.clear();
  small.sip->from = {};
  small.sip->content_length.reset();
  small.sip->body.clear();
  ASSERT_TRUE(decode_event(encode(small), target));
  ASSERT_TRUE(target.sip.has_value());
  EXPECT_TRUE(events_equal(small, target));
  EXPECT_EQ(target.sip->user_agent.capacity(), agent_capacity);
}

// Every prefix of a valid encoding is refused, and so is a trailing byte.
TEST(EventCodec, RefusesTruncatedAndOverlongInput) {
  std::vector<Event> samples = fixture_events();
  std::vector<Event> picked = {full_event(), Event{}};
  for (const Event& e : samples) {
    if (e.sip && !e.sip->ms_diagnostics.empty()) {
      picked.push_back(e);
      break;
    }
  }
  for (const Event& e : samples) {
    if (!e.sip) {
      picked.push_back(e);
      break;
    }
  }
  ASSERT_EQ(picked.size(), 4u);
  Event out;
  for (const Event& e : picked) {
    const std::string bytes = encode(e);
    for (size_t n = 0; n < bytes.size(); ++n) {
      ASSERT_FALSE(decode_event(std::string_view(bytes).substr(0, n), out)) << "prefix " << n;
    }
    EXPECT_FALSE(decode_event(bytes + '\0', out));
    EXPECT_TRUE(decode_event(bytes, out));
  }
}

// `e` as EventDetail::NoText gives it back: the record's text left empty.
Event without_text(Event e) {
  e.raw.clear();
  if (e.sip) {
    e.sip->vias.clear();
    e.sip->headers.clear();
    e.sip->body.clear();
  }
  return e;
}

// NoText encodes the whole event with its text left empty, and nothing else.
TEST(EventCodec, NoTextLeavesOutTheTextAndOnlyIt) {
  std::vector<Event> events = fixture_events();
  events.push_back(full_event());
  events.push_back(Event{});
  size_t with_text = 0;
  Event decoded = full_event();  // stale text that decoding must clear
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    const Event expected = without_text(e);
    with_text += e.sip && !e.sip->headers.empty() && !e.sip->vias.empty();
    const std::string whole = encode(e);

    std::string lean;
    encode_event(e, lean, EventDetail::NoText);
    EXPECT_EQ(lean, encode(expected)) << "event " << i;
    EXPECT_LE(lean.size(), whole.size());
    ASSERT_TRUE(decode_event(lean, decoded)) << "event " << i;
    ASSERT_TRUE(events_equal(expected, decoded)) << "event " << i;
  }
  EXPECT_GT(with_text, 20u);
}

TEST(EventCodec, RefusesBadVersionsEnumsBoolsAndCounts) {
  // The empty event, byte by byte: version, ts, basis, source, kind, file, line, seq, host,
  // call_id, cseq, direction, local, remote, raw, sip flag, field count, summary.
  const std::string good = encode(Event{});
  ASSERT_EQ(good.size(), 18u);
  Event out;
  ASSERT_TRUE(decode_event(good, out));
  auto with = [&](size_t i, std::string_view bytes) {
    std::string b = good;
    b.replace(i, 1, bytes);
    return b;
  };
  EXPECT_FALSE(decode_event(with(0, "\x01"), out));   // version (the layout before raw refs)
  EXPECT_FALSE(decode_event(with(2, "\x04"), out));   // basis
  EXPECT_FALSE(decode_event(with(3, "\x03"), out));   // source
  EXPECT_FALSE(decode_event(with(4, "\x06"), out));   // kind
  EXPECT_FALSE(decode_event(with(11, "\x03"), out));  // direction
  EXPECT_FALSE(decode_event(with(15, "\x02"), out));  // sip flag
  // Overlong varint (0 written as two bytes), and a count far beyond the bytes left.
  EXPECT_FALSE(decode_event(with(6, std::string("\x80\x00", 2)), out));
  EXPECT_FALSE(decode_event(with(16, "\x80\x80\x80\x80\x80\x80\x80\x80\x10"), out));
  // A varint of 11 bytes, and one with bits past 64.
  EXPECT_FALSE(decode_event(with(6, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"), out));
  EXPECT_FALSE(decode_event(with(6, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02"), out));
  EXPECT_TRUE(decode_event(with(6, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"), out));
  EXPECT_EQ(out.origin.line, UINT64_MAX);
  // seq is 32 bits.
  EXPECT_FALSE(decode_event(with(7, "\x80\x80\x80\x80\x10"), out));
  // A string length past the end.
  EXPECT_FALSE(decode_event(with(17, "\x05"), out));
}

// A SIP event with one header "H" of `value`, `body`, and `raw`.
Event sip_event(std::string raw, std::string value, std::string body) {
  Event e;
  e.raw = std::move(raw);
  e.sip.emplace();
  e.sip->headers.push_back({"H", std::move(value)});
  e.sip->body = std::move(body);
  return e;
}

TEST(EventCodec, HeaderValuesAndBodyFoundInTheRawTextAreReferences) {
  const std::string value = "sip:alice@example.com;tag=1234567890";
  const std::string body = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n";
  const std::string raw = "INVITE sip:x SIP/2.0\r\nH: " + value + "\r\n\r\n" + body;
  const Event in_raw = sip_event(raw, value, body);
  // The same text, not in raw (same length): written out.
  std::string other = raw;
  std::replace(other.begin(), other.end(), 'a', 'A');
  std::replace(other.begin(), other.end(), '0', 'O');
  const Event not_in_raw = sip_event(other, value, body);
  const std::string refs = encode(in_raw), bytes = encode(not_in_raw);
  EXPECT_LT(refs.size() + value.size() + body.size() - 8, bytes.size());
  Event out;
  ASSERT_TRUE(decode_event(refs, out));
  EXPECT_TRUE(events_equal(in_raw, out));
  ASSERT_TRUE(decode_event(bytes, out));
  EXPECT_TRUE(events_equal(not_in_raw, out));
  // Values that repeat, and a value before the previous one: each still decodes to itself.
  Event repeated = sip_event("a: 1\r\nb: 1\r\nc: 2\r\n", "1", "2");
  repeated.sip->headers.push_back({"b", "1"});
  repeated.sip->headers.push_back({"a", "a: 1"});
  ASSERT_TRUE(decode_event(encode(repeated), out));
  EXPECT_TRUE(events_equal(repeated, out));
}

TEST(EventCodec, OnlyTheEncodersChoiceOfReferenceDecodes) {
  Event out;
  // Bytes where the raw text holds the value: refused (the encoder would have referred).
  const Event literal = sip_event("H: abc!", "abc", "");
  std::string bytes = encode(sip_event("H: abd!", "abc", ""));
  const size_t at = bytes.find("H: abd!");
  ASSERT_NE(at, std::string::npos);
  bytes[at + 5] = 'c';
  EXPECT_FALSE(decode_event(bytes, out));
  ASSERT_TRUE(decode_event(encode(literal), out));
  EXPECT_TRUE(events_equal(literal, out));
  // A reference to a later copy than the first one from the cursor: refused.
  const std::string good = encode(sip_event("abcabc", "abc", ""));
  const size_t ref = good.find(std::string("\x01H\x07\x00", 4));  // name, then size 3, offset 0
  ASSERT_NE(ref, std::string::npos);
  ASSERT_TRUE(decode_event(good, out));
  std::string later = good;
  later[ref + 3] = '\x03';
  EXPECT_FALSE(decode_event(later, out));
  // Past the end of the raw text, and an empty reference.
  std::string past = good;
  past[ref + 3] = '\x04';
  EXPECT_FALSE(decode_event(past, out));
  std::string empty = good;
  empty[ref + 2] = '\x01';
  EXPECT_FALSE(decode_event(empty, out));
}

TEST(EventCodec, HostileRawTextStillRoundTrips) {
  // Text that matches every first byte and fails late: the budget (4 bytes compared per raw
  // byte) ends the search; the event still round-trips, with the rest written out.
  const std::string raw(200000, 'a');
  Event e = sip_event(raw, std::string(3000, 'a') + "b", std::string(100, 'a'));
  for (int i = 0; i < 200; ++i) e.sip->headers.push_back({"H", std::string(2000, 'a') + "b"});
  Event out;
  ASSERT_TRUE(decode_event(encode(e), out));
  EXPECT_TRUE(events_equal(e, out));
}

// Hostile bytes never crash the decoder. A flipped byte inside a string's text still decodes
// (to another event); whatever decodes is canonical: it encodes back to the same bytes.
TEST(EventCodec, SurvivesRandomFlipsAndGarbage) {
  std::mt19937 rng(12345);
  std::vector<Event> samples = fixture_events();
  std::vector<std::string> encodings = {encode(full_event())};
  for (size_t i = 0; i < samples.size(); i += samples.size() / 6) {
    encodings.push_back(encode(samples[i]));
  }
  Event out;
  size_t accepted = 0, tried = 0;
  for (const std::string& good : encodings) {
    for (int round = 0; round < 3000; ++round) {
      std::string b = good;
      // Mostly near the front, where the structure is dense; sometimes anywhere.
      const size_t span = round % 2 ? b.size() : std::min<size_t>(b.size(), 64);
      const int flips = 1 + static_cast<int>(rng() % 3);
      for (int f = 0; f < flips; ++f) b[rng() % span] ^= static_cast<char>(1 + rng() % 255);
      ++tried;
      if (decode_event(b, out)) {
        ++accepted;
        ASSERT_EQ(encode(out), b);
      }
    }
  }
  EXPECT_LT(accepted, tried);

  size_t garbage_accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string b(rng() % 200, '\0');
    for (char& c : b) c = static_cast<char>(rng());
    if (!b.empty() && round % 2) b[0] = '\x01';  // past the version check
    garbage_accepted += decode_event(b, out);
  }
  EXPECT_LT(garbage_accepted, 20u);
}

}  // namespace
}  // namespace fedtriage
