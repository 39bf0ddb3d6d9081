#include "lib/report/ladder/call_markdown.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "lib/report/ladder/call_json.h"

namespace fedtriage {
namespace {

StoredCall hostile_call() {
  StoredCall c;
  c.call.case_name = "case_*1*";
  c.call.call_id = "id`with``ticks\x1b[31m";
  c.call.from_uri = "sip:a@a.example";
  c.call.to_uri = "sip:b@b.example";
  c.call.method = "INVITE";
  c.call.request_uri = "sip:b@b.example";
  c.call.final_status = 504;
  c.call.final_reason = "Server <b>time-out</b>";
  StoredEvent e;
  e.kind = EventKind::Sip;
  e.method = "INVITE";
  e.call_id = c.call.call_id;
  e.direction = Direction::Out;
  e.host = "expe";
  e.origin = {"log```.txt", 7, 0};
  e.summary = "INVITE \x1b]0;title\x07";
  e.raw = "INVITE sip:b@b.example SIP/2.0\r\n\x1b[2J";
  c.events.push_back(e);
  StoredFinding f;
  f.rule_id = "unexplained-504";
  f.title = "504 with *no* diagnostic";
  f.root_cause = "the peer [did not] answer";
  f.fix = "collect the Edge logs";
  f.evidence.push_back({0, "expe.log", 42, "SIP/2.0 504 `Server` time-out\x1b[0m"});
  c.findings.push_back(f);
  return c;
}

TEST(CallMarkdown, LadderFencedFindingsListedNoEscapes) {
  const StoredCall c = hostile_call();
  const std::string md = call_to_markdown(c, build_ladder(c));
  EXPECT_EQ(md.find('\x1b'), std::string::npos) << md;
  EXPECT_EQ(md.find('\x07'), std::string::npos) << md;
  EXPECT_NE(md.find("```text\n"), std::string::npos) << md;
  EXPECT_NE(md.find("#### Findings"), std::string::npos) << md;
  EXPECT_NE(md.find("- **unexplained-504** (error): 504 with \\*no\\* diagnostic"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("  - Root cause: the peer \\[did not\\] answer"), std::string::npos) << md;
  EXPECT_NE(md.find("  - Fix: collect the Edge logs"), std::string::npos) << md;
  EXPECT_NE(md.find("    - `expe.log:42` "), std::string::npos) << md;
  EXPECT_NE(md.find("Server \\<b\\>time-out\\</b\\>"), std::string::npos) << md;
  // The Call-ID's backticks cannot close its code span early.
  EXPECT_NE(md.find("```id`with``ticks"), std::string::npos) << md;
}

TEST(CallJson, EventsAndFindingsParseBackEscaped) {
  const StoredCall c = hostile_call();
  const std::string text = call_to_json(c);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  const auto j = nlohmann::json::parse(text);
  EXPECT_EQ(j["call"]["call_id"], c.call.call_id);
  EXPECT_EQ(j["call"]["final_status"], 504);
  ASSERT_EQ(j["events"].size(), 1u);
  EXPECT_EQ(j["events"][0]["file"], "log```.txt");
  EXPECT_EQ(j["events"][0]["line"], 7);
  EXPECT_EQ(j["events"][0]["raw"], c.events[0].raw);
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["evidence"][0]["line"], 42);
  EXPECT_EQ(j["findings"][0]["root_cause"], "the peer [did not] answer");
}

}  // namespace
}  // namespace fedtriage
