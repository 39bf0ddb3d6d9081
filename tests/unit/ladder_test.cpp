#include "lib/ladder/ladder.h"
#include "lib/analysis/read.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "lib/correlate/correlator.h"
#include "lib/html/html_report.h"
#include "lib/ingest/ingest.h"
#include "lib/ladder/host_columns.h"
#include "lib/ladder/in_memory_call.h"
#include "lib/ladder/ladder_text.h"
#include "lib/store/open_store.h"
#include "tests/support/collecting_sinks.h"

namespace fedtriage {
namespace {

const std::string kTestdata = FEDTRIAGE_TESTDATA_DIR;

struct Read {
  IngestResult in;
  std::vector<Call> calls;
  const Call* call(const std::string& prefix) const {
    for (const Call& c : calls) {
      if (c.call_id.rfind(prefix, 0) == 0) return &c;
    }
    return nullptr;
  }
};

Read read(const std::vector<std::string>& files) {
  testing::CollectingProblems problems;
  Read r;
  r.in = read_in_memory(files, {}, problems);
  r.calls = correlate(r.in.events);
  return r;
}

// The federation call: the Expressway sends INVITE to the Edge, the Edge answers 504 after an
// SRV diagnostic. Both logs are read.
StoredCall federation_call() {
  const Read r = read(
      {kTestdata + "/expressway/federation_504.log", kTestdata + "/edge/sfvedge_federation.log"});
  const Call* c = r.call("f1b3ad5d");
  EXPECT_NE(c, nullptr);
  return c ? to_stored_call(*c, r.in.events, {}) : StoredCall{};
}

size_t column_named(const Ladder& l, const std::string& label) {
  for (size_t i = 0; i < l.columns.size(); ++i) {
    if (l.columns[i].label == label) return i;
  }
  ADD_FAILURE() << "no column " << label;
  return 99;
}

TEST(LadderTest, OneColumnPerHostMergingAddressesAndNames) {
  const Ladder l = build_ladder(federation_call());
  ASSERT_EQ(l.columns.size(), 2u);
  EXPECT_EQ(l.columns[0].label, "Expressway vcse");
  EXPECT_EQ(l.columns[1].label, "Edge sfvedge");
  EXPECT_EQ(l.columns[0].role, HostRole::Expressway);
  EXPECT_TRUE(l.columns[1].logged);
  // The Edge logs its peer as vcse.steven.lab; the Expressway is host vcse at 10.48.36.47.
  const auto& exp = l.columns[0].aliases;
  EXPECT_NE(std::find(exp.begin(), exp.end(), "vcse.steven.lab"), exp.end());
  EXPECT_NE(std::find(exp.begin(), exp.end(), "10.48.36.47"), exp.end());
  // The Expressway sends to 10.48.36.6: the same transmission is logged by the Edge.
  const auto& edge = l.columns[1].aliases;
  EXPECT_NE(std::find(edge.begin(), edge.end(), "10.48.36.6"), edge.end());
}

TEST(LadderTest, MessageSeenAtTwoHopsIsOneArrow) {
  const StoredCall call = federation_call();
  const Ladder l = build_ladder(call);
  ASSERT_EQ(l.arrows.size(), 2u);
  const LadderArrow& invite = l.arrows[0];
  EXPECT_EQ(invite.label, "INVITE");
  EXPECT_TRUE(invite.request);
  EXPECT_EQ(invite.events.size(), 2u);
  EXPECT_EQ(invite.from, 0u);
  EXPECT_EQ(invite.to, 1u);
  EXPECT_FALSE(invite.failing);
  EXPECT_EQ(call.events[invite.events[0]].source, Source::Expressway);
  EXPECT_EQ(call.events[invite.events[1]].source, Source::Edge);
}

TEST(LadderTest, FailingResponseMarked) {
  const Ladder l = build_ladder(federation_call());
  ASSERT_EQ(l.arrows.size(), 2u);
  EXPECT_EQ(l.arrows[1].label, "504 Server time-out");
  EXPECT_TRUE(l.arrows[1].failing);
  EXPECT_EQ(l.arrows[1].from, 1u);
  EXPECT_EQ(l.arrows[1].to, 0u);
  EXPECT_EQ(l.arrows[1].events.size(), 2u);
}

TEST(LadderTest, DiagnosticsOnTheColumnThatLoggedThem) {
  const Ladder l = build_ladder(federation_call());
  const size_t edge = column_named(l, "Edge sfvedge");
  const size_t exp = column_named(l, "Expressway vcse");
  bool diag = false, dns = false;
  for (const LadderNote& n : l.notes) {
    if (n.kind == EventKind::Diagnostic) {
      diag = true;
      EXPECT_EQ(n.column, edge);
      EXPECT_TRUE(n.error);
      EXPECT_NE(n.text.find("SIPPROXY_E_EPROUTING_MSG_ALLOWED_DOMAIN_NO_SRV_MATCH"),
                std::string::npos);
    }
    if (n.kind == EventKind::Dns) {
      dns = true;
      EXPECT_EQ(n.column, exp);
    }
  }
  EXPECT_TRUE(diag);
  EXPECT_TRUE(dns);
  // Steps are in time order and cover every arrow and note once.
  EXPECT_EQ(l.steps.size(), l.arrows.size() + l.notes.size());
}

TEST(LadderTest, MsDiagnosticsAndNamesFromServerHeader) {
  const Read r = read(
      {kTestdata + "/client/Lync-UccApi-0.UccApiLog", kTestdata + "/edge/sfvedge_client_call.log"});
  const Call* c = r.call("d0bce97c");
  ASSERT_NE(c, nullptr);
  const Ladder l = build_ladder(to_stored_call(*c, r.in.events, {}));
  ASSERT_FALSE(l.columns.empty());
  EXPECT_EQ(l.columns[0].label, "Skype client");
  bool diag = false;
  for (const LadderArrow& a : l.arrows) {
    for (const std::string& d : a.diagnostics) diag |= d.rfind("1009", 0) == 0;
  }
  EXPECT_TRUE(diag);
  // The client's peer answered with Server: RTC/...: a Skype server.
  bool skype_server = false;
  for (const LadderColumn& col : l.columns) skype_server |= col.role == HostRole::SkypeServer;
  EXPECT_TRUE(skype_server);
}

TEST(LadderTest, RoleFromAgent) {
  EXPECT_EQ(role_from_agent("RTC/6.0"), HostRole::SkypeServer);
  EXPECT_EQ(role_from_agent("UCCAPI/16.0.4498.1000 OC/16.0.4498.1000 (Skype for Business)"),
            HostRole::Client);
  EXPECT_EQ(role_from_agent("Acano CallBridge"), HostRole::Cms);
  EXPECT_EQ(role_from_agent("TANDBERG/4352 (X8.11.4)"), HostRole::Expressway);
  EXPECT_EQ(role_from_agent("TANDBERG/529 (ce9.1.0)"), HostRole::Endpoint);
  EXPECT_EQ(role_from_agent("Cisco-CP8865/12.0"), HostRole::Endpoint);
  EXPECT_EQ(role_from_agent(""), HostRole::Unknown);
}

TEST(LadderTest, TextFitsWidthAndSaysHowToWiden) {
  const Ladder l = build_ladder(federation_call());
  const std::string text = ladder_to_text(l, {false, 80});
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) EXPECT_LE(line.size(), 80u) << line;
  EXPECT_NE(text.find("|----------- INVITE ---------->|"), std::string::npos) << text;
  EXPECT_NE(text.find("!  2"), std::string::npos) << text;

  Ladder wide;
  for (int i = 0; i < 8; ++i) wide.columns.push_back({"host" + std::to_string(i), {}, false, {}});
  LadderArrow a;
  a.from = 0;
  a.to = 7;
  a.label = "INVITE";
  wide.arrows.push_back(a);
  wide.steps.push_back({true, 0});
  const std::string hint = ladder_to_text(wide, {false, 80});
  EXPECT_NE(hint.find("--width 120"), std::string::npos) << hint;
  EXPECT_NE(hint.find("host0 -> host7: INVITE"), std::string::npos) << hint;
  EXPECT_EQ(ladder_to_text(wide, {false, 120}).find("--width"), std::string::npos);
}

TEST(LadderTest, TerminalTextIsSafe) {
  StoredCall call = federation_call();
  call.call.from_display = "evil\x1b]0;title\x07";
  call.events[0].summary = "\x1b[2J";
  const std::string text = call_to_text(call, build_ladder(call), {false, 80});
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_NE(text.find("\\x1b"), std::string::npos);
}

TEST(LadderTest, SameLadderFromTheStore) {
  const Read r = read(
      {kTestdata + "/expressway/federation_504.log", kTestdata + "/edge/sfvedge_federation.log"});
  const std::string path = std::filesystem::temp_directory_path() /
                           ("fedtriage_ladder_" + std::to_string(getpid()) + ".db");
  std::filesystem::remove(path);
  std::string error;
  {
    auto store = fedtriage::open_store(path, &error);
    ASSERT_TRUE(store) << error;
    ASSERT_TRUE(store->write_analysis("t", r.in.inputs, r.in.events, r.calls, {}, {}, &error))
        << error;
    auto call = store->load_call(r.call("f1b3ad5d")->call_id, "t", &error);
    ASSERT_TRUE(call) << error;
    const Ladder l = build_ladder(*call);
    ASSERT_EQ(l.columns.size(), 2u);
    ASSERT_EQ(l.arrows.size(), 2u);
    EXPECT_EQ(l.arrows[0].events.size(), 2u);
    EXPECT_TRUE(l.arrows[1].failing);
  }
  std::filesystem::remove(path);
}

TEST(HtmlReportTest, JsonForScriptCannotCloseTheBlock) {
  EXPECT_EQ(json_for_script(R"({"a":"</script><!-- &"})"),
            R"({"a":"\u003c/script\u003e\u003c!-- \u0026"})");
}

TEST(HtmlReportTest, SelfContainedAndEscaped) {
  const Read r = read({kTestdata + "/report/hostile_display_name.log",
                       kTestdata + "/expressway/federation_504.log"});
  const auto dir = std::filesystem::temp_directory_path();
  const std::string db = dir / ("fedtriage_html_" + std::to_string(getpid()) + ".db");
  const std::string html = dir / ("fedtriage_html_" + std::to_string(getpid()) + ".html");
  std::filesystem::remove(db);
  std::string error;
  {
    auto store = fedtriage::open_store(db, &error);
    ASSERT_TRUE(store) << error;
    ASSERT_TRUE(store->write_analysis("t", r.in.inputs, r.in.events, r.calls, {}, {}, &error));
    ASSERT_TRUE(write_html_report(*store, "t", html, &error)) << error;
  }
  std::ifstream in(html);
  std::stringstream text;
  text << in.rdbuf();
  const std::string page = text.str();
  EXPECT_EQ(page.find("<img src=x"), std::string::npos);
  EXPECT_EQ(page.find("window.__ftInjected=2</script>"), std::string::npos);
  EXPECT_NE(page.find("\\u003cimg src=x"), std::string::npos);
  // Nothing external: no linked style sheets, scripts, fonts or images.
  for (const char* external : {"<link", "src=\"http", "@import", "url(http", "fetch("}) {
    EXPECT_EQ(page.find(external), std::string::npos) << external;
  }
  EXPECT_NE(page.find("id=\"ft-call-0\""), std::string::npos);
  EXPECT_NE(page.find("id=\"ft-call-1\""), std::string::npos);
  EXPECT_NE(page.find("Content-Security-Policy"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(html + ".tmp"));
  std::filesystem::remove(db);
  std::filesystem::remove(html);
}

// Calls that worked are listed but not embedded unless `full` (report --full): a dense
// bundle's report stays small.
TEST(HtmlReportTest, WorkedCallsAreEmbeddedOnlyWhenFull) {
  const Read r = read({kTestdata + "/client/Lync-UccApi-0.UccApiLog"});
  const auto dir = std::filesystem::temp_directory_path();
  const std::string db = dir / ("fedtriage_html_full_" + std::to_string(getpid()) + ".db");
  const std::string html = dir / ("fedtriage_html_full_" + std::to_string(getpid()) + ".html");
  std::filesystem::remove(db);
  std::string error;
  auto blocks = [&](bool full) {
    auto store = fedtriage::open_store(db, &error);
    EXPECT_TRUE(store) << error;
    HtmlReportOptions options;
    options.full = full;
    EXPECT_TRUE(write_html_report(*store, "t", html, options, &error)) << error;
    std::ifstream in(html);
    std::stringstream text;
    text << in.rdbuf();
    const std::string page = text.str();
    size_t n = 0;
    for (size_t at = page.find("id=\"ft-call-"); at != std::string::npos;
         at = page.find("id=\"ft-call-", at + 1)) {
      ++n;
    }
    return n;
  };
  {
    auto store = fedtriage::open_store(db, &error);
    ASSERT_TRUE(store) << error;
    ASSERT_TRUE(store->write_analysis("t", r.in.inputs, r.in.events, r.calls, {}, {}, &error));
  }
  size_t failed = 0;
  for (const Call& c : r.calls) failed += c.failed();
  ASSERT_GT(failed, 0u);
  ASSERT_LT(failed, r.calls.size());
  EXPECT_EQ(blocks(false), failed);
  EXPECT_EQ(blocks(true), r.calls.size());
  std::filesystem::remove(db);
  std::filesystem::remove(html);
}

}  // namespace
}  // namespace fedtriage
