#include "lib/base/record_file.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fedtriage {
namespace {

class RecordFileTest : public ::testing::TestWithParam<RecordFile::Keep> {};

std::vector<std::string> all(const RecordFile& f) {
  std::vector<std::string> out;
  std::string why;
  EXPECT_TRUE(f.for_each([&](std::string_view r) { out.emplace_back(r); }, &why)) << why;
  return out;
}

TEST_P(RecordFileTest, RecordsComeBackInOrderWholeAndAnyNumberOfTimes) {
  RecordFile f(GetParam());
  std::string why;
  const std::vector<std::string> records = {"one", "", std::string(100000, 'x'),
                                            std::string("a\0b\nc", 5)};
  for (const std::string& r : records) ASSERT_TRUE(f.append(r, &why)) << why;
  EXPECT_EQ(f.size(), 4u);
  EXPECT_EQ(all(f), records);
  EXPECT_EQ(all(f), records);                  // read again
  ASSERT_TRUE(f.append("five", &why)) << why;  // appending goes on after reading
  std::vector<std::string> more = records;
  more.push_back("five");
  EXPECT_EQ(all(f), more);
}

TEST_P(RecordFileTest, TakeReadsEachRecordOnceThenEnds) {
  RecordFile f(GetParam());
  std::string why, record;
  EXPECT_FALSE(f.take(&record, &why));  // empty
  EXPECT_EQ(why, "");
  for (const char* r : {"a", "bb", "ccc"}) ASSERT_TRUE(f.append(r, &why)) << why;
  std::vector<std::string> taken;
  while (f.take(&record, &why)) taken.push_back(record);
  EXPECT_EQ(why, "");
  EXPECT_EQ(taken, (std::vector<std::string>{"a", "bb", "ccc"}));
  EXPECT_FALSE(f.take(&record, &why));
}

// Records are read ahead in blocks: records across block ends, larger than a block, and
// appended between takes (after a block that ended at the end of the file) all come back.
TEST_P(RecordFileTest, TakingAndAppendingInTurnsAcrossBlocks) {
  RecordFile f(GetParam());
  std::string why, record;
  std::vector<std::string> appended, taken;
  uint32_t seed = 7;
  auto next_size = [&] {
    seed = seed * 1103515245u + 12345u;
    const uint32_t r = (seed >> 8) % 100;
    return r < 2 ? 700000 + r * 1000 : r < 30 ? 30000 + r * 977 : r * 13;  // some > a block
  };
  for (int round = 0; round < 60; ++round) {
    for (int k = 0; k < round % 5 + 1; ++k) {
      std::string r(next_size(), static_cast<char>('a' + appended.size() % 26));
      if (!r.empty()) r.back() = static_cast<char>(appended.size() % 251);
      ASSERT_TRUE(f.append(r, &why)) << why;
      appended.push_back(std::move(r));
    }
    for (int k = 0; k < round % 3 + 1 && f.take(&record, &why); ++k) taken.push_back(record);
    ASSERT_EQ(why, "");
  }
  while (f.take(&record, &why)) taken.push_back(record);
  ASSERT_EQ(why, "");
  ASSERT_EQ(taken.size(), appended.size());
  for (size_t i = 0; i < taken.size(); ++i) ASSERT_TRUE(taken[i] == appended[i]) << i;
  // In memory, a record taken is freed; on disk it can be read again.
  if (GetParam() == RecordFile::Keep::kOnDisk) {
    EXPECT_TRUE(all(f) == appended);
  }
}

INSTANTIATE_TEST_SUITE_P(BothKeeps, RecordFileTest,
                         ::testing::Values(RecordFile::Keep::kOnDisk, RecordFile::Keep::kInMemory),
                         [](const auto& info) {
                           return info.param == RecordFile::Keep::kOnDisk ? "on_disk" : "in_memory";
                         });

}  // namespace
}  // namespace fedtriage
