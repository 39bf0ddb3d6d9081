// The streamed analysis (events spooled, calls explained one at a time) against the same
// analysis with every event in memory: both must find the same calls, links and findings.
#include "lib/analysis/analyzer.h"
#include "lib/analysis/read.h"

#include <gtest/gtest.h>
#include <atomic>

#include <set>
#include <string>
#include <vector>

#include "lib/analysis/analysis_sink.h"
#include "lib/rules/rule_set.h"
#include "tests/support/collecting_sinks.h"

namespace fedtriage {
namespace {

const RuleSet& rules() {
  static const RuleSet set = RuleSet::embedded();
  return set;
}

std::string data(const std::string& rel) {
  return std::string(FEDTRIAGE_TESTDATA_DIR) + "/" + rel;
}

// Checks what the sink is given while it is given it, and counts it.
class CheckingSink : public AnalysisSink {
 public:
  bool on_inputs(const std::vector<InputRecord>& inputs, std::string*) override {
    inputs_ = inputs.size();
    return true;
  }
  // What prepare_call saw: on_call must get it back with the same call.
  struct Seen final : Prepared {
    std::vector<size_t> positions;
    std::vector<std::string> raws;
  };
  std::unique_ptr<Prepared> prepare_call(const std::vector<Event>& events,
                                         const std::vector<size_t>& positions) override {
    auto seen = std::make_unique<Seen>();
    seen->positions = positions;
    for (const Event& e : events) seen->raws.push_back(e.raw);
    ++prepared_;
    return seen;
  }
  bool on_call(const std::vector<Event>& events, const std::vector<size_t>& positions,
               const Call& call, const std::vector<Finding>& findings, Prepared* prepared,
               std::string*) override {
    auto* seen = dynamic_cast<Seen*>(prepared);
    EXPECT_TRUE(seen) << "on_call without what prepare_call made of the call";
    if (seen) {
      EXPECT_EQ(seen->positions, positions);
      EXPECT_EQ(seen->raws.size(), events.size());
      for (size_t k = 0; k < events.size() && k < seen->raws.size(); ++k) {
        EXPECT_EQ(seen->raws[k], events[k].raw);
      }
    }
    EXPECT_EQ(events.size(), positions.size());
    for (size_t k = 1; k < events.size(); ++k) {
      EXPECT_LT(positions[k - 1], positions[k]);  // time order, no duplicates
      EXPECT_LE(events[k - 1].ts_ms, events[k].ts_ms);
    }
    for (size_t i : call.events) {
      EXPECT_LT(i, events.size());
      if (i < events.size() && !events[i].call_id.empty()) {
        EXPECT_EQ(events[i].call_id, call.call_id);
      }
    }
    for (const Finding& f : findings) {
      EXPECT_EQ(f.call_id, call.call_id);
      for (const Evidence& e : f.evidence) {
        EXPECT_LT(e.event, events.size());
        if (e.event >= events.size()) continue;
        EXPECT_EQ(e.file, events[e.event].origin.file);
        EXPECT_EQ(e.record_line, events[e.event].origin.line);
        EXPECT_GE(e.line, e.record_line);
      }
    }
    positions_.insert(positions.begin(), positions.end());
    EXPECT_EQ(unattached_, 0u) << "a call after the unattached events";
    ++calls_;
    return calls_ != fail_at_call_;
  }
  bool on_unattached(const std::vector<Event>& events, std::string*) override {
    EXPECT_FALSE(calls_done_) << "unattached events after the sink gave its memory back";
    unattached_ += events.size();
    return true;
  }
  // Calls, then unattached events, then the memory handed back, then the conversations.
  void on_calls_done() override { calls_done_ = true; }
  bool on_conversations(const ConversationSet&, std::string*) override {
    EXPECT_TRUE(calls_done_);
    ++conversation_sets_;
    return true;
  }

  size_t inputs_ = 0, calls_ = 0, unattached_ = 0, fail_at_call_ = 0, conversation_sets_ = 0;
  std::atomic<size_t> prepared_{0};  // counted on the analysis's explaining thread
  bool calls_done_ = false;
  std::set<size_t> positions_;
};

// The calls and findings of a streamed analysis, read back from its archive.
struct ReadBack {
  std::vector<Call> calls;
  std::vector<Finding> findings;
};

ReadBack read_back(const Analysis& a) {
  ReadBack out;
  std::string error;
  EXPECT_TRUE(for_each_call(
      a,
      [&](const Call& c, const std::vector<const Finding*>& findings) {
        out.calls.push_back(c);
        for (const Finding* f : findings) out.findings.push_back(*f);
      },
      &error))
      << error;
  return out;
}

void expect_same(const Analysis& streamed_analysis, const Analysis& memory) {
  EXPECT_TRUE(streamed_analysis.calls.empty());  // on disk, not in memory
  const ReadBack streamed = read_back(streamed_analysis);
  EXPECT_EQ(streamed_analysis.event_count, memory.events.size());
  EXPECT_EQ(streamed_analysis.totals.calls, memory.totals.calls);
  EXPECT_EQ(streamed_analysis.totals.findings_by_rule, memory.totals.findings_by_rule);
  EXPECT_EQ(streamed_analysis.totals.reported_calls, memory.totals.reported_calls);
  // The same conversations, ids, links and conversation findings.
  ASSERT_EQ(streamed_analysis.conversations.conversations.size(),
            memory.conversations.conversations.size());
  for (size_t v = 0; v < memory.conversations.conversations.size(); ++v) {
    const Conversation& s = streamed_analysis.conversations.conversations[v];
    const Conversation& m = memory.conversations.conversations[v];
    EXPECT_EQ(s.id, m.id);
    EXPECT_EQ(s.call_ids, m.call_ids);
    EXPECT_EQ(s.links.size(), m.links.size());
  }
  ASSERT_EQ(streamed_analysis.conversation_findings.size(), memory.conversation_findings.size());
  for (size_t f = 0; f < memory.conversation_findings.size(); ++f) {
    EXPECT_EQ(streamed_analysis.conversation_findings[f].text,
              memory.conversation_findings[f].text);
  }
  ASSERT_EQ(streamed.calls.size(), memory.calls.size());
  for (size_t c = 0; c < memory.calls.size(); ++c) {
    const Call& s = streamed.calls[c];
    const Call& m = memory.calls[c];
    SCOPED_TRACE(m.call_id);
    EXPECT_EQ(s.call_id, m.call_id);
    EXPECT_EQ(s.first_ms, m.first_ms);
    EXPECT_EQ(s.last_ms, m.last_ms);
    EXPECT_EQ(s.from_uri, m.from_uri);
    EXPECT_EQ(s.to_uri, m.to_uri);
    EXPECT_EQ(s.request_uri, m.request_uri);
    EXPECT_EQ(s.method, m.method);
    EXPECT_EQ(s.final_status, m.final_status);
    EXPECT_EQ(s.sources, m.sources);
    EXPECT_EQ(s.hosts, m.hosts);
    EXPECT_EQ(s.event_count, m.events.size());
    EXPECT_EQ(s.message_count, m.messages.size());
    ASSERT_EQ(s.links.size(), m.links.size());
    for (size_t l = 0; l < m.links.size(); ++l) {
      EXPECT_EQ(s.links[l].reason, m.links[l].reason);
      EXPECT_EQ(s.links[l].event, m.links[l].event);
      EXPECT_EQ(s.links[l].file, memory.events[m.links[l].event].origin.file);
    }
  }
  ASSERT_EQ(streamed.findings.size(), memory.findings.size());
  for (size_t f = 0; f < memory.findings.size(); ++f) {
    const Finding& s = streamed.findings[f];
    const Finding& m = memory.findings[f];
    EXPECT_EQ(s.call_id, m.call_id);
    EXPECT_EQ(s.rule_id, m.rule_id);
    EXPECT_EQ(s.fields, m.fields);
    EXPECT_EQ(s.related_rules, m.related_rules);
    ASSERT_EQ(s.evidence.size(), m.evidence.size());
    for (size_t e = 0; e < m.evidence.size(); ++e) {
      EXPECT_EQ(s.evidence[e].event, m.evidence[e].event);  // both index the time-ordered read
      EXPECT_EQ(s.evidence[e].file, m.evidence[e].file);
      EXPECT_EQ(s.evidence[e].line, m.evidence[e].line);
      EXPECT_EQ(s.evidence[e].text, m.evidence[e].text);
    }
  }
  EXPECT_EQ(streamed_analysis.notes, memory.notes);
}

class StreamedAnalysis : public ::testing::TestWithParam<std::vector<std::string>> {};

TEST_P(StreamedAnalysis, EqualsTheAnalysisInMemory) {
  std::vector<std::string> paths;
  for (const std::string& p : GetParam()) paths.push_back(data(p));
  testing::CollectingProblems problems;
  CheckingSink sink;
  Analysis streamed;
  std::string error;
  ASSERT_TRUE(analyze(paths, IngestOptions{}, rules(), problems, &sink, streamed, &error)) << error;

  IngestResult read = read_in_memory(paths, IngestOptions{}, problems);
  Analysis memory;
  memory.events = std::move(read.events);
  memory.notes = std::move(read.clock_notes);
  explain(memory, rules());
  expect_same(streamed, memory);

  // Every event reached the sink once: with its call(s), or among the unattached ones.
  EXPECT_EQ(sink.inputs_, streamed.inputs.size());
  EXPECT_EQ(sink.calls_, streamed.totals.calls);
  EXPECT_EQ(sink.prepared_.load(), sink.calls_);  // each call prepared once, off the storing thread
  EXPECT_EQ(sink.positions_.size() + sink.unattached_, streamed.event_count);
  EXPECT_EQ(sink.conversation_sets_, 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Testdata, StreamedAnalysis,
    ::testing::Values(std::vector<std::string>{"bundles/federation-failure.tar.gz"},
                      std::vector<std::string>{"scenarios/tls-failure"},
                      std::vector<std::string>{"scenarios/srv-record-missing"},
                      std::vector<std::string>{"scenarios/ms-diag-1034"},
                      std::vector<std::string>{"scenarios/unexplained-504"},
                      std::vector<std::string>{"scenarios/b2bua-conversation"},
                      std::vector<std::string>{"expressway", "edge", "client"}));

TEST(StreamedAnalysisSink, AFailingSinkStopsTheAnalysis) {
  testing::CollectingProblems problems;
  CheckingSink sink;
  sink.fail_at_call_ = 1;
  Analysis a;
  std::string error = "untouched";
  EXPECT_FALSE(analyze({data("bundles/federation-failure.tar.gz")}, IngestOptions{}, rules(),
                       problems, &sink, a, &error));
  EXPECT_EQ(sink.calls_, 1u);
  EXPECT_EQ(sink.unattached_, 0u);
}

TEST(StreamedAnalysisSink, WithoutASinkTheReportIsTheSame) {
  testing::CollectingProblems problems;
  CheckingSink sink;
  Analysis with_sink, without;
  std::string error;
  const std::vector<std::string> paths{data("bundles/federation-failure.tar.gz")};
  ASSERT_TRUE(analyze(paths, IngestOptions{}, rules(), problems, &sink, with_sink, &error));
  ASSERT_TRUE(analyze(paths, IngestOptions{}, rules(), problems, nullptr, without, &error));
  EXPECT_EQ(read_back(with_sink).calls.size(), read_back(without).calls.size());
  EXPECT_GT(without.totals.calls, 0u);
  EXPECT_EQ(with_sink.totals.findings, without.totals.findings);
  EXPECT_GT(without.totals.findings, 0u);
}

}  // namespace
}  // namespace fedtriage
