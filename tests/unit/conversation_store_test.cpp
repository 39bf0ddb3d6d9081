// The conversations tables through the Store interface, on SQLite and (with a test server) on
// PostgreSQL: written after the calls, read by conversation id or by any leg's Call-ID,
// replaced when the case is written again.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "lib/store/open_store.h"
#include "tests/support/pg_test_db.h"
#include "tests/support/temp_dir.h"

namespace fedtriage {
namespace {

Call call_named(const std::string& id, int64_t first_ms, int status) {
  Call c;
  c.call_id = id;
  c.first_ms = c.last_ms = first_ms;
  c.method = "INVITE";
  c.final_status = status;
  return c;
}

ConversationSet two_legs_and_a_lone_call() {
  ConversationSet set;
  Conversation both{"cv-00000000000000aa", {"leg-a", "leg-b"}, {}};
  both.links.push_back({"leg-a", "leg-b", {"session-id", "5b1c0a7e9d3f4e21a8c6b0d2e4f61234"}});
  set.conversations.push_back(both);
  set.conversations.push_back({"cv-00000000000000bb", {"alone"}, {}});
  return set;
}

// Writes the three calls and `set` as case "c1".
void write_case(Store& store, const ConversationSet& set) {
  std::string error;
  auto w = store.begin_case("c1", {}, WriteOptions{}, &error);
  ASSERT_TRUE(w) << error;
  ASSERT_TRUE(w->write_inputs({}, &error)) << error;
  for (const Call& c : {call_named("leg-a", 1000, 503), call_named("leg-b", 1040, 504),
                        call_named("alone", 9000, 200)}) {
    ASSERT_TRUE(w->write_call(c, {}, {}, &error)) << error;
  }
  ASSERT_TRUE(w->write_conversations(set, &error)) << error;
  ASSERT_TRUE(w->commit(&error)) << error;
}

void check_store(Store& store) {
  write_case(store, two_legs_and_a_lone_call());
  std::string error;
  for (const char* key : {"cv-00000000000000aa", "leg-a", "leg-b"}) {
    auto cv = store.load_conversation(key, "", &error);
    ASSERT_TRUE(cv) << key << error;
    EXPECT_EQ(cv->id, "cv-00000000000000aa");
    EXPECT_EQ(cv->case_name, "c1");
    EXPECT_EQ(cv->call_ids, (std::vector<std::string>{"leg-a", "leg-b"}));
    ASSERT_EQ(cv->links.size(), 1u);
    EXPECT_EQ(cv->links[0].call_a, "leg-a");
    EXPECT_EQ(cv->links[0].key, "session-id");
    EXPECT_EQ(cv->links[0].value, "5b1c0a7e9d3f4e21a8c6b0d2e4f61234");
  }
  auto lone = store.load_conversation("alone", "c1", &error);
  ASSERT_TRUE(lone) << error;
  EXPECT_EQ(lone->call_ids, std::vector<std::string>{"alone"});
  EXPECT_TRUE(lone->links.empty());
  EXPECT_FALSE(store.load_conversation("nothing", "", &error));
  EXPECT_EQ(error, "");
  EXPECT_EQ(store.list_conversation_ids("", &error),
            (std::vector<std::string>{"cv-00000000000000aa", "cv-00000000000000bb"}));
  auto sum = store.summary("", &error);
  ASSERT_TRUE(sum) << error;
  EXPECT_EQ(sum->conversations, 2u);
  EXPECT_EQ(sum->multi_leg_conversations, 1u);

  // Written again with the legs no longer tied: each alone, the old link gone, nothing twice.
  ConversationSet apart;
  apart.conversations.push_back({"cv-00000000000000a1", {"leg-a"}, {}});
  apart.conversations.push_back({"cv-00000000000000b1", {"leg-b"}, {}});
  apart.conversations.push_back({"cv-00000000000000bb", {"alone"}, {}});
  write_case(store, apart);
  auto a = store.load_conversation("leg-a", "", &error);
  ASSERT_TRUE(a) << error;
  EXPECT_EQ(a->id, "cv-00000000000000a1");
  EXPECT_TRUE(a->links.empty());
  EXPECT_FALSE(store.load_conversation("cv-00000000000000aa", "", &error));
  sum = store.summary("", &error);
  ASSERT_TRUE(sum) << error;
  EXPECT_EQ(sum->conversations, 3u);
  EXPECT_EQ(sum->multi_leg_conversations, 0u);
}

TEST(ConversationStore, Sqlite) {
  testing::TempDir dir;
  std::string error;
  auto store = open_store(dir.path() + "/c.db", &error);
  ASSERT_TRUE(store) << error;
  check_store(*store);
}

TEST(ConversationStore, Postgresql) {
  FEDTRIAGE_NEED_PG();
  testing::PgTestDb db;
  std::string error;
  auto store = open_store(db.url(), &error);
  ASSERT_TRUE(store) << error;
  check_store(*store);
}

}  // namespace
}  // namespace fedtriage
