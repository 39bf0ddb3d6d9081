#include "lib/report/call_list.h"

#include <gtest/gtest.h>

#include "lib/core/timestamp.h"

namespace fedtriage {
namespace {

CallSummary call(std::string id, int64_t first_ms, int status, std::string from = "sip:a@a.example",
                 std::string to = "sip:b@b.example", std::vector<std::string> rules = {}) {
  CallSummary c;
  c.case_name = "case1";
  c.call_id = std::move(id);
  c.first_ms = c.last_ms = first_ms;
  c.method = "INVITE";
  c.from_uri = std::move(from);
  c.to_uri = std::move(to);
  c.request_uri = c.to_uri;
  c.final_status = status;
  c.rule_ids = std::move(rules);
  return c;
}

std::vector<std::string> ids(const std::vector<CallSummary>& calls) {
  std::vector<std::string> out;
  for (const CallSummary& c : calls) out.push_back(c.call_id);
  return out;
}

std::vector<CallSummary> sample() {
  return {call("old-ok", 1000, 200), call("mid-504", 2000, 504),
          call("new-finding", 3000, 200, "sip:x@skype.LAB;transport=tls", "sip:y@b.example",
               {"tls-handshake"}),
          call("none", 2500, 0, "\"=cmd\" <sip:=x@c.example>", "sip:z@c.example")};
}

TEST(CallList, NewestFirstAndLimit) {
  EXPECT_EQ(ids(select_calls(sample(), {})),
            (std::vector<std::string>{"new-finding", "none", "mid-504", "old-ok"}));
  CallFilter f;
  f.limit = 2;
  EXPECT_EQ(ids(select_calls(sample(), f)), (std::vector<std::string>{"new-finding", "none"}));
}

// Rows without an outcome (schema < 3) fall back on the final status; a finding alone (an
// observation on a call that succeeded) does not make a call failed.
TEST(CallList, OutcomeIsTheStoredOutcome) {
  CallFilter f;
  f.outcome = CallOutcome::Failed;
  EXPECT_EQ(ids(select_calls(sample(), f)), (std::vector<std::string>{"mid-504"}));
  f.outcome = CallOutcome::Ok;
  EXPECT_EQ(ids(select_calls(sample(), f)),
            (std::vector<std::string>{"new-finding", "none", "old-ok"}));
  std::vector<CallSummary> calls = sample();
  calls[1].outcome = "normal";  // e.g. a 486
  calls[2].outcome = "failed";  // e.g. a mid-dialog failure after a 200
  f.outcome = CallOutcome::Failed;
  EXPECT_EQ(ids(select_calls(calls, f)), (std::vector<std::string>{"new-finding"}));
  f.outcome = CallOutcome::Normal;
  EXPECT_EQ(ids(select_calls(calls, f)), (std::vector<std::string>{"mid-504"}));
}

TEST(CallList, StatusDomainGrep) {
  CallFilter f;
  f.status = 0;
  EXPECT_EQ(ids(select_calls(sample(), f)), (std::vector<std::string>{"none"}));
  f = {};
  f.domain = "Skype.lab";  // host of From, any case, without the parameters
  EXPECT_EQ(ids(select_calls(sample(), f)), (std::vector<std::string>{"new-finding"}));
  f.domain = "transport";
  EXPECT_TRUE(select_calls(sample(), f).empty());
  f = {};
  f.grep = "MID";
  EXPECT_EQ(ids(select_calls(sample(), f)), (std::vector<std::string>{"mid-504"}));
  f.grep = "y@b.exa";
  EXPECT_EQ(ids(select_calls(sample(), f)), (std::vector<std::string>{"new-finding"}));
}

TEST(CallList, TimeBounds) {
  const int64_t day = *utc_ms(2017, 3, 2, 0, 0, 0, 0);
  EXPECT_EQ(parse_time_bound("2017-03-02", false), day);
  EXPECT_EQ(parse_time_bound("2017-03-02", true), day + 86400000);
  EXPECT_EQ(parse_time_bound("2017-03-02T07:10", true), *utc_ms(2017, 3, 2, 7, 11, 0, 0));
  EXPECT_EQ(parse_time_bound("2017-03-02 07:10:46", false), *utc_ms(2017, 3, 2, 7, 10, 46, 0));
  EXPECT_EQ(parse_time_bound("2017-03-02T07:10:46.240Z", false),
            *utc_ms(2017, 3, 2, 7, 10, 46, 240));
  for (const char* bad : {"", "yesterday", "2017-3-2", "2017-03-02T7", "2017-03-02T07:10:4",
                          "2017-13-01", "2017-03-02T24:00", "2017-03-02T07:10:46.2"}) {
    EXPECT_FALSE(parse_time_bound(bad, false)) << bad;
  }
  std::vector<CallSummary> calls = {call("a", day - 1, 200), call("b", day, 200),
                                    call("c", day + 86399999, 200), call("d", day + 86400000, 200)};
  CallFilter f;
  f.since_ms = parse_time_bound("2017-03-02", false);
  f.until_ms = parse_time_bound("2017-03-02", true);
  EXPECT_EQ(ids(select_calls(calls, f)), (std::vector<std::string>{"c", "b"}));
}

TEST(CallList, CsvDefusesFormulasAndTextIsTerminalSafe) {
  std::vector<CallSummary> calls = {call("-1+2", 0, 0, "=HYPERLINK(\"x\")", "@b\x1b[31m")};
  const std::string csv = calls_to_csv(calls);
  EXPECT_NE(csv.find(",'-1+2,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",\"'=HYPERLINK(\"\"x\"\")\","), std::string::npos) << csv;
  // Controls are escaped as on the terminal: no raw ESC reaches a terminal showing the file.
  EXPECT_NE(csv.find(",'@b\\x1b[31m,"), std::string::npos) << csv;
  EXPECT_EQ(csv.find('\x1b'), std::string::npos) << csv;
  const std::string text = calls_to_text(calls);
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
  EXPECT_NE(text.find("1970-01-01 00:00:00"), std::string::npos) << text;
  EXPECT_EQ(calls_to_text({}), "No calls.\n");
  const std::string json = calls_to_json(calls);
  EXPECT_EQ(json.find('\x1b'), std::string::npos) << json;
}

}  // namespace
}  // namespace fedtriage
