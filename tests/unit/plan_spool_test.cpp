// PlanSpool: call plans go to a temporary file and come back whole, in order, once.
#include "lib/analysis/plan_spool.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "tests/support/call_link_expect.h"

namespace fedtriage {
namespace {

CallPlan sample_plan(int n) {
  CallPlan p;
  p.call_id = n % 5 == 0 ? std::string() : "call-" + std::to_string(n) + "@10.0.0.1";
  // Ascending with gaps, and (after a cap) not always ascending: both must come back.
  for (uint32_t i = 0; i < static_cast<uint32_t>(n % 7); ++i) p.events.push_back(i * 1000u + n);
  if (n % 3 == 0) p.events.push_back(3);
  if (n == 4) p.events.push_back(UINT32_MAX);
  for (int k = 0; k < n % 4; ++k) {
    p.links.emplace_back(
        40 + n + k,
        "Call-serial-number 6b2a-" + std::to_string(k) +
            " = Via proxy-call-id of the message at logs/vcse01.txt:" + std::to_string(n),
        "logs/vcse01.txt", 1234 + k, k % 2 ? EventKind::Tls : EventKind::CallEvent);
  }
  if (n % 2 == 1) {  // a DNS answer carries its query
    p.links.emplace_back(60 + n, "DNS answer to the query", "logs/vcse01.txt", 99, EventKind::Dns)
        .query = 59 + n;
  }
  return p;
}

void expect_same(const CallPlan& a, const CallPlan& b) {
  EXPECT_EQ(a.call_id, b.call_id);
  EXPECT_EQ(a.events, b.events);
  testing::expect_same_links(a.links, b.links);
}

void round_trip(PlanSpool& spool) {
  std::string error;
  for (int n = 0; n < 500; ++n) ASSERT_TRUE(spool.add(sample_plan(n), &error)) << error;
  EXPECT_EQ(spool.size(), 500u);
  CallPlan p;
  for (int n = 0; n < 500; ++n) {
    ASSERT_TRUE(spool.next(p, &error)) << n << ": " << error;
    expect_same(p, sample_plan(n));
  }
  EXPECT_FALSE(spool.next(p, &error));
  EXPECT_EQ(error, "");
}

TEST(PlanSpool, PlansComeBackWholeAndInOrder) {
  PlanSpool spool;
  round_trip(spool);
}

TEST(PlanSpool, WithoutATemporaryDirectoryPlansStayInMemory) {
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  setenv("TMPDIR", "/nonexistent-fedtriage-dir", 1);
  PlanSpool spool;  // falls back to /tmp, else to memory: both must behave the same
  if (old) {
    setenv("TMPDIR", saved.c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }
  round_trip(spool);
}

TEST(PlanSpool, EmptySpoolHasNoPlans) {
  PlanSpool spool;
  CallPlan p;
  std::string error;
  EXPECT_FALSE(spool.next(p, &error));
  EXPECT_EQ(error, "");
}

}  // namespace
}  // namespace fedtriage
