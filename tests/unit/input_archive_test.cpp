// The archive walker and the input walker, on archives built here with libarchive's writer.
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "lib/input/archive_walker.h"
#include "lib/input/input_walker.h"
#include "lib/input/memory_source.h"

namespace fedtriage {
namespace {

namespace fs = std::filesystem;

enum class Format { kTar, kZip, kRaw };
enum class Filter { kNone, kGzip, kBzip2, kXz, kZstd };

struct Member {
  std::string name;
  std::string data;
  bool directory = false;
};

la_ssize_t append_callback(struct archive*, void* out, const void* buf, size_t n) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(buf), n);
  return static_cast<la_ssize_t>(n);
}

// Filters are applied in order: {kGzip, kBzip2} makes x.gz.bz2.
std::string build(Format format, std::vector<Filter> filters, const std::vector<Member>& members) {
  struct archive* a = archive_write_new();
  switch (format) {
    case Format::kTar:
      archive_write_set_format_pax_restricted(a);
      break;
    case Format::kZip:
      archive_write_set_format_zip(a);
      break;
    case Format::kRaw:
      archive_write_set_format_raw(a);
      break;
  }
  // libarchive pushes filters in front of the previous ones: add the outermost last.
  for (auto it = filters.rbegin(); it != filters.rend(); ++it) {
    switch (*it) {
      case Filter::kNone:
        break;
      case Filter::kGzip:
        archive_write_add_filter_gzip(a);
        break;
      case Filter::kBzip2:
        archive_write_add_filter_bzip2(a);
        break;
      case Filter::kXz:
        archive_write_add_filter_xz(a);
        break;
      case Filter::kZstd:
        archive_write_add_filter_zstd(a);
        break;
    }
  }
  archive_write_set_bytes_in_last_block(a, 1);  // no zero padding after a compressed stream
  std::string out;
  EXPECT_EQ(archive_write_open(a, &out, nullptr, append_callback, nullptr), ARCHIVE_OK)
      << archive_error_string(a);
  for (const Member& m : members) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, m.name.c_str());
    archive_entry_set_filetype(e, m.directory ? AE_IFDIR : AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(m.data.size()));
    EXPECT_EQ(archive_write_header(a, e), ARCHIVE_OK) << archive_error_string(a);
    if (!m.data.empty()) {
      EXPECT_EQ(archive_write_data(a, m.data.data(), m.data.size()),
                static_cast<la_ssize_t>(m.data.size()));
    }
    archive_entry_free(e);
  }
  EXPECT_EQ(archive_write_close(a), ARCHIVE_OK) << archive_error_string(a);
  archive_write_free(a);
  return out;
}

std::string gz(const std::string& data) {
  return build(Format::kRaw, {Filter::kGzip}, {{"x", data}});
}

// Text that does not compress much, so that cutting the archive cuts inside it.
std::string noisy_text(size_t n, unsigned seed) {
  std::string s;
  s.reserve(n);
  unsigned x = seed;
  while (s.size() < n) {
    x = x * 1103515245 + 12345;
    s += static_cast<char>('a' + (x >> 16) % 26);
    if ((x >> 8) % 50 == 0) s += '\n';
  }
  s.resize(n);
  return s;
}

struct Leaves : LeafHandler {
  std::vector<std::string> names;
  std::map<std::string, std::string> data;
  void on_leaf(const std::string& name, ByteSource& source) override {
    names.push_back(name);
    std::string& d = data[name];
    char buf[7000];  // an odd size: reads never line up with the walker's blocks
    ssize_t r;
    while ((r = source.read(buf, sizeof buf)) > 0) d.append(buf, static_cast<size_t>(r));
  }
};

struct Problems : ProblemSink {
  std::vector<Problem> all;
  void on_problem(Problem p) override { all.push_back(std::move(p)); }
};

struct Walked {
  Leaves leaves;
  Problems problems;
};

Walked walk_bytes(const std::string& bytes, const std::string& name, WalkOptions options = {},
                  size_t max_chunk = 0) {
  Walked w;
  MemorySource source(bytes, max_chunk);
  walk_stream(source, name, options, w.leaves, w.problems);
  return w;
}

std::string describe(const std::vector<Problem>& problems) {
  std::string s;
  for (const Problem& p : problems) {
    s += std::string(to_string(p.severity)) + " " + p.file + ": " + p.message + "\n";
  }
  return s;
}

using Names = std::vector<std::string>;

TEST(InputArchive, PlainTextIsALeafPassedThrough) {
  Walked w = walk_bytes("hello\nworld\n", "a.log");
  EXPECT_EQ(w.leaves.names, Names{"a.log"});
  EXPECT_EQ(w.leaves.data["a.log"], "hello\nworld\n");
  EXPECT_TRUE(w.problems.all.empty()) << describe(w.problems.all);
}

TEST(InputArchive, EmptyInputIsAnEmptyLeaf) {
  Walked w = walk_bytes("", "empty.log");
  EXPECT_EQ(w.leaves.names, Names{"empty.log"});
  EXPECT_EQ(w.leaves.data["empty.log"], "");
  EXPECT_TRUE(w.problems.all.empty());
}

TEST(InputArchive, GzipOfOneFileIsNamedWithoutTheSuffix) {
  Walked w = walk_bytes(gz("line 1\nline 2\n"), "dir/x.log.gz");
  EXPECT_EQ(w.leaves.names, Names{"dir/x.log.gz!/x.log"});
  EXPECT_EQ(w.leaves.data["dir/x.log.gz!/x.log"], "line 1\nline 2\n");
  EXPECT_TRUE(w.problems.all.empty()) << describe(w.problems.all);
}

TEST(InputArchive, GzipWithoutKnownSuffixNamesItsContentData) {
  Walked w = walk_bytes(gz("abc"), "<stdin>");
  EXPECT_EQ(w.leaves.names, Names{"<stdin>!/data"});
  EXPECT_EQ(w.leaves.data["<stdin>!/data"], "abc");
}

TEST(InputArchive, CompressedTextIsNeverTakenForAFileList) {
  // Lines of words look like an mtree file list to libarchive's bidder.
  std::string text = noisy_text(50000, 9);
  Walked w = walk_bytes(gz(text), "words.gz");
  EXPECT_EQ(w.leaves.names, Names{"words.gz!/words"});
  EXPECT_EQ(w.leaves.data["words.gz!/words"], text);
  EXPECT_TRUE(w.problems.all.empty()) << describe(w.problems.all);
}

TEST(InputArchive, CompressedEmptyFileIsAnEmptyLeaf) {
  Walked w = walk_bytes(gz(""), "e.log.gz");
  EXPECT_EQ(w.leaves.names, Names{"e.log.gz!/e.log"});
  EXPECT_EQ(w.leaves.data["e.log.gz!/e.log"], "");
  EXPECT_TRUE(w.problems.all.empty()) << describe(w.problems.all);
}

TEST(InputArchive, TwoCompressionLayersStripTwoSuffixes) {
  std::string bytes = build(Format::kRaw, {Filter::kGzip, Filter::kBzip2}, {{"x", "two layers"}});
  Walked w = walk_bytes(bytes, "x.log.gz.bz2");
  EXPECT_EQ(w.leaves.names, Names{"x.log.gz.bz2!/x.log"});
  EXPECT_EQ(w.leaves.data["x.log.gz.bz2!/x.log"], "two layers");
}

TEST(InputArchive, TarGzMembersInOrderWithExactBytes) {
  std::string big = noisy_text(600 * 1024, 1);
  std::string bytes = build(
      Format::kTar, {Filter::kGzip},
      {{"logs", "", true}, {"logs/one.txt", "one\r\n"}, {"./two.txt", big}, {"empty.txt", ""}});
  Walked w = walk_bytes(bytes, "bundle.tgz");
  EXPECT_EQ(w.leaves.names,
            (Names{"bundle.tgz!/logs/one.txt", "bundle.tgz!/two.txt", "bundle.tgz!/empty.txt"}));
  EXPECT_EQ(w.leaves.data["bundle.tgz!/logs/one.txt"], "one\r\n");
  EXPECT_EQ(w.leaves.data["bundle.tgz!/two.txt"], big);
  EXPECT_EQ(w.leaves.data["bundle.tgz!/empty.txt"], "");
  EXPECT_TRUE(w.problems.all.empty()) << describe(w.problems.all);
}

TEST(InputArchive, OneByteReadsGiveTheSameResult) {
  std::string bytes =
      build(Format::kTar, {Filter::kGzip}, {{"a.txt", "alpha\n"}, {"b.txt", noisy_text(5000, 2)}});
  Walked w = walk_bytes(bytes, "t.tar.gz", {}, 1);
  EXPECT_EQ(w.leaves.names, (Names{"t.tar.gz!/a.txt", "t.tar.gz!/b.txt"}));
  EXPECT_EQ(w.leaves.data["t.tar.gz!/b.txt"], noisy_text(5000, 2));
  EXPECT_TRUE(w.problems.all.empty()) << describe(w.problems.all);
}

TEST(InputArchive, ZipMembers) {
  std::string bytes = build(Format::kZip, {}, {{"a/b.log", "zip b\n"}, {"c.log", "zip c"}});
  Walked w = walk_bytes(bytes, "s.zip");
  EXPECT_EQ(w.leaves.names, (Names{"s.zip!/a/b.log", "s.zip!/c.log"}));
  EXPECT_EQ(w.leaves.data["s.zip!/a/b.log"], "zip b\n");
  EXPECT_EQ(w.leaves.data["s.zip!/c.log"], "zip c");
  EXPECT_TRUE(w.problems.all.empty()) << describe(w.problems.all);
}

TEST(InputArchive, OtherCompressions) {
  for (Filter f : {Filter::kBzip2, Filter::kXz, Filter::kZstd}) {
    std::string bytes = build(Format::kTar, {f}, {{"m.txt", "member"}});
    Walked w = walk_bytes(bytes, "t.tar.any");
    EXPECT_EQ(w.leaves.names, Names{"t.tar.any!/m.txt"}) << static_cast<int>(f);
    EXPECT_EQ(w.leaves.data["t.tar.any!/m.txt"], "member");
    EXPECT_TRUE(w.problems.all.empty()) << describe(w.problems.all);
  }
}

TEST(InputArchive, GzInsideTarGzIsExpanded) {
  std::string inner = gz("inner line\n");
  std::string bytes =
      build(Format::kTar, {Filter::kGzip}, {{"logs/inner.log.gz", inner}, {"plain.log", "p\n"}});
  Walked w = walk_bytes(bytes, "outer.tar.gz");
  EXPECT_EQ(w.leaves.names,
            (Names{"outer.tar.gz!/logs/inner.log.gz!/inner.log", "outer.tar.gz!/plain.log"}));
  EXPECT_EQ(w.leaves.data["outer.tar.gz!/logs/inner.log.gz!/inner.log"], "inner line\n");
  EXPECT_EQ(w.leaves.data["outer.tar.gz!/plain.log"], "p\n");
  EXPECT_TRUE(w.problems.all.empty()) << describe(w.problems.all);
}

TEST(InputArchive, ZipInsideTar) {
  std::string zip = build(Format::kZip, {}, {{"z.txt", "in zip"}});
  std::string bytes = build(Format::kTar, {}, {{"in.zip", zip}});
  Walked w = walk_bytes(bytes, "t.tar");
  EXPECT_EQ(w.leaves.names, Names{"t.tar!/in.zip!/z.txt"});
  EXPECT_EQ(w.leaves.data["t.tar!/in.zip!/z.txt"], "in zip");
}

// a5.tar!/a4.zip!/a3.tar.gz!/a2.tar!/a1.zip!/leaf.txt: five archives deep.
std::string five_levels() {
  std::string a1 = build(Format::kZip, {}, {{"leaf.txt", "deep"}});
  std::string a2 = build(Format::kTar, {}, {{"a1.zip", a1}});
  std::string a3 = build(Format::kTar, {Filter::kGzip}, {{"a2.tar", a2}});
  std::string a4 = build(Format::kZip, {}, {{"a3.tar.gz", a3}});
  return build(Format::kTar, {}, {{"a4.zip", a4}});
}

TEST(InputArchive, FiveLevelsWithinTheNestingLimit) {
  Walked w = walk_bytes(five_levels(), "a5.tar");
  const std::string leaf = "a5.tar!/a4.zip!/a3.tar.gz!/a2.tar!/a1.zip!/leaf.txt";
  EXPECT_EQ(w.leaves.names, Names{leaf});
  EXPECT_EQ(w.leaves.data[leaf], "deep");
  EXPECT_TRUE(w.problems.all.empty()) << describe(w.problems.all);
}

TEST(InputArchive, NestingBeyondTheLimitIsReportedNotExpanded) {
  WalkOptions options;
  options.max_nesting = 3;
  Walked w = walk_bytes(five_levels(), "a5.tar", options);
  EXPECT_TRUE(w.leaves.names.empty());
  ASSERT_EQ(w.problems.all.size(), 1u) << describe(w.problems.all);
  const Problem& p = w.problems.all[0];
  EXPECT_EQ(p.severity, Problem::Severity::Warning);
  EXPECT_EQ(p.file, "a5.tar!/a4.zip!/a3.tar.gz!/a2.tar");
  EXPECT_NE(p.message.find("nested deeper than 3 levels"), std::string::npos) << p.message;
}

TEST(InputArchive, MemberNamesAreOnlyDisplayedAndSanitised) {
  std::string bytes =
      build(Format::kTar, {}, {{"../../etc/passwd", "root:x:0:0\n"}, {"esc\x1b[31m.log", "red"}});
  Walked w = walk_bytes(bytes, "evil.tar");
  EXPECT_EQ(w.leaves.names, (Names{"evil.tar!/../../etc/passwd", "evil.tar!/esc?[31m.log"}));
  EXPECT_EQ(w.leaves.data["evil.tar!/../../etc/passwd"], "root:x:0:0\n");
  EXPECT_EQ(w.leaves.data["evil.tar!/esc?[31m.log"], "red");
}

TEST(InputArchive, TruncatedTarGzKeepsWhatWasReadAndNamesTheMember) {
  std::string b = noisy_text(400 * 1024, 3);
  std::string bytes = build(Format::kTar, {Filter::kGzip}, {{"a.txt", "complete\n"}, {"b.txt", b}});
  bytes.resize(bytes.size() / 2);
  Walked w = walk_bytes(bytes, "cut.tar.gz");
  EXPECT_EQ(w.leaves.names, (Names{"cut.tar.gz!/a.txt", "cut.tar.gz!/b.txt"}));
  EXPECT_EQ(w.leaves.data["cut.tar.gz!/a.txt"], "complete\n");
  const std::string& got = w.leaves.data["cut.tar.gz!/b.txt"];
  EXPECT_GT(got.size(), 0u);
  EXPECT_LT(got.size(), b.size());
  EXPECT_EQ(got, b.substr(0, got.size()));
  ASSERT_EQ(w.problems.all.size(), 1u) << describe(w.problems.all);
  EXPECT_EQ(w.problems.all[0].severity, Problem::Severity::Error);
  EXPECT_EQ(w.problems.all[0].file, "cut.tar.gz!/b.txt");
  EXPECT_NE(w.problems.all[0].message.find("truncated"), std::string::npos)
      << w.problems.all[0].message;
}

TEST(InputArchive, TruncationInsideANestedMemberIsReportedOnceOnTheOuterMember) {
  std::string inner = gz(noisy_text(300 * 1024, 6));
  std::string bytes = build(Format::kTar, {}, {{"first.log", "one\n"}, {"inner.log.gz", inner}});
  bytes.resize(bytes.size() - inner.size() / 2 - 1024);
  Walked w = walk_bytes(gz(bytes), "n.tar.gz");
  EXPECT_EQ(w.leaves.data["n.tar.gz!/first.log"], "one\n");
  EXPECT_EQ(w.leaves.names.size(), 2u);
  ASSERT_EQ(w.problems.all.size(), 1u) << describe(w.problems.all);
  EXPECT_EQ(w.problems.all[0].severity, Problem::Severity::Error);
  EXPECT_EQ(w.problems.all[0].file, "n.tar.gz!/inner.log.gz");
}

TEST(InputArchive, ArchiveWithoutFilesIsANote) {
  std::string bytes = build(Format::kTar, {Filter::kGzip}, {{"only-a-dir", "", true}});
  Walked w = walk_bytes(bytes, "dirs.tgz");
  EXPECT_TRUE(w.leaves.names.empty());
  ASSERT_EQ(w.problems.all.size(), 1u) << describe(w.problems.all);
  EXPECT_EQ(w.problems.all[0].severity, Problem::Severity::Note);
  EXPECT_EQ(w.problems.all[0].file, "dirs.tgz");
}

TEST(InputArchive, NonAsciiMemberNames) {
  std::string bytes = build(Format::kZip, {}, {{"caf\xc3\xa9.log", "e"}});
  Walked w = walk_bytes(bytes, "u.zip");
  ASSERT_EQ(w.leaves.names.size(), 1u) << describe(w.problems.all);
  EXPECT_EQ(w.leaves.data[w.leaves.names[0]], "e");
  EXPECT_EQ(w.leaves.names[0].rfind("u.zip!/caf", 0), 0u) << w.leaves.names[0];
}

TEST(InputArchive, WalksOnSeveralThreadsAtOnce) {
  std::string bytes = build(Format::kTar, {Filter::kGzip},
                            {{"a.txt", noisy_text(200 * 1024, 7)}, {"b.gz", gz("b\n")}});
  std::vector<Walked> results(4);
  std::vector<std::thread> threads;
  for (Walked& r : results) {
    threads.emplace_back([&bytes, &r] {
      MemorySource source(bytes);
      walk_stream(source, "t.tgz", {}, r.leaves, r.problems);
    });
  }
  for (std::thread& t : threads) t.join();
  for (Walked& r : results) {
    EXPECT_EQ(r.leaves.names, (Names{"t.tgz!/a.txt", "t.tgz!/b.gz!/b"}));
    EXPECT_EQ(r.leaves.data["t.tgz!/a.txt"], noisy_text(200 * 1024, 7));
    EXPECT_TRUE(r.problems.all.empty());
  }
}

TEST(InputArchive, CorruptGzipIsAnError) {
  std::string bytes = gz(noisy_text(100 * 1024, 4));
  for (size_t i = 20; i < bytes.size() - 20; i += 97) bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
  Walked w = walk_bytes(bytes, "bad.log.gz");
  ASSERT_FALSE(w.problems.all.empty());
  EXPECT_EQ(w.problems.all[0].severity, Problem::Severity::Error);
  EXPECT_EQ(w.problems.all[0].file.rfind("bad.log.gz", 0), 0u) << describe(w.problems.all);
}

// 100,000 empty members cost no bytes but time and memory: they count, and are capped.
TEST(InputArchive, ManyEmptyMembersAreBounded) {
  std::vector<Member> members;
  for (int i = 0; i < 3000; ++i) members.push_back({"empty" + std::to_string(i) + ".log", ""});
  const std::string bytes = build(Format::kTar, {Filter::kGzip}, members);
  WalkOptions options;
  options.max_archive_members = 1000;
  Walked w = walk_bytes(bytes, "many.tar.gz", options);
  EXPECT_EQ(w.leaves.names.size(), 1000u);
  ASSERT_FALSE(w.problems.all.empty());
  EXPECT_EQ(w.problems.all.back().severity, Problem::Severity::Error);
  EXPECT_EQ(w.problems.all.back().message,
            "more than 1000 archive members (--max-archive-members): the rest is not read");
  // Headers alone reach the byte limit: 3000 x 512 bytes > 1 MiB.
  WalkOptions bytes_only;
  bytes_only.max_expanded_bytes = 1 << 20;
  Walked b = walk_bytes(bytes, "many.tar.gz", bytes_only);
  EXPECT_EQ(b.leaves.names.size(), (size_t{1} << 20) / WalkOptions::kMemberHeaderBytes);
  ASSERT_FALSE(b.problems.all.empty());
  EXPECT_NE(b.problems.all.back().message.find("member headers included"), std::string::npos);
}

TEST(InputArchive, ExpansionLimitStopsABomb) {
  WalkOptions options;
  options.max_expanded_bytes = 1 << 20;
  Walked w = walk_bytes(gz(std::string(8 << 20, 'a')), "bomb.gz", options);
  EXPECT_EQ(w.leaves.names, Names{"bomb.gz!/bomb"});
  // The member's header counts too (kMemberHeaderBytes).
  EXPECT_EQ(w.leaves.data["bomb.gz!/bomb"].size(),
            (size_t{1} << 20) - WalkOptions::kMemberHeaderBytes);
  ASSERT_EQ(w.problems.all.size(), 1u) << describe(w.problems.all);
  EXPECT_EQ(w.problems.all[0].severity, Problem::Severity::Error);
  EXPECT_EQ(w.problems.all[0].file, "bomb.gz!/bomb");
  EXPECT_EQ(w.problems.all[0].message,
            "decompressed size limit of 1048576 bytes exceeded in bomb.gz!/bomb");
}

TEST(InputArchive, ExpansionLimitCountsMembersTheHandlerSkips) {
  struct Skipper : LeafHandler {
    int calls = 0;
    void on_leaf(const std::string&, ByteSource&) override { ++calls; }
  } skipper;
  Problems problems;
  WalkOptions options;
  options.max_expanded_bytes = 1 << 20;
  std::string bytes = build(Format::kTar, {Filter::kGzip},
                            {{"big", std::string(4 << 20, 'z')}, {"after", "never reached"}});
  MemorySource source(bytes);
  walk_stream(source, "b.tgz", options, skipper, problems);
  EXPECT_EQ(skipper.calls, 1);
  ASSERT_EQ(problems.all.size(), 1u) << describe(problems.all);
  EXPECT_EQ(problems.all[0].file, "b.tgz!/big");
}

TEST(InputArchive, MagicBytesByChanceStillMakeALeaf) {
  std::string text(600, 'x');
  text.replace(257, 5, "ustar");  // a tar signature, but no valid tar header
  Walked w = walk_bytes(text, "odd.txt");
  EXPECT_EQ(w.leaves.names, Names{"odd.txt"});
  EXPECT_EQ(w.leaves.data["odd.txt"], text);
  EXPECT_TRUE(w.problems.all.empty()) << describe(w.problems.all);
}

TEST(InputArchive, ReadErrorOfTheSourceIsReportedOnce) {
  struct Failing : ByteSource {
    int calls = 0;
    std::string err = "read error: Input/output error";
    ssize_t read(char* buf, size_t) override {
      if (calls++ < 3) {
        buf[0] = 'a';
        return 1;
      }
      return -1;
    }
    const std::string& error() const override { return err; }
  } failing;
  Leaves leaves;
  Problems problems;
  walk_stream(failing, "f.log", {}, leaves, problems);
  EXPECT_EQ(leaves.data["f.log"], "aaa");
  ASSERT_EQ(problems.all.size(), 1u) << describe(problems.all);
  EXPECT_EQ(problems.all[0].severity, Problem::Severity::Error);
  EXPECT_EQ(problems.all[0].file, "f.log");
  EXPECT_EQ(problems.all[0].message, "read error: Input/output error");
}

// ---- walk_inputs: files, directories and stdin ----

class InputWalkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/fedtriage-input-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(dir_, ec);
  }
  std::string path(const std::string& rel) const { return (fs::path(dir_) / rel).string(); }
  std::string write(const std::string& rel, const std::string& bytes) {
    std::string p = path(rel);
    fs::create_directories(fs::path(p).parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  Walked walk(const std::vector<std::string>& paths, WalkOptions options = {}) {
    Walked w;
    walk_inputs(paths, options, w.leaves, w.problems);
    return w;
  }
  std::string dir_;
};

TEST_F(InputWalkerTest, DirectoriesRecursivelyInSortedOrder) {
  write("d/b.log", "b");
  write("d/a.log", "a");
  write("d/sub/c.log", "c");
  write("d/sub/z.tar.gz", build(Format::kTar, {Filter::kGzip}, {{"m.txt", "m"}}));
  Walked w = walk({path("d")});
  const std::string d = path("d");
  EXPECT_EQ(w.leaves.names,
            (Names{d + "/a.log", d + "/b.log", d + "/sub/c.log", d + "/sub/z.tar.gz!/m.txt"}));
  EXPECT_EQ(w.leaves.data[d + "/sub/z.tar.gz!/m.txt"], "m");
  EXPECT_TRUE(w.problems.all.empty()) << describe(w.problems.all);
}

TEST_F(InputWalkerTest, MissingInputIsAnErrorAndOthersAreRead) {
  std::string good = write("good.log", "fine");
  Walked w = walk({path("missing.log"), good});
  EXPECT_EQ(w.leaves.names, Names{good});
  ASSERT_EQ(w.problems.all.size(), 1u) << describe(w.problems.all);
  EXPECT_EQ(w.problems.all[0].severity, Problem::Severity::Error);
  EXPECT_EQ(w.problems.all[0].file, path("missing.log"));
  EXPECT_NE(w.problems.all[0].message.find("No such file"), std::string::npos);
}

TEST_F(InputWalkerTest, SymlinkLoopIsSkipped) {
  write("d/a/f.log", "once");
  fs::create_directory_symlink("..", path("d/a/up"));
  fs::create_symlink("nowhere", path("d/dangling"));
  Walked w = walk({path("d")});
  EXPECT_EQ(w.leaves.names, Names{path("d/a/f.log")});
  ASSERT_EQ(w.problems.all.size(), 2u) << describe(w.problems.all);
  EXPECT_EQ(w.problems.all[0].file, path("d/a/up"));
  EXPECT_EQ(w.problems.all[0].severity, Problem::Severity::Note);
  EXPECT_NE(w.problems.all[0].message.find("already visited"), std::string::npos);
  EXPECT_EQ(w.problems.all[1].file, path("d/dangling"));
  EXPECT_NE(w.problems.all[1].message.find("broken symbolic link"), std::string::npos);
}

TEST_F(InputWalkerTest, SameFileTwiceIsReadOnce) {
  std::string f = write("d/app.log", "x");
  fs::create_symlink("app.log", path("d/latest.log"));
  Walked w = walk({path("d")});
  EXPECT_EQ(w.leaves.names, Names{f});
  ASSERT_EQ(w.problems.all.size(), 1u) << describe(w.problems.all);
  EXPECT_EQ(w.problems.all[0].severity, Problem::Severity::Note);
}

TEST_F(InputWalkerTest, UnreadableFileIsAnErrorAndOthersAreRead) {
  std::string locked = write("locked.log", "secret");
  std::string good = write("good.log", "fine");
  ASSERT_EQ(chmod(locked.c_str(), 0), 0);
  if (access(locked.c_str(), R_OK) == 0) {
    GTEST_SKIP() << "running with privileges that ignore file modes (root): cannot deny reading";
  }
  Walked w = walk({locked, good});
  EXPECT_EQ(w.leaves.names, Names{good});
  ASSERT_EQ(w.problems.all.size(), 1u) << describe(w.problems.all);
  EXPECT_EQ(w.problems.all[0].severity, Problem::Severity::Error);
  EXPECT_EQ(w.problems.all[0].file, locked);
  EXPECT_NE(w.problems.all[0].message.find("Permission denied"), std::string::npos);
}

// Works as root too: /proc/self/mem opens, but reading its first page fails with EIO.
TEST_F(InputWalkerTest, ReadFailureIsAnErrorAndOthersAreRead) {
  std::string good = write("good.log", "fine");
  Walked w = walk({"/proc/self/mem", good});
  EXPECT_EQ(w.leaves.data[good], "fine");
  ASSERT_EQ(w.problems.all.size(), 1u) << describe(w.problems.all);
  EXPECT_EQ(w.problems.all[0].severity, Problem::Severity::Error);
  EXPECT_EQ(w.problems.all[0].file, "/proc/self/mem");
  EXPECT_EQ(w.problems.all[0].message, "read error: Input/output error");
}

TEST_F(InputWalkerTest, BadArchivesStopOnlyThemselves) {
  std::string bad = gz(noisy_text(50 * 1024, 5));
  for (size_t i = 30; i < bad.size() - 20; i += 51) bad[i] = static_cast<char>(bad[i] ^ 0x33);
  std::string bad_path = write("1-bad.gz", bad);
  std::string bomb = write("2-bomb.gz", gz(std::string(4 << 20, 'a')));
  std::string good = write("3-good.log.gz", gz("good\n"));
  WalkOptions options;
  options.max_expanded_bytes = 1 << 20;
  Walked w = walk({path("")}, options);
  EXPECT_EQ(w.leaves.data[good + "!/3-good.log"], "good\n") << describe(w.problems.all);
  ASSERT_EQ(w.problems.all.size(), 2u) << describe(w.problems.all);
  EXPECT_EQ(w.problems.all[0].file.rfind(bad_path, 0), 0u);
  EXPECT_EQ(w.problems.all[1].file, bomb + "!/2-bomb");
  EXPECT_NE(w.problems.all[1].message.find("decompressed size limit"), std::string::npos);
}

TEST_F(InputWalkerTest, DashReadsStdin) {
  std::string f = write("in.gz", gz("from stdin\n"));
  int saved = dup(STDIN_FILENO);
  int fd = open(f.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  dup2(fd, STDIN_FILENO);
  close(fd);
  Walked w = walk({"-"});
  dup2(saved, STDIN_FILENO);
  close(saved);
  EXPECT_EQ(w.leaves.names, Names{"<stdin>!/data"});
  EXPECT_EQ(w.leaves.data["<stdin>!/data"], "from stdin\n");
}

}  // namespace
}  // namespace fedtriage
