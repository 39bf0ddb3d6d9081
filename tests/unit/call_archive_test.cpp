// CallArchive: calls and findings go to a temporary file and come back whole, in order.
#include "lib/analysis/call_archive.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "tests/support/call_link_expect.h"

namespace fedtriage {
namespace {

Call sample_call(int n) {
  Call c;
  c.call_id = "call-" + std::to_string(n) + "@10.0.0.1";
  c.first_ms = 1709539200000 + n;
  c.last_ms = c.first_ms + 32000;
  c.from_uri = "sip:alice@cisco.example.com";
  c.from_display = "Alice \"A\" Ämmälä";
  c.to_uri = "sip:bob@skype.example.com";
  c.request_uri = "sip:bob@skype.example.com;transport=tls";
  c.method = "INVITE";
  c.final_status = n % 2 ? 504 : 200;
  c.final_reason = n % 2 ? "Server time-out" : "OK";
  if (n % 2) {
    c.outcome = Outcome::Failed;
    c.phase = n % 4 == 1 ? CallPhase::Setup : CallPhase::MidDialog;
    c.failure_status = 504;
    c.failure_reason = "Server time-out";
    c.failure_method = n % 4 == 1 ? "INVITE" : "re-INVITE";
    c.failure_request_uri = "sip:bob@edgepool.skype.example.com;gruu";
  }
  c.sources = {Source::Expressway, Source::Edge, Source::Client};
  c.hosts = {"vcse01", "10.48.36.6", "edge01.example.com"};
  c.event_count = 12;
  c.message_count = 5;
  c.sighting_count = 9;
  c.links.emplace_back(40 + n, "TLS failure on vcse01 towards 10.48.36.6, 120 ms before the 504",
                       "logs/vcse01.txt", 1234, EventKind::Tls);
  c.links.emplace_back(30 + n, "DNS answer to the query", "logs/vcse01.txt", 1200, EventKind::Dns)
      .query = 29 + n;
  return c;
}

Finding sample_finding(const Call& c) {
  Finding f;
  f.call_id = c.call_id;
  f.rule_id = "srv-domain-mismatch";
  f.title = "SRV record points outside the domain";
  f.severity = FindingSeverity::Critical;
  f.fields = {{"domain", "cisco.example.com"}, {"target", "vcse.sub.cisco.example.com"}};
  f.root_cause = "The SRV target is in a subdomain.\nSkype needs the exact domain.";
  f.fix = "Point _sipfederationtls._tcp.cisco.example.com at an FQDN in cisco.example.com.";
  f.evidence.push_back({3, "edge.log", 79, "Result-Code: 0xc3e93d6f", 77});
  f.evidence.push_back({SIZE_MAX, "client.UccApiLog", 5, "ms-diagnostics: 1009"});
  f.related_rules = {"ms-diagnostics-1009"};
  return f;
}

void expect_same_call(const Call& a, const Call& b) {
  EXPECT_EQ(a.call_id, b.call_id);
  EXPECT_EQ(a.first_ms, b.first_ms);
  EXPECT_EQ(a.last_ms, b.last_ms);
  EXPECT_EQ(a.from_uri, b.from_uri);
  EXPECT_EQ(a.from_display, b.from_display);
  EXPECT_EQ(a.to_uri, b.to_uri);
  EXPECT_EQ(a.request_uri, b.request_uri);
  EXPECT_EQ(a.method, b.method);
  EXPECT_EQ(a.final_status, b.final_status);
  EXPECT_EQ(a.outcome, b.outcome);
  EXPECT_EQ(a.phase, b.phase);
  EXPECT_EQ(a.failure_status, b.failure_status);
  EXPECT_EQ(a.failure_reason, b.failure_reason);
  EXPECT_EQ(a.failure_method, b.failure_method);
  EXPECT_EQ(a.failure_request_uri, b.failure_request_uri);
  EXPECT_EQ(a.final_reason, b.final_reason);
  EXPECT_EQ(a.sources, b.sources);
  EXPECT_EQ(a.hosts, b.hosts);
  EXPECT_EQ(a.event_count, b.event_count);
  EXPECT_EQ(a.message_count, b.message_count);
  EXPECT_EQ(a.sighting_count, b.sighting_count);
  testing::expect_same_links(a.links, b.links);
}

void expect_same_finding(const Finding& a, const Finding& b) {
  EXPECT_EQ(a.call_id, b.call_id);
  EXPECT_EQ(a.rule_id, b.rule_id);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.severity, b.severity);
  EXPECT_EQ(a.fields, b.fields);
  EXPECT_EQ(a.root_cause, b.root_cause);
  EXPECT_EQ(a.fix, b.fix);
  EXPECT_EQ(a.related_rules, b.related_rules);
  ASSERT_EQ(a.evidence.size(), b.evidence.size());
  for (size_t i = 0; i < a.evidence.size(); ++i) {
    EXPECT_EQ(a.evidence[i].event, b.evidence[i].event);
    EXPECT_EQ(a.evidence[i].file, b.evidence[i].file);
    EXPECT_EQ(a.evidence[i].line, b.evidence[i].line);
    EXPECT_EQ(a.evidence[i].text, b.evidence[i].text);
    EXPECT_EQ(a.evidence[i].record_line, b.evidence[i].record_line);
  }
}

TEST(CallArchive, CallsComeBackWholeAndInOrder) {
  CallArchive archive;
  std::vector<Call> calls;
  std::vector<std::vector<Finding>> findings;
  std::string error;
  for (int n = 0; n < 500; ++n) {
    calls.push_back(sample_call(n));
    findings.emplace_back();
    if (n % 2) findings.back() = {sample_finding(calls.back()), sample_finding(calls.back())};
    ASSERT_TRUE(archive.add(calls.back(), findings.back(), &error)) << error;
  }
  EXPECT_EQ(archive.size(), 500u);
  for (int pass = 0; pass < 2; ++pass) {  // readable more than once
    size_t i = 0;
    ASSERT_TRUE(archive.for_each(
        [&](const Call& c, const std::vector<Finding>& f) {
          ASSERT_LT(i, calls.size());
          expect_same_call(c, calls[i]);
          ASSERT_EQ(f.size(), findings[i].size());
          for (size_t k = 0; k < f.size(); ++k) expect_same_finding(f[k], findings[i][k]);
          ++i;
        },
        &error))
        << error;
    EXPECT_EQ(i, calls.size());
  }
}

TEST(CallArchive, AddingGoesOnAfterReading) {
  CallArchive archive;
  std::string error;
  ASSERT_TRUE(archive.add(sample_call(1), {}, &error));
  size_t seen = 0;
  ASSERT_TRUE(archive.for_each([&](const Call&, const std::vector<Finding>&) { ++seen; }));
  ASSERT_TRUE(archive.add(sample_call(2), {}, &error));
  std::vector<std::string> ids;
  ASSERT_TRUE(archive.for_each(
      [&](const Call& c, const std::vector<Finding>&) { ids.push_back(c.call_id); }));
  EXPECT_EQ(seen, 1u);
  EXPECT_EQ(ids, (std::vector<std::string>{sample_call(1).call_id, sample_call(2).call_id}));
}

TEST(CallArchive, WithoutATemporaryDirectoryCallsStayInMemory) {
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  ::setenv("TMPDIR", "/nonexistent-fedtriage-tmp", 1);
  {
    CallArchive archive;
    std::string error;
    ASSERT_TRUE(archive.add(sample_call(7), {sample_finding(sample_call(7))}, &error)) << error;
    size_t findings = 0;
    ASSERT_TRUE(archive.for_each([&](const Call& c, const std::vector<Finding>& f) {
      expect_same_call(c, sample_call(7));
      findings += f.size();
    }));
    EXPECT_EQ(findings, 1u);
  }
  if (old) {
    ::setenv("TMPDIR", saved.c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
}

TEST(CallArchive, EmptyArchiveCallsNothing) {
  CallArchive archive;
  bool called = false;
  EXPECT_TRUE(archive.for_each([&](const Call&, const std::vector<Finding>&) { called = true; }));
  EXPECT_FALSE(called);
  EXPECT_EQ(archive.size(), 0u);
}

}  // namespace
}  // namespace fedtriage
