// The hand-written event JSON writer against the nlohmann rendering it replaced (kept here
// as the oracle): every event of every testdata file, with and without raw, and crafted
// hostile strings (control characters, DEL, C1, invalid and truncated UTF-8) in every field.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "lib/analysis/read.h"
#include "lib/core/timestamp.h"
#include "lib/ingest/ingest.h"
#include "lib/report/event_json.h"
#include "lib/report/json_support.h"
#include "tests/support/collecting_sinks.h"

namespace fedtriage {
namespace {

using nlohmann::ordered_json;

// The nlohmann-based event_to_json, as it was.
std::string oracle_event_json(const Event& e, const EventJsonOptions& options) {
  ordered_json j;
  j["ts"] = format_iso_utc(e.ts_ms);
  if (e.basis != TimeBasis::Utc) j["time_basis"] = to_string(e.basis);
  j["source"] = to_string(e.source);
  j["kind"] = to_string(e.kind);
  j["origin"] = {{"file", e.origin.file}, {"line", e.origin.line}};
  if (!e.host.empty()) j["host"] = e.host;
  j["call_id"] = e.call_id.empty() ? ordered_json(nullptr) : ordered_json(e.call_id);
  j["cseq"] = e.cseq.empty() ? ordered_json(nullptr) : ordered_json(e.cseq);
  if (e.sip) {
    const SipMessage& m = *e.sip;
    j["method"] = m.method;
    j["status"] = m.is_request ? ordered_json(nullptr) : ordered_json(m.status_code);
    if (!m.is_request) j["reason"] = m.reason_phrase;
    if (m.is_request) j["request_uri"] = m.request_uri;
    j["from"] = {{"display", m.from.display_name}, {"uri", m.from.uri}, {"tag", m.from.tag}};
    j["to"] = {{"display", m.to.display_name}, {"uri", m.to.uri}, {"tag", m.to.tag}};
    if (!m.server.empty()) j["server"] = m.server;
    if (!m.user_agent.empty()) j["user_agent"] = m.user_agent;
  }
  j["direction"] = to_string(e.direction);
  j["local"] = e.local.empty() ? ordered_json(nullptr) : ordered_json(e.local);
  j["remote"] = e.remote.empty() ? ordered_json(nullptr) : ordered_json(e.remote);
  if (e.sip) j["ms_diagnostics"] = ms_diagnostics_to_json(e.sip->ms_diagnostics);
  if (!e.summary.empty()) j["summary"] = e.summary;
  if (!e.fields.empty()) j["fields"] = fields_to_json(e.fields);
  if (options.include_raw) j["raw"] = e.raw;
  return dump_json(j);
}

void expect_same(const Event& e) {
  for (bool raw : {false, true}) {
    const EventJsonOptions options{.include_raw = raw};
    const std::string want = oracle_event_json(e, options);
    ASSERT_EQ(event_to_json(e, options), want) << e.origin.file << ":" << e.origin.line;
    std::string appended = "x";
    append_event_json(appended, e, options);
    ASSERT_EQ(appended, "x" + want);
  }
}

TEST(EventJson, MatchesOracleOnEveryTestdataEvent) {
  testing::CollectingProblems problems;
  const IngestResult r = read_in_memory({FEDTRIAGE_TESTDATA_DIR}, IngestOptions{}, problems);
  ASSERT_GT(r.events.size(), 100u);
  size_t sip = 0;
  for (const Event& e : r.events) {
    expect_same(e);
    sip += e.sip.has_value();
  }
  EXPECT_GT(sip, 10u);
}

std::string oracle_string(const std::string& s) {
  return dump_json(ordered_json(s));
}

std::string new_string(const std::string& s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

std::vector<std::string> hostile_strings() {
  std::vector<std::string> v = {
      "",
      "plain",
      "quote \" backslash \\ slash /",
      "\b\f\n\r\t\x01\x1f\x7f",
      std::string("nul\0byte", 8),
      "\xc2\x80\xc2\x9b[31m\xc2\x9f\xc2\xa0",
      "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
      "\xed\xa0\x80 surrogate",
      "\xc0\xaf overlong",
      "\xe0\x80\xaf overlong",
      "\xf4\x90\x80\x80 too big",
      "\xf8\x88\x80\x80\x80",
      "truncated \xe2\x82",
      "truncated end \xf0\x9f\x98",
      "\xe2\x82\"",
      "\xe2\x82\\",
      "\xc2\n",
      "\xc2",
      "\x80\x80\x80",
      "\xff\xfe",
  };
  // Every one- and two-byte string.
  for (int a = 0; a < 256; ++a) {
    v.emplace_back(1, static_cast<char>(a));
    for (int b = 0; b < 256; ++b) {
      v.push_back({static_cast<char>(a), static_cast<char>(b)});
    }
  }
  // Lead bytes with interesting continuation bytes, and around ASCII.
  const unsigned char tails[] = {0x00, 0x22, 0x41, 0x5c, 0x7f, 0x80, 0x8f,
                                 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xff};
  for (int lead = 0xc0; lead < 0x100; ++lead) {
    for (unsigned char t1 : tails) {
      for (unsigned char t2 : tails) {
        for (unsigned char t3 : tails) {
          v.push_back({'a', static_cast<char>(lead), static_cast<char>(t1), static_cast<char>(t2),
                       static_cast<char>(t3), 'z'});
        }
      }
    }
  }
  // Random strings over a biased alphabet.
  std::mt19937 rng(42);
  const std::string alphabet =
      std::string("ab\"\\\n\r\t\x01\x7f", 9) +
      "\x80\x8f\x90\x9b\x9f\xa0\xbf\xc0\xc1\xc2\xc3\xdf\xe0\xe2\xed\xef\xf0\xf4\xf5\xff";
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 14, ' ');
    for (char& c : s) c = alphabet[rng() % alphabet.size()];
    v.push_back(std::move(s));
  }
  // Longer, mostly plain strings with one byte of every value at every offset: the encoder
  // skips plain text eight bytes at a time and must stop exactly at what needs care.
  for (size_t len : {8, 9, 15, 16, 17, 31, 40}) {
    for (size_t at = 0; at < len; ++at) {
      for (int b = 0; b < 256; ++b) {
        std::string s(len, 'x');
        s[at] = static_cast<char>(b);
        v.push_back(std::move(s));
      }
    }
  }
  return v;
}

TEST(EventJson, StringsMatchOracle) {
  for (const std::string& s : hostile_strings()) {
    ASSERT_EQ(new_string(s), oracle_string(s))
        << ordered_json(s).dump(-1, ' ', true, ordered_json::error_handler_t::replace);
  }
}

TEST(EventJson, NumbersMatchOracle) {
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{7}, int64_t{-2147483648},
                    int64_t{9223372036854775807}, int64_t{-9223372036854775807} - 1}) {
    std::string out;
    append_json_int(out, v);
    EXPECT_EQ(out, ordered_json(v).dump());
  }
  for (uint64_t v : {uint64_t{0}, uint64_t{42}, ~uint64_t{0}}) {
    std::string out;
    append_json_uint(out, v);
    EXPECT_EQ(out, ordered_json(v).dump());
  }
}

Event crafted_sip_event(const std::string& s, bool request) {
  Event e;
  e.ts_ms = -1234567;
  e.basis = TimeBasis::LocalInferred;
  e.source = Source::Client;
  e.direction = Direction::Out;
  e.origin.file = "f" + s;
  e.origin.line = ~uint64_t{0};
  e.host = s;
  e.call_id = s;
  e.cseq = s;
  e.local = s;
  e.remote = s;
  e.summary = s;
  e.raw = s + "\r\n" + s;
  e.fields = {{s, "1"}, {"k", s}, {s, "dup"}, {"k", "dup"}, {"", ""}};
  SipMessage m;
  m.is_request = request;
  m.method = s;
  m.request_uri = s;
  m.status_code = request ? 0 : -5;
  m.reason_phrase = s;
  m.from.display_name = s;
  m.from.uri = s;
  m.from.tag = s;
  m.to.display_name = s;
  m.server = s;
  m.user_agent = s;
  MsDiagnostic d1;
  d1.code = 1009;
  d1.reason = s;
  d1.params = {{"domain", s}, {s, "x"}, {"domain", "dup"}};
  MsDiagnostic d2;
  d2.code = -3;
  d2.sub_code = 2;
  d2.is_public = true;
  m.ms_diagnostics = {d1, d2, MsDiagnostic{}};
  e.sip = std::move(m);
  return e;
}

TEST(EventJson, CraftedEventsMatchOracle) {
  const std::vector<std::string> strings = {"",
                                            "plain",
                                            "\"q\"\\",
                                            "\x7f\xc2\x9b\x01",
                                            "bad \xff\xc3",
                                            "\xe2\x82\xac ok",
                                            "\xed\xbf\xbf"};
  for (const std::string& s : strings) {
    expect_same(crafted_sip_event(s, true));
    expect_same(crafted_sip_event(s, false));
    Event plain = crafted_sip_event(s, true);
    plain.sip.reset();
    plain.kind = EventKind::Diagnostic;
    expect_same(plain);
    plain.fields.clear();
    plain.host.clear();
    plain.basis = TimeBasis::Utc;
    expect_same(plain);
  }
  Event empty_diags = crafted_sip_event("x", false);
  empty_diags.sip->ms_diagnostics.clear();
  expect_same(empty_diags);
}

}  // namespace
}  // namespace fedtriage
