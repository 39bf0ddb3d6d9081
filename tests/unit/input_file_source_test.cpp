#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "lib/input/file_source.h"

namespace fedtriage {
namespace {

class InputFileSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/fedtriage-filesource-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(InputFileSourceTest, SmallAndLargeReadsGiveTheWholeFile) {
  std::string data;
  for (int i = 0; i < 200000; ++i) data += static_cast<char>('a' + i % 23);
  std::string p = dir_ + "/f.bin";
  std::ofstream(p, std::ios::binary) << data;
  for (size_t chunk : {size_t{1}, size_t{1000}, size_t{256 * 1024}, size_t{1 << 20}}) {
    std::string error;
    auto src = FileSource::open(p, &error);
    ASSERT_TRUE(src) << error;
    std::string got(chunk, '\0'), all;
    ssize_t r;
    while ((r = src->read(got.data(), chunk)) > 0) all.append(got, 0, static_cast<size_t>(r));
    EXPECT_EQ(r, 0);
    EXPECT_EQ(all, data) << chunk;
  }
}

TEST_F(InputFileSourceTest, OpenFailureSaysWhy) {
  std::string error;
  EXPECT_EQ(FileSource::open(dir_ + "/missing", &error), nullptr);
  EXPECT_EQ(error, "No such file or directory");
}

TEST_F(InputFileSourceTest, ReadFailureSaysWhy) {
  std::string error;
  auto src = FileSource::open(dir_, &error);  // a directory opens, but cannot be read
  ASSERT_TRUE(src) << error;
  char buf[16];
  EXPECT_EQ(src->read(buf, sizeof buf), -1);
  EXPECT_EQ(src->error(), "read error: Is a directory");
  EXPECT_EQ(src->read(buf, sizeof buf), -1);
}

}  // namespace
}  // namespace fedtriage
