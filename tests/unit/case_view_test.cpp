// The case view (lib/report/case_view.h): the text and JSON reports of `analyze` read nothing
// but the view, and the adapter of an Analysis hands over every part of it, whether the calls
// are in memory or in the call archive on disk.
#include "lib/report/case_view.h"

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lib/analysis/analyzer.h"
#include "lib/analysis/call_archive.h"
#include "lib/preflight/preflight_model.h"
#include "lib/report/analysis_case_view.h"
#include "lib/report/json_report.h"
#include "lib/report/text_report.h"

namespace fedtriage {
namespace {

// One case by hand: a skipped input, one with a problem, a note, a failed call with its
// finding, a healthy call, and the two in one conversation explained once.
struct CaseParts {
  std::vector<InputRecord> inputs;
  std::vector<std::string> notes;
  CaseTotals totals;
  std::vector<Call> calls;
  std::vector<Finding> findings;  // grouped by call, in call order
  ConversationSet conversations;
  std::vector<ConversationFinding> conversation_findings;
};

CaseParts case_parts() {
  CaseParts p;
  InputRecord read;
  read.name = "bundle.tar.gz!/loggingsnapshot.txt";
  read.format = "expressway";
  read.bytes = 1200;
  read.lines = 30;
  read.events = 4;
  read.sha256 = "ab12";
  read.problems.push_back({Problem::Severity::Warning, read.name, 7, "truncated record"});
  InputRecord skipped;
  skipped.name = "bundle.tar.gz!/readme.txt";
  skipped.format = "unknown";
  skipped.skipped = true;
  skipped.skip_reason = "no known log format";
  p.inputs = {read, skipped};
  p.notes = {"client clock aligned by +2 s"};

  Call failed;
  failed.call_id = "leg-b";
  failed.first_ms = 1560450698100;
  failed.last_ms = 1560450699100;
  failed.from_uri = "sip:room4@cisco.example.org";
  failed.from_display = "Room 4";
  failed.to_uri = "sip:dana@fabrikam.com";
  failed.method = "INVITE";
  failed.final_status = 504;
  failed.final_reason = "Server Time-out";
  failed.sources = {Source::Expressway, Source::Edge};
  failed.hosts = {"vcse", "edge01"};
  failed.outcome = Outcome::Failed;
  failed.phase = CallPhase::Setup;
  failed.failure_status = 504;
  failed.failure_reason = "Server Time-out";
  failed.failure_method = "INVITE";
  failed.links.push_back(CallLink(0, "Call-serial-number 6b2a", "loggingsnapshot.txt", 12));
  failed.event_count = 3;
  failed.message_count = 2;
  failed.sighting_count = 3;
  Call healthy;
  healthy.call_id = "leg-a";
  healthy.first_ms = 1560450698000;
  healthy.final_status = 200;
  healthy.method = "INVITE";
  healthy.sources = {Source::Client};
  healthy.event_count = 2;
  healthy.message_count = 2;
  healthy.sighting_count = 2;
  p.calls = {healthy, failed};

  Finding f;
  f.call_id = "leg-b";
  f.rule_id = "srv-record-missing";
  f.title = "No federation SRV record";
  f.severity = FindingSeverity::Error;
  f.fields = {{"srv_record", "_sipfederationtls._tcp.fabrikam.com"}};
  f.root_cause = "fabrikam.com publishes no SRV record";
  f.fix = "Publish it";
  f.evidence.push_back({0, "loggingsnapshot.txt", 14, "SIP/2.0 504 Server Time-out", 12});
  p.findings = {f};

  p.totals.events = 5;
  p.totals.calls = 2;
  p.totals.failed_calls = 1;
  p.totals.findings = 1;
  p.totals.findings_by_rule = {{"srv-record-missing", 1}};

  Conversation cv{"cv-1", {"leg-a", "leg-b"}, {{"leg-a", "leg-b", {"session-id", "5e55"}}}};
  p.conversations.conversations = {cv};
  p.conversations.index_calls();
  p.conversation_findings.push_back({"cv-1",
                                     "leg-b",
                                     "srv-record-missing",
                                     "No federation SRV record",
                                     {{"leg-a", 504}},
                                     "the caller got 504 because the leg to fabrikam.com did"});
  return p;
}

// A view that is only the parts above: what a report prints from it came through the view.
class FakeCaseView : public CaseView {
 public:
  explicit FakeCaseView(CaseParts parts) : p_(std::move(parts)) {}
  const std::vector<InputRecord>& inputs() const override { return p_.inputs; }
  const std::vector<std::string>& notes() const override { return p_.notes; }
  CaseTotals totals() const override { return p_.totals; }
  const ConversationSet& conversations() const override { return p_.conversations; }
  const std::vector<ConversationFinding>& conversation_findings() const override {
    return p_.conversation_findings;
  }
  const std::vector<preflight::DomainReport>& certificates() const override {
    return certificates_;
  }
  bool for_each_call(const CallVisitor& fn, std::string*) const override {
    ++passes;
    for (const Call& c : p_.calls) {
      std::vector<const Finding*> of_call;
      for (const Finding& f : p_.findings) {
        if (f.call_id == c.call_id) of_call.push_back(&f);
      }
      fn(c, of_call);
    }
    return true;
  }

  mutable int passes = 0;

 private:
  CaseParts p_;
  std::vector<preflight::DomainReport> certificates_;
};

// The same case as an Analysis; with `archived`, its calls in the call archive as analyze()
// leaves them.
Analysis as_analysis(const CaseParts& p, bool archived) {
  Analysis a;
  a.inputs = p.inputs;
  a.notes = p.notes;
  a.event_count = p.totals.events;
  a.totals.calls = p.totals.calls;
  a.totals.failed_calls = p.totals.failed_calls;
  a.totals.normal_calls = p.totals.normal_calls;
  a.totals.findings = p.totals.findings;
  a.totals.findings_by_rule = p.totals.findings_by_rule;
  a.conversations = p.conversations;
  a.conversation_findings = p.conversation_findings;
  if (!archived) {
    a.calls = p.calls;
    a.findings = p.findings;
    return a;
  }
  a.archive = std::make_shared<CallArchive>();
  for (const Call& c : p.calls) {
    std::vector<Finding> of_call;
    for (const Finding& f : p.findings) {
      if (f.call_id == c.call_id) of_call.push_back(f);
    }
    std::string error;
    EXPECT_TRUE(a.archive->add(c, of_call, &error)) << error;
  }
  return a;
}

TEST(CaseView, TheTextReportReadsEveryPartFromTheView) {
  const FakeCaseView view(case_parts());
  const std::string text = analysis_to_text(view);
  EXPECT_EQ(text,
            "fedtriage: 1 input read (1 skipped), 1 with problems, 5 events, 2 calls, 1 failed, "
            "1 finding\n"
            "  srv-record-missing: 1\n"
            "note: client clock aligned by +2 s\n"
            "\n"
            "FAILED call leg-b  2019-06-13T18:31:38.100Z\n"
            "  \"Room 4\" <sip:room4@cisco.example.org> -> sip:dana@fabrikam.com\n"
            "  final status: 504 Server Time-out   seen by: expressway, edge   messages: 2\n"
            "  conversation: cv-1 (2 legs)\n"
            "  outcome: failed during setup: INVITE answered 504 Server Time-out\n"
            "  [ERROR] srv-record-missing: No federation SRV record\n"
            "  Root cause: fabrikam.com publishes no SRV record\n"
            "  Fix: Publish it\n"
            "  Evidence:\n"
            "    loggingsnapshot.txt:14  SIP/2.0 504 Server Time-out\n"
            "\n"
            "conversation cv-1  2 legs\n"
            "  leg leg-a\n"
            "  leg leg-b\n"
            "  srv-record-missing: the caller got 504 because the leg to fabrikam.com did\n"
            "\n"
            "To do for this case (1 item)\n"
            "  1. [dns] Publish the DNS SRV record _sipfederationtls._tcp.fabrikam.com\n"
            "     explains 1 call: leg-b\n");
  // The calls (for the report, then for its to-do): read back as the view gives them.
  EXPECT_EQ(view.passes, 2);
}

TEST(CaseView, TheJsonReportReadsEveryPartFromTheView) {
  const FakeCaseView view(case_parts());
  const nlohmann::json j = nlohmann::json::parse(analysis_to_json(view));
  EXPECT_EQ(j["summary"]["inputs"], 2);
  EXPECT_EQ(j["summary"]["inputs_skipped"], 1);
  EXPECT_EQ(j["summary"]["events"], 5);
  EXPECT_EQ(j["summary"]["conversations"], 1);
  EXPECT_EQ(j["summary"]["findings_by_rule"]["srv-record-missing"], 1);
  EXPECT_EQ(j["inputs"][0]["problems"][0]["line"], 7);
  EXPECT_EQ(j["inputs"][1]["skip_reason"], "no known log format");
  ASSERT_EQ(j["calls"].size(), 2u);
  const nlohmann::json& failed = j["calls"][1];
  EXPECT_EQ(failed["call_id"], "leg-b");
  EXPECT_EQ(failed["phase"], "setup");
  EXPECT_EQ(failed["failure"]["request"], "INVITE");
  EXPECT_EQ(failed["links"][0]["line"], 12);
  EXPECT_EQ(failed["sightings"], 3);
  EXPECT_EQ(failed["findings"][0]["evidence"][0]["record_line"], 12);
  EXPECT_EQ(failed["conversation"], "cv-1");
  EXPECT_EQ(j["conversations"][0]["finding"]["explains"][0]["final_status"], 504);
  EXPECT_EQ(j["conversations"][0]["links"][0]["key"], "session-id");
  EXPECT_EQ(j["todo"][0]["calls"][0], "leg-b");
  EXPECT_EQ(j["notes"][0], "client clock aligned by +2 s");
  EXPECT_FALSE(j.contains("certificates"));

  const nlohmann::json only_failed =
      nlohmann::json::parse(analysis_to_json(view, {.failed_only = true, .indent = -1}));
  ASSERT_EQ(only_failed["calls"].size(), 1u);
  EXPECT_EQ(only_failed["calls"][0]["call_id"], "leg-b");
}

// The adapter gives the reports what the fake does: the same bytes, from memory or from the
// call archive.
TEST(CaseView, AnAnalysisReportsAsItsViewFromMemoryOrTheArchive) {
  const CaseParts parts = case_parts();
  const FakeCaseView fake(parts);
  for (bool archived : {false, true}) {
    const Analysis a = as_analysis(parts, archived);
    const auto view = analysis_case_view(a);
    EXPECT_EQ(analysis_to_text(*view, {.color = true, .all_calls = true}),
              analysis_to_text(fake, {.color = true, .all_calls = true}))
        << "archived " << archived;
    EXPECT_EQ(analysis_to_json(*view), analysis_to_json(fake)) << "archived " << archived;
    EXPECT_EQ(analysis_to_json(*view, {.failed_only = true}),
              analysis_to_json(fake, {.failed_only = true}))
        << "archived " << archived;
  }
}

}  // namespace
}  // namespace fedtriage
