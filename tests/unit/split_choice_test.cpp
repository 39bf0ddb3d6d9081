// Which files ingest splits across cores by itself (lib/ingest/split_choice.h).
#include "lib/ingest/split_choice.h"

#include <gtest/gtest.h>

#include "lib/ingest/split_parse.h"

namespace fedtriage {
namespace {

constexpr uint64_t kMiB = 1 << 20;
constexpr size_t kPiece = kDefaultSplitBytes;

TEST(SplitChoice, OneFileLargerThanTheRestIsSplit) {
  // The dense bench bundle: an 808 MB Expressway log, a 110 MB Edge trace, client logs.
  EXPECT_EQ(choose_split_bytes({40 * kMiB, 30 * kMiB, 37 * kMiB, 110 * kMiB, 808 * kMiB},
                               std::nullopt, 2),
            (std::vector<size_t>{0, 0, 0, 0, kPiece}));
}

TEST(SplitChoice, FilesThatKeepEveryCoreBusyAreNotSplit) {
  // The sparse bench bundle: two Expressway logs of about 500 MB, one per core.
  EXPECT_EQ(choose_split_bytes({8 * kMiB, 32 * kMiB, 501 * kMiB, 510 * kMiB}, std::nullopt, 2),
            (std::vector<size_t>(4, 0)));
  // Two cores: 300 MB against 400 MB on the other core. Four cores: against 300 MB shared by
  // three, the largest outlasts the others; fewer files than cores: all outlast the rest.
  EXPECT_EQ(choose_split_bytes({200 * kMiB, 200 * kMiB, 300 * kMiB}, std::nullopt, 2),
            (std::vector<size_t>{0, 0, 0}));
  EXPECT_EQ(choose_split_bytes({100 * kMiB, 100 * kMiB, 100 * kMiB, 300 * kMiB}, std::nullopt, 4),
            (std::vector<size_t>{0, 0, 0, kPiece}));
  EXPECT_EQ(choose_split_bytes({200 * kMiB, 200 * kMiB, 300 * kMiB}, std::nullopt, 4),
            (std::vector<size_t>(3, kPiece)));
}

TEST(SplitChoice, ALoneFileIsSplitUnlessSmallOrOneCore) {
  EXPECT_EQ(choose_split_bytes({64 * kMiB}, std::nullopt, 2), (std::vector<size_t>{kPiece}));
  EXPECT_EQ(choose_split_bytes({3 * kMiB}, std::nullopt, 2), (std::vector<size_t>{0}));
  EXPECT_EQ(choose_split_bytes({64 * kMiB}, std::nullopt, 1), (std::vector<size_t>{0}));
  // Size unknown (standard input, a directory's files come as their own inputs): not split.
  EXPECT_EQ(choose_split_bytes({0}, std::nullopt, 2), (std::vector<size_t>{0}));
}

TEST(SplitChoice, NothingIsSplitUnlessAskedOrWhenIdle) {
  EXPECT_EQ(choose_split_bytes({64 * kMiB}, std::nullopt, 2, /*when_idle=*/false),
            (std::vector<size_t>{0}));
  EXPECT_EQ(choose_split_bytes({64 * kMiB}, size_t{4096}, 2, /*when_idle=*/false),
            (std::vector<size_t>{4096}));
}

TEST(SplitChoice, AGivenSizeAppliesToEveryFile) {
  EXPECT_EQ(choose_split_bytes({1, 0, 500 * kMiB}, size_t{4096}, 2),
            (std::vector<size_t>(3, 4096)));
  EXPECT_EQ(choose_split_bytes({64 * kMiB}, size_t{0}, 2), (std::vector<size_t>{0}));
}

}  // namespace
}  // namespace fedtriage
