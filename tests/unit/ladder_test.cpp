#include "lib/report/ladder/ladder.h"
#include "lib/analysis/read.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "lib/correlate/correlator.h"
#include "lib/ingest/ingest.h"
#include "lib/report/html/html_report.h"
#include "lib/report/ladder/host_columns.h"
#include "lib/report/ladder/in_memory_call.h"
#include "lib/report/ladder/ladder_text.h"
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

// #18: the ladder shows the answer at 80 columns.

// Every lifeline ('|' at the x of a column head's bar row) is intact on every row that draws
// lifelines, and no line is wider than `width`.
void expect_lifelines_kept(const std::string& text, int width) {
  std::istringstream lines(text);
  std::string line, bar_row;
  while (std::getline(lines, line)) {
    EXPECT_LE(line.size(), static_cast<size_t>(width)) << line;
    if (bar_row.empty() && line.find('|') != std::string::npos &&
        line.find_first_not_of(" |") == std::string::npos) {
      bar_row = line;
    }
  }
  ASSERT_FALSE(bar_row.empty()) << text;
  std::istringstream again(text);
  while (std::getline(again, line)) {
    // Rows of their own (a long note below its row) draw no lifeline at all; arrow rows cross
    // the lifelines between their ends with the shaft.
    if (line.find('|') == std::string::npos || line.find("--") != std::string::npos ||
        line.find("==") != std::string::npos) {
      continue;
    }
    for (size_t x = 0; x < bar_row.size(); ++x) {
      if (bar_row[x] != '|') continue;
      ASSERT_LT(x, line.size()) << "lifeline at " << x << " missing in:\n" << line << "\n" << text;
      EXPECT_TRUE(line[x] == '|' || line[x] == '*') << "lifeline at " << x << " covered in:\n"
                                                    << line << "\n"
                                                    << text;
    }
  }
}

Ladder four_hosts() {
  Ladder l;
  for (const char* name :
       {"Skype client", "Skype server sfbfe.skype.lab", "Edge sfvedge", "Expressway vcse"}) {
    l.columns.push_back({name, {}, false, {}});
  }
  return l;
}

TEST(LadderTest, FailingStatusWrapsInsteadOfBeingCut) {
  Ladder l = four_hosts();
  LadderArrow a;
  a.from = 2;
  a.to = 1;
  a.status = 504;
  a.label = "504 Server time-out";
  a.failing = true;
  a.diagnostics.push_back(
      "1009 domain=cms.steven.lab fqdn1=vcse.sub.cms.steven.lab:5061 (No match for domain in "
      "DNS SRV results)");
  l.arrows.push_back(a);
  l.steps.push_back({true, 0});
  const std::string text = ladder_to_text(l, {false, 80});
  EXPECT_EQ(text.find('~'), std::string::npos) << text;
  EXPECT_NE(text.find("504 Server"), std::string::npos) << text;
  EXPECT_NE(text.find("time-out"), std::string::npos) << text;
  EXPECT_NE(text.find("fqdn1=vcse.sub.cms.steven.lab:5061"), std::string::npos) << text;
  expect_lifelines_kept(text, 80);
}

TEST(LadderTest, NotesNeverCoverLifelines) {
  Ladder l = four_hosts();
  for (size_t c = 0; c < l.columns.size(); ++c) {
    LadderNote n;
    n.column = c;
    n.text = c % 2 ? "SIPPROXY_E_EPROUTING_MSG_ALLOWED_DOMAIN_NO_SRV_MATCH: "
                     "domain=cms.steven.lab fqdn1=vcse.sub.cms.steven.lab:5061"
                   : "short note";
    n.error = true;
    l.notes.push_back(n);
    l.steps.push_back({false, c});
  }
  const std::string text = ladder_to_text(l, {false, 80});
  EXPECT_EQ(text.find('~'), std::string::npos) << text;
  EXPECT_NE(text.find("SIPPROXY_E_EPROUTING_MSG_ALLOWED_DOMAIN_NO_SRV_MATCH"), std::string::npos)
      << text;
  EXPECT_NE(text.find("short note"), std::string::npos) << text;
  expect_lifelines_kept(text, 80);
  // A short note stays beside its own lifeline, on the row of its time.
  EXPECT_NE(text.find("* short note"), std::string::npos) << text;
}

TEST(LadderTest, EdgeDiagnosticNoteShowsItsFields) {
  const Ladder l = build_ladder(federation_call());
  bool seen = false;
  for (const LadderNote& n : l.notes) {
    if (n.kind != EventKind::Diagnostic) continue;
    seen = true;
    EXPECT_EQ(n.text,
              "SIPPROXY_E_EPROUTING_MSG_ALLOWED_DOMAIN_NO_SRV_MATCH: domain=acano.steven.lab "
              "fqdn1=vcse.steven.lab:5061");
  }
  EXPECT_TRUE(seen);
  // The generic Text: is still in the event list below the ladder.
  const StoredCall call = federation_call();
  const std::string text = call_to_text(call, build_ladder(call), {false, 80});
  EXPECT_NE(text.find("none of the FQDNs is in the same domain"), std::string::npos);
}

TEST(LadderTest, MsDiagnosticKeyFieldsBeforeReason) {
  const Read r = read(
      {kTestdata + "/client/Lync-UccApi-0.UccApiLog", kTestdata + "/edge/sfvedge_client_call.log"});
  const Call* c = r.call("d0bce97c");
  ASSERT_NE(c, nullptr);
  const Ladder l = build_ladder(to_stored_call(*c, r.in.events, {}));
  bool seen = false;
  for (const LadderArrow& a : l.arrows) {
    for (const std::string& d : a.diagnostics) {
      if (d.rfind("1009", 0) != 0) continue;
      seen = true;
      EXPECT_EQ(d.find("1009 domain="), 0u) << d;
      EXPECT_NE(d.find("fqdn1="), std::string::npos) << d;
      EXPECT_NE(d.find("(No match for domain"), std::string::npos) << d;
    }
  }
  EXPECT_TRUE(seen);
}

TEST(LadderTest, PoolAddressAndNameAreOneColumn) {
  // The client dials the pool at 10.48.36.6; its answer is signed for SfBFE.skype.lab
  // (Authentication-Info targetname), the name the Edge logs the pool by.
  const Read r = read(
      {kTestdata + "/client/Lync-UccApi-0.UccApiLog", kTestdata + "/edge/sfvedge_client_call.log"});
  const Call* c = r.call("d0bce97c");
  ASSERT_NE(c, nullptr);
  const Ladder l = build_ladder(to_stored_call(*c, r.in.events, {}));
  size_t with_pool = 0;
  for (const LadderColumn& col : l.columns) {
    const bool ip =
        std::find(col.aliases.begin(), col.aliases.end(), "10.48.36.6") != col.aliases.end();
    const bool name =
        std::find(col.aliases.begin(), col.aliases.end(), "sfbfe.skype.lab") != col.aliases.end();
    if (ip || name) {
      ++with_pool;
      EXPECT_TRUE(ip && name) << col.label;
      EXPECT_EQ(col.label, "Skype server sfbfe.skype.lab");
    }
  }
  EXPECT_EQ(with_pool, 1u);
}

TEST(LadderTest, ExpresswayCFromItsViaZone) {
  // The Expressway-E logs an INVITE from 172.17.31.5 whose own Via says it left on a traversal
  // zone (egress-zone=TraversalZone): an Expressway-C, though its User-Agent is the endpoint's.
  const Read r = read({kTestdata + "/scenarios/tls-failure/loggingsnapshot_expe_2019-06-13.txt"});
  bool seen = false;
  for (const Call& c : r.calls) {
    const Ladder one = build_ladder(to_stored_call(c, r.in.events, {}));
    for (const LadderColumn& col : one.columns) {
      if (std::find(col.aliases.begin(), col.aliases.end(), "172.17.31.5") == col.aliases.end())
        continue;
      seen = true;
      EXPECT_EQ(col.role, HostRole::Expressway) << col.label;
      EXPECT_EQ(col.label, "Expressway 172.17.31.5");
    }
  }
  EXPECT_TRUE(seen);
}

TEST(LadderTest, PeerNamedByItsCertificateInEdgeData) {
  // SIPPROXY_E_ROUTING_MSG_CERT_MISMATCH: Peer vcse.steven.lab presented certName
  // vcse.steven.lab, expected vcse.acano.steven.lab. The note names both, not the Text:.
  const Read r = read({kTestdata + "/edge/sfvedge_federation.log"});
  const Call* c = r.call("e144704c");
  ASSERT_NE(c, nullptr);
  const Ladder l = build_ladder(to_stored_call(*c, r.in.events, {}));
  bool seen = false;
  for (const LadderNote& n : l.notes) {
    if (n.text.find("CERT_MISMATCH") == std::string::npos) continue;
    seen = true;
    EXPECT_EQ(n.text,
              "SIPPROXY_E_ROUTING_MSG_CERT_MISMATCH: expected-fqdn=vcse.acano.steven.lab "
              "certName=vcse.steven.lab");
  }
  EXPECT_TRUE(seen);
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
