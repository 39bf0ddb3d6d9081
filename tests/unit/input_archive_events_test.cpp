// The walker tells a handler where each archive's members start and end, and its type: what a
// handler that rebuilds the layout (redaction) needs.
#include <gtest/gtest.h>

#include <archive.h>
#include <archive_entry.h>

#include <string>
#include <vector>

#include "lib/input/archive_walker.h"
#include "lib/input/memory_source.h"
#include "tests/support/archive_members.h"
#include "tests/support/collecting_sinks.h"

namespace fedtriage {
namespace {

std::string make_archive(int format, int filter,
                         const std::vector<std::pair<std::string, std::string>>& members) {
  std::string out;
  struct archive* a = archive_write_new();
  if (filter != ARCHIVE_FILTER_NONE) archive_write_add_filter(a, filter);
  archive_write_set_format(a, format);
  archive_write_set_bytes_in_last_block(a, 1);
  archive_write_open(
      a, &out, nullptr,
      [](struct archive*, void* client, const void* buf, size_t n) -> la_ssize_t {
        static_cast<std::string*>(client)->append(static_cast<const char*>(buf), n);
        return static_cast<la_ssize_t>(n);
      },
      nullptr);
  testing::write_archive_members(a, members);
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

struct Recorder : LeafHandler {
  std::vector<std::string> log;
  void on_leaf(const std::string& name, ByteSource&) override { log.push_back("leaf " + name); }
  void on_archive_begin(const std::string& name, const std::vector<int>& filters,
                        int format) override {
    std::string f;
    for (int code : filters) f += std::to_string(code) + ",";
    log.push_back("begin " + name + " filters=" + f +
                  " format=" + std::to_string(format & ARCHIVE_FORMAT_BASE_MASK));
  }
  void on_archive_end(const std::string& name) override { log.push_back("end " + name); }
};

TEST(InputArchiveEvents, NestedArchivesAreAnnouncedInOrder) {
  const std::string zip = make_archive(ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE, {{"c.log", "c\n"}});
  const std::string tgz = make_archive(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_GZIP,
                                       {{"a.log", "a\n"}, {"dir/b.zip", zip}, {"d.log", "d\n"}});
  MemorySource source(tgz);
  Recorder r;
  testing::CollectingProblems problems;
  walk_stream(source, "x.tgz", WalkOptions{}, r, problems);
  const std::vector<std::string> expected = {
      "begin x.tgz filters=" + std::to_string(ARCHIVE_FILTER_GZIP) +
          ", format=" + std::to_string(ARCHIVE_FORMAT_TAR),
      "leaf x.tgz!/a.log",
      "begin x.tgz!/dir/b.zip filters= format=" + std::to_string(ARCHIVE_FORMAT_ZIP),
      "leaf x.tgz!/dir/b.zip!/c.log",
      "end x.tgz!/dir/b.zip",
      "leaf x.tgz!/d.log",
      "end x.tgz",
  };
  EXPECT_EQ(r.log, expected);
  EXPECT_TRUE(problems.problems.empty());
}

TEST(InputArchiveEvents, ALoneCompressedStreamIsARawArchive) {
  const std::string gz = make_archive(ARCHIVE_FORMAT_RAW, ARCHIVE_FILTER_GZIP, {{"x", "hello\n"}});
  MemorySource source(gz);
  Recorder r;
  testing::CollectingProblems problems;
  walk_stream(source, "y.log.gz", WalkOptions{}, r, problems);
  ASSERT_EQ(r.log.size(), 3u);
  EXPECT_EQ(r.log[0], "begin y.log.gz filters=" + std::to_string(ARCHIVE_FILTER_GZIP) +
                          ", format=" + std::to_string(ARCHIVE_FORMAT_RAW));
  EXPECT_EQ(r.log[1], "leaf y.log.gz!/y.log");
  EXPECT_EQ(r.log[2], "end y.log.gz");
}

TEST(InputArchiveEvents, PlainTextIsNoArchive) {
  MemorySource source("just a line\n");
  Recorder r;
  testing::CollectingProblems problems;
  walk_stream(source, "z.txt", WalkOptions{}, r, problems);
  EXPECT_EQ(r.log, std::vector<std::string>{"leaf z.txt"});
}

}  // namespace
}  // namespace fedtriage
