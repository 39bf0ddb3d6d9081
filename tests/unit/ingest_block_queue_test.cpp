#include "lib/ingest/block_queue.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <thread>

namespace fedtriage {
namespace {

ByteBlock filled(BlockQueue& q, std::string_view text) {
  ByteBlock b = q.take_empty();
  EXPECT_GE(b.capacity, text.size());
  std::memcpy(b.data(), text.data(), text.size());
  b.size = text.size();
  return b;
}

TEST(BlockQueue, BlocksComeOutInTheOrderTheyWentIn) {
  BlockPool pool(16);
  BlockQueue q(pool);
  ASSERT_TRUE(q.put(filled(q, "first")));
  ASSERT_TRUE(q.put(filled(q, "second")));
  q.close();
  ByteBlock b;
  ASSERT_TRUE(q.take_full(b));
  EXPECT_EQ(std::string_view(b.data(), b.size), "first");
  ASSERT_TRUE(q.take_full(b));
  EXPECT_EQ(std::string_view(b.data(), b.size), "second");
  EXPECT_FALSE(q.take_full(b));
  EXPECT_EQ(q.error(), "");
}

TEST(BlockQueue, ABlockReadIsReusedByTheNextInputOfThePool) {
  // Every input of a read shares the pool: a block freed by one is filled again by the next,
  // without a new allocation.
  BlockPool pool(16);
  const char* first_bytes = nullptr;
  {
    BlockQueue q(pool);
    ByteBlock b = filled(q, "abc");
    first_bytes = b.data();
    ASSERT_TRUE(q.put(std::move(b)));
    q.close();
    QueueSource source(q);
    char buf[8];
    EXPECT_EQ(source.read(buf, sizeof buf), 3);
    EXPECT_EQ(source.read(buf, sizeof buf), 0);
  }
  BlockQueue next(pool);
  ByteBlock again = next.take_empty();
  EXPECT_EQ(again.data(), first_bytes);
  EXPECT_EQ(again.size, 0u);
  EXPECT_EQ(again.capacity, 16u);
}

TEST(BlockQueue, AbandonedQueueRefusesBlocksAndReturnsThemToThePool) {
  BlockPool pool(16, 4);
  BlockQueue q(pool);
  ByteBlock b = filled(q, "x");
  const char* bytes = b.data();
  q.abandon();
  EXPECT_TRUE(q.abandoned());
  EXPECT_FALSE(q.put(std::move(b)));
  EXPECT_EQ(pool.take().data(), bytes);
}

TEST(BlockQueue, EveryByteArrivesInOrderThroughASmallDepth) {
  BlockPool pool(8);
  BlockQueue q(pool, 2);
  std::string seen;
  std::thread consumer([&] {
    QueueSource source(q);
    char buf[3];
    for (ssize_t n; (n = source.read(buf, sizeof buf)) > 0;) seen.append(buf, n);
  });
  std::string sent;
  for (int i = 0; i < 50; ++i) {
    const std::string text = std::to_string(i) + ",";
    sent += text;
    ASSERT_TRUE(q.put(filled(q, text)));
  }
  q.close();
  consumer.join();
  EXPECT_EQ(seen, sent);
}

TEST(BlockQueue, CloseWithAnErrorReachesTheReader) {
  BlockPool pool(8);
  BlockQueue q(pool);
  ASSERT_TRUE(q.put(filled(q, "ok")));
  q.close("disk on fire");
  QueueSource source(q);
  char buf[8];
  EXPECT_EQ(source.read(buf, sizeof buf), 2);
  EXPECT_EQ(source.read(buf, sizeof buf), -1);
  EXPECT_EQ(source.error(), "disk on fire");
}

}  // namespace
}  // namespace fedtriage
