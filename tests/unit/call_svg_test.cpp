#include "lib/report/ladder/call_svg.h"

#include <gtest/gtest.h>

#include <string>

namespace fedtriage {
namespace {

StoredCall hostile_call() {
  StoredCall c;
  c.call.case_name = "acme";
  c.call.call_id = "abc\x1b[31m";
  c.call.from_display = "<script>alert(1)</script> & \"Bob\"";
  c.call.from_uri = "sip:a@a.example";
  c.call.to_uri = "sip:b@b.example";
  c.call.final_status = 504;
  c.call.final_reason =
      "Server time-out \xc2\x9b"
      "2J";
  StoredEvent e;
  e.kind = EventKind::Sip;
  e.method = "INVITE";
  e.call_id = c.call.call_id;
  e.direction = Direction::Out;
  e.host = "expe";
  e.origin = {"x.log", 7, 0};
  e.summary = "INVITE";
  c.events.push_back(e);
  StoredFinding f;
  f.rule_id = "unexplained-504";
  f.title = "504 <b>without</b> diagnostic";
  f.root_cause = std::string(300, 'r');  // one long word: cut into lines
  f.fix = "collect the Edge logs";
  f.evidence.push_back({0, "x.log", 42, "SIP/2.0 504 Server time-out\x07"});
  c.findings.push_back(f);
  return c;
}

TEST(CallSvg, HostileTextIsEscapedAndNothingActs) {
  const StoredCall call = hostile_call();
  const std::string svg = call_to_svg(call, build_ladder(call));
  EXPECT_TRUE(svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
  EXPECT_TRUE(svg.ends_with("</svg>\n"));
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Bob&quot;"),
            std::string::npos);
  for (char c : svg) {  // no control characters but line ends
    EXPECT_TRUE(static_cast<unsigned char>(c) >= 0x20 || c == '\n') << int(c);
  }
  EXPECT_EQ(svg.find("\xc2\x9b"), std::string::npos);                      // C1 CSI made visible
  EXPECT_EQ(svg.find("http://"), svg.find("http://www.w3.org/2000/svg"));  // nothing fetched
  EXPECT_EQ(svg.find(std::string(120, 'r')), std::string::npos);           // wrapped
  EXPECT_NE(svg.find("collect the Edge logs"), std::string::npos);
  EXPECT_NE(svg.find("x.log:42"), std::string::npos);
}

TEST(CallSvg, FailingAnswerIsRedAndTheHostsAreColumns) {
  StoredCall call = hostile_call();
  StoredEvent answer = call.events[0];
  answer.method = "INVITE";
  answer.status = 504;
  answer.reason_phrase = "Server time-out";
  answer.direction = Direction::In;
  answer.ts_ms = 1000;
  call.events.push_back(answer);
  const Ladder ladder = build_ladder(call);
  const std::string svg = call_to_svg(call, ladder);
  for (const LadderColumn& c : ladder.columns) {
    EXPECT_NE(svg.find(">" + c.label.substr(0, 10)), std::string::npos) << c.label;
  }
  ASSERT_FALSE(ladder.arrows.empty());
  ASSERT_TRUE(ladder.arrows.back().failing);
  EXPECT_NE(svg.find("url(#head-fail)"), std::string::npos);
  EXPECT_NE(svg.find("class=\"fail\""), std::string::npos);
}

}  // namespace
}  // namespace fedtriage
