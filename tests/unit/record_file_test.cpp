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

INSTANTIATE_TEST_SUITE_P(BothKeeps, RecordFileTest,
                         ::testing::Values(RecordFile::Keep::kOnDisk, RecordFile::Keep::kInMemory),
                         [](const auto& info) {
                           return info.param == RecordFile::Keep::kOnDisk ? "on_disk" : "in_memory";
                         });

}  // namespace
}  // namespace fedtriage
