// The report model and its two adapters: an analysis in memory and the store give the same
// calls, and the HTML report reads either.
#include "lib/report/report_model.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "lib/analysis/analyzer.h"
#include "lib/analysis/read.h"
#include "lib/report/analysis_report_model.h"
#include "lib/report/html/html_report.h"
#include "lib/report/store_report_model.h"
#include "lib/rules/rule_set.h"
#include "lib/store/open_store.h"
#include "lib/store/store.h"
#include "tests/support/collecting_sinks.h"
#include "tests/support/temp_dir.h"

namespace fedtriage {
namespace {

Analysis analysis_in_memory(const std::string& rel) {
  testing::CollectingProblems problems;
  IngestResult read =
      read_in_memory({std::string(FEDTRIAGE_TESTDATA_DIR) + "/" + rel}, IngestOptions{}, problems);
  Analysis a;
  a.inputs = std::move(read.inputs);
  a.event_count = read.events.size();
  a.events = std::move(read.events);
  explain(a, RuleSet::embedded());
  return a;
}

TEST(ReportModel, AnAnalysisInMemoryGivesEveryCallWithItsEventsAndConversation) {
  const Analysis a = analysis_in_memory("scenarios/b2bua-conversation");
  ASSERT_FALSE(a.calls.empty());
  const auto model = analysis_report_model(a, "case");
  std::string error;
  const auto summary = model->summary(&error);
  ASSERT_TRUE(summary) << error;
  EXPECT_EQ(summary->calls, a.totals.calls);
  EXPECT_EQ(summary->failed_calls, a.totals.failed_calls);
  EXPECT_EQ(summary->findings, a.totals.findings);
  const std::vector<CallSummary> rows = model->calls(false, &error);
  ASSERT_EQ(rows.size(), a.calls.size()) << error;
  for (const CallSummary& row : rows) {
    EXPECT_EQ(row.case_name, "case");
    auto call = model->call(row, &error);
    ASSERT_TRUE(call) << row.call_id;
    EXPECT_EQ(call->events.size(), row.event_count);
    auto cv = model->conversation(row, &error);
    ASSERT_TRUE(cv) << row.call_id;
    EXPECT_EQ(cv->id, row.conversation);
    EXPECT_NE(std::find(cv->call_ids.begin(), cv->call_ids.end(), row.call_id), cv->call_ids.end());
  }
}

TEST(ReportModel, TheStoreAndTheAnalysisGiveTheSameCalls) {
  const Analysis a = analysis_in_memory("bundles/federation-failure.tar.gz");
  testing::TempDir dir;
  std::string error;
  auto store = open_store(dir.path() + "/t.db", &error);
  ASSERT_TRUE(store) << error;
  ASSERT_TRUE(store->write_analysis("t", a.inputs, a.events, a.calls, a.findings, {}, &error))
      << error;
  const auto memory = analysis_report_model(a, "t");
  const auto stored = store_report_model(*store, "t");
  std::map<std::string, CallSummary> from_store;
  for (CallSummary& row : stored->calls(false, &error)) from_store[row.call_id] = row;
  ASSERT_TRUE(error.empty()) << error;
  const std::vector<CallSummary> rows = memory->calls(false, &error);
  ASSERT_EQ(rows.size(), from_store.size());
  for (const CallSummary& m : rows) {
    ASSERT_TRUE(from_store.count(m.call_id)) << m.call_id;
    const CallSummary& s = from_store[m.call_id];
    EXPECT_EQ(m.first_ms, s.first_ms);
    EXPECT_EQ(m.from_uri, s.from_uri);
    EXPECT_EQ(m.to_uri, s.to_uri);
    EXPECT_EQ(m.final_status, s.final_status);
    EXPECT_EQ(m.failed(), s.failed()) << m.call_id;
    EXPECT_EQ(m.rule_ids, s.rule_ids) << m.call_id;
    EXPECT_EQ(m.event_count, s.event_count) << m.call_id;
    auto mc = memory->call(m, &error);
    auto sc = stored->call(s, &error);
    ASSERT_TRUE(mc && sc) << error;
    ASSERT_EQ(mc->events.size(), sc->events.size());
    for (size_t i = 0; i < mc->events.size(); ++i) {
      EXPECT_EQ(mc->events[i].ts_ms, sc->events[i].ts_ms);
      EXPECT_EQ(mc->events[i].summary, sc->events[i].summary);
      EXPECT_EQ(mc->events[i].origin.line, sc->events[i].origin.line);
    }
    ASSERT_EQ(mc->findings.size(), sc->findings.size());
    for (size_t i = 0; i < mc->findings.size(); ++i) {
      EXPECT_EQ(mc->findings[i].rule_id, sc->findings[i].rule_id);
      EXPECT_EQ(mc->findings[i].root_cause, sc->findings[i].root_cause);
    }
  }
}

// The cross-case summary reads its digest from either model alike; the store's comes in the
// order people read case names, and a model of one case gives that case only.
TEST(ReportModel, TheStoreAndTheAnalysisGiveTheSameDigest) {
  const Analysis a = analysis_in_memory("bundles/federation-failure.tar.gz");
  ASSERT_GT(a.totals.findings, 0u);
  testing::TempDir dir;
  std::string error;
  auto store = open_store(dir.path() + "/t.db", &error);
  ASSERT_TRUE(store) << error;
  for (const char* name : {"input~10", "input~2"}) {
    ASSERT_TRUE(store->write_analysis(name, a.inputs, a.events, a.calls, a.findings, {}, &error))
        << error;
  }
  const std::optional<CaseDigest> memory = analysis_report_model(a, "input~2")->digest(&error);
  ASSERT_TRUE(memory) << error;
  const std::optional<CaseDigest> one = store_report_model(*store, "input~2")->digest(&error);
  ASSERT_TRUE(one) << error;
  ASSERT_EQ(memory->cases.size(), 1u);
  ASSERT_EQ(one->cases.size(), 1u);
  const CaseOverview& m = memory->cases[0];
  const CaseOverview& s = one->cases[0];
  EXPECT_EQ(m.name, s.name);
  EXPECT_EQ(m.inputs, s.inputs);
  EXPECT_EQ(m.calls, s.calls);
  EXPECT_EQ(m.failed_calls, s.failed_calls);
  EXPECT_EQ(m.findings, s.findings);
  ASSERT_EQ(memory->findings.size(), one->findings.size());
  for (size_t i = 0; i < memory->findings.size(); ++i) {
    EXPECT_EQ(memory->findings[i].case_name, one->findings[i].case_name);
    EXPECT_EQ(memory->findings[i].call_id, one->findings[i].call_id);
    EXPECT_EQ(memory->findings[i].rule_id, one->findings[i].rule_id);
    EXPECT_EQ(memory->findings[i].fields, one->findings[i].fields);
  }

  const std::optional<CaseDigest> every = store_report_model(*store, "")->digest(&error);
  ASSERT_TRUE(every) << error;
  ASSERT_EQ(every->cases.size(), 2u);
  EXPECT_EQ(every->cases[0].name, "input~2");
  EXPECT_EQ(every->cases[1].name, "input~10");
  ASSERT_EQ(every->findings.size(), 2 * memory->findings.size());
  EXPECT_EQ(every->findings.front().case_name, "input~2");
  EXPECT_EQ(every->findings.back().case_name, "input~10");
}

TEST(ReportModel, TheHtmlReportReadsAnAnalysisInMemory) {
  const Analysis a = analysis_in_memory("bundles/federation-failure.tar.gz");
  ASSERT_GT(a.totals.failed_calls, 0u);
  testing::TempDir dir;
  const std::string html = dir.path() + "/r.html";
  const auto model = analysis_report_model(a, "t");
  std::string error;
  ASSERT_TRUE(write_html_report(*model, html, HtmlReportOptions{}, &error)) << error;
  std::stringstream page;
  page << std::ifstream(html).rdbuf();
  EXPECT_NE(page.str().find("id=\"ft-index\""), std::string::npos);
  EXPECT_NE(page.str().find("id=\"ft-call-"), std::string::npos);
  EXPECT_NE(page.str().find("\"failedCalls\":" + std::to_string(a.totals.failed_calls)),
            std::string::npos);
}

}  // namespace
}  // namespace fedtriage
