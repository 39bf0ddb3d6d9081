// `analyze --format json --failed-only`: the conversations listed are those of the calls
// listed, on the real binary.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <set>
#include <string>

#include "tests/support/run_binary.h"

namespace fedtriage {
namespace {

TEST(JsonFailedOnly, ConversationsFollowTheCallsListed) {
  const std::string bundle =
      std::string(FEDTRIAGE_TESTDATA_DIR) + "/bundles/federation-failure.tar.gz";
  const testing::BinaryRun all =
      testing::run_binary({"analyze", "--no-db", "--format", "json", bundle});
  const testing::BinaryRun failed =
      testing::run_binary({"analyze", "--no-db", "--format", "json", "--failed-only", bundle});
  ASSERT_EQ(all.status, 0) << all.err;
  ASSERT_EQ(failed.status, 0) << failed.err;
  const nlohmann::json a = nlohmann::json::parse(all.out);
  const nlohmann::json f = nlohmann::json::parse(failed.out);
  std::set<std::string> listed;
  for (const auto& c : f["calls"]) listed.insert(c["call_id"].get<std::string>());
  ASSERT_FALSE(listed.empty());
  ASSERT_LT(f["calls"].size(), a["calls"].size());  // some calls did not fail
  EXPECT_LT(f["conversations"].size(), a["conversations"].size());
  for (const auto& cv : f["conversations"]) {
    bool any = false;
    for (const auto& id : cv["call_ids"]) any = any || listed.count(id.get<std::string>()) > 0;
    EXPECT_TRUE(any) << cv.dump();
  }
}

}  // namespace
}  // namespace fedtriage
