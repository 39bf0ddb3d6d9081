#include "lib/report/case_todo.h"

#include <gtest/gtest.h>

#include "lib/analysis/analyzer.h"
#include "lib/report/analysis_case_view.h"

namespace fedtriage {
namespace {

Call failed_call(const std::string& id) {
  Call c;
  c.call_id = id;
  c.final_status = 504;
  c.outcome = Outcome::Failed;
  c.phase = CallPhase::Setup;
  return c;
}

Finding finding(const std::string& call, const std::string& rule, Fields fields) {
  Finding f;
  f.call_id = call;
  f.rule_id = rule;
  f.title = rule;
  f.fields = std::move(fields);
  f.fix = "fix of " + rule;
  return f;
}

// Two calls that need the same certificate give one item with every name; the same SRV record
// twice is one item; a call that ended as designed adds nothing.
TEST(CaseTodo, OneItemPerChangeWithEveryCallItExplains) {
  Analysis a;
  for (const char* id : {"c1", "c2", "c3", "c4", "busy"}) a.calls.push_back(failed_call(id));
  a.calls.back().outcome = Outcome::Normal;
  a.findings.push_back(
      finding("c1", "cert-fqdn-mismatch",
              {{"expected_fqdn", "vcse.acano.steven.lab"}, {"cert_name", "vcse.steven.lab"}}));
  a.findings.push_back(
      finding("c2", "cert-fqdn-mismatch",
              {{"expected_fqdn", "vcse.cms.steven.lab"}, {"cert_name", "vcse.steven.lab"}}));
  for (const char* id : {"c3", "c4"}) {
    a.findings.push_back(finding(id, "srv-domain-mismatch",
                                 {{"domain", "cms.steven.lab"},
                                  {"fqdn", "vcse.sub.cms.steven.lab"},
                                  {"srv_record", "_sipfederationtls._tcp.cms.steven.lab"}}));
  }
  a.findings.push_back(finding("busy", "unexplained-504", {{"peer", "10.48.36.6:5061"}}));
  const std::vector<TodoItem> todo = case_todo(*analysis_case_view(a));
  ASSERT_EQ(todo.size(), 2u);
  EXPECT_EQ(todo[0].kind, "dns");
  EXPECT_EQ(todo[0].call_ids, (std::vector<std::string>{"c3", "c4"}));
  EXPECT_NE(todo[0].action.find("_sipfederationtls._tcp.cms.steven.lab (now "
                                "vcse.sub.cms.steven.lab)"),
            std::string::npos)
      << todo[0].action;
  EXPECT_EQ(todo[1].kind, "certificate");
  EXPECT_EQ(todo[1].call_ids, (std::vector<std::string>{"c1", "c2"}));
  EXPECT_NE(todo[1].action.find("vcse.steven.lab, vcse.acano.steven.lab, vcse.cms.steven.lab"),
            std::string::npos)
      << todo[1].action;
}

// An unexplained 504 names the Edge the call went to.
TEST(CaseTodo, LogsToCollectNameTheEdge) {
  Analysis a;
  a.calls.push_back(failed_call("c1"));
  a.findings.push_back(finding("c1", "unexplained-504", {{"peer", "198.51.100.91:5061"}}));
  const std::vector<TodoItem> todo = case_todo(*analysis_case_view(a));
  ASSERT_EQ(todo.size(), 1u);
  EXPECT_EQ(todo[0].kind, "logs");
  EXPECT_NE(todo[0].action.find("Edge server at 198.51.100.91"), std::string::npos)
      << todo[0].action;
}

// With the DNS answer, the item names the pool member and the pool; calls that went to another
// member get an item of their own.
TEST(CaseTodo, LogsToCollectNameThePoolMember) {
  Analysis a;
  for (const char* id : {"c1", "c2", "c3"}) a.calls.push_back(failed_call(id));
  const Fields pool = {{"peer_srv_record", "_sipfederationtls._tcp.contoso.com"},
                       {"peer_srv_addresses", "198.51.100.91, 198.51.100.92"},
                       {"peer_srv_count", "2"}};
  for (auto [id, member] : {std::pair{"c1", "198.51.100.92"}, std::pair{"c2", "198.51.100.91"},
                            std::pair{"c3", "198.51.100.92"}}) {
    Fields fields = pool;
    fields.emplace_back("peer", std::string(member) + ":5061");
    fields.emplace_back("peer_address", member);
    a.findings.push_back(finding(id, "unexplained-504", fields));
  }
  const std::vector<TodoItem> todo = case_todo(*analysis_case_view(a));
  ASSERT_EQ(todo.size(), 2u);
  EXPECT_EQ(todo[0].call_ids, (std::vector<std::string>{"c1", "c3"}));
  EXPECT_EQ(todo[0].action,
            "Collect the Edge CLS trace (SIPStack) of the Edge server at 198.51.100.92, the one "
            "these calls went to of the 2 addresses _sipfederationtls._tcp.contoso.com resolved "
            "to (198.51.100.91, 198.51.100.92), and the client log of a new failing call");
  EXPECT_EQ(todo[1].call_ids, (std::vector<std::string>{"c2"}));
  EXPECT_NE(todo[1].action.find("Edge server at 198.51.100.91, "), std::string::npos)
      << todo[1].action;
}

}  // namespace
}  // namespace fedtriage
