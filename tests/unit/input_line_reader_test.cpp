#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lib/input/line_reader.h"
#include "lib/input/memory_source.h"

namespace fedtriage {
namespace {

struct Line {
  std::string text;
  uint64_t number;
  bool truncated;
  bool operator==(const Line&) const = default;
};

void PrintTo(const Line& l, std::ostream* os) {
  *os << l.number << ":\"" << l.text << "\"" << (l.truncated ? " (truncated)" : "");
}

std::vector<Line> read_all(LineReader& reader) {
  std::vector<Line> out;
  std::string_view line;
  while (reader.next(line)) {
    out.push_back({std::string(line), reader.line_number(), reader.line_truncated()});
  }
  return out;
}

// Every input is also read one byte at a time: chunk boundaries must not matter.
std::vector<Line> lines_of(const std::string& bytes,
                           size_t max_line = LineReader::kDefaultMaxLineBytes) {
  MemorySource whole(bytes);
  LineReader a(whole, max_line);
  std::vector<Line> lines = read_all(a);
  MemorySource bytewise(bytes, 1);
  LineReader b(bytewise, max_line);
  EXPECT_EQ(read_all(b), lines) << "differs when read one byte at a time";
  EXPECT_TRUE(a.error().empty());
  return lines;
}

using Lines = std::vector<Line>;

TEST(LineReader, LfCrlfAndMixedEndings) {
  EXPECT_EQ(lines_of("a\nbb\n"), (Lines{{"a", 1, false}, {"bb", 2, false}}));
  EXPECT_EQ(lines_of("a\r\nbb\r\n"), (Lines{{"a", 1, false}, {"bb", 2, false}}));
  EXPECT_EQ(lines_of("a\r\nb\n\r\nc\n"),
            (Lines{{"a", 1, false}, {"b", 2, false}, {"", 3, false}, {"c", 4, false}}));
}

TEST(LineReader, LoneCrIsNotALineBreak) {
  EXPECT_EQ(lines_of("a\rb\n"), (Lines{{"a\rb", 1, false}}));
}

TEST(LineReader, FinalLineWithoutNewline) {
  EXPECT_EQ(lines_of("one\ntwo"), (Lines{{"one", 1, false}, {"two", 2, false}}));
  EXPECT_EQ(lines_of("one\r\ntwo\r"), (Lines{{"one", 1, false}, {"two", 2, false}}));
}

TEST(LineReader, EmptyInputAndEmptyLines) {
  EXPECT_EQ(lines_of(""), Lines{});
  EXPECT_EQ(lines_of("\n\n"), (Lines{{"", 1, false}, {"", 2, false}}));
}

TEST(LineReader, Utf8BomIsStripped) {
  EXPECT_EQ(lines_of("\xef\xbb\xbfhead\nx"), (Lines{{"head", 1, false}, {"x", 2, false}}));
  EXPECT_EQ(lines_of("\xef\xbb\xbf"), Lines{});
}

TEST(LineReader, NulBytesAndInvalidUtf8PassThrough) {
  std::string in("a\0b\xff\xfe\xc3\n", 7);
  EXPECT_EQ(lines_of(in), (Lines{{std::string("a\0b\xff\xfe\xc3", 6), 1, false}}));
}

std::string utf16(std::u16string_view s, bool little_endian) {
  std::string out = little_endian ? "\xff\xfe" : "\xfe\xff";
  for (char16_t c : s) {
    char lo = static_cast<char>(c & 0xff), hi = static_cast<char>(c >> 8);
    out += little_endian ? lo : hi;
    out += little_endian ? hi : lo;
  }
  return out;
}

TEST(LineReader, Utf16LittleEndianIsTranscoded) {
  // "é" (2 bytes in UTF-8), "€" (3 bytes), U+1F600 (a surrogate pair, 4 bytes).
  std::string in = utf16(u"caf\u00e9 \u20ac\r\n\U0001F600 ok\r\nlast", true);
  MemorySource src(in);
  LineReader r(src);
  EXPECT_EQ(r.head(5), "caf\xc3\xa9");
  EXPECT_EQ(r.encoding(), LineReader::Encoding::kUtf16Le);
  EXPECT_EQ(read_all(r), (Lines{{"caf\xc3\xa9 \xe2\x82\xac", 1, false},
                                {"\xf0\x9f\x98\x80 ok", 2, false},
                                {"last", 3, false}}));
  EXPECT_EQ(lines_of(in).size(), 3u);
}

TEST(LineReader, Utf16BigEndianAndBrokenUnits) {
  std::string in = utf16(u"x\n", false);
  EXPECT_EQ(lines_of(in), (Lines{{"x", 1, false}}));
  // A lone low surrogate, a high surrogate without its pair, and a dangling odd byte.
  std::string bad = utf16(
                        u"\xdc00"
                        u"a\xd800"
                        u"b\n",
                        true) +
                    "z";
  EXPECT_EQ(lines_of(bad), (Lines{{"\xef\xbf\xbd"
                                   "a\xef\xbf\xbd"
                                   "b",
                                   1, false},
                                  {"\xef\xbf\xbd", 2, false}}));
}

TEST(LineReader, LongLineIsCutAndTheRestSkipped) {
  const size_t limit = 1 << 20;
  std::string in = "first\n" + std::string(3 << 20, 'L') + "\r\nafter\n";
  MemorySource src(in);
  LineReader r(src, limit);
  std::string_view line;
  ASSERT_TRUE(r.next(line));
  EXPECT_EQ(line, "first");
  ASSERT_TRUE(r.next(line));
  EXPECT_EQ(line.size(), limit);
  EXPECT_EQ(line, std::string(limit, 'L'));
  EXPECT_TRUE(r.line_truncated());
  EXPECT_EQ(r.line_number(), 2u);
  ASSERT_TRUE(r.next(line));
  EXPECT_EQ(line, "after");
  EXPECT_FALSE(r.line_truncated());
  EXPECT_EQ(r.line_number(), 3u);
  EXPECT_FALSE(r.next(line));
}

TEST(LineReader, LineLengthsAroundTheLimit) {
  EXPECT_EQ(lines_of("abcd\r\nx", 4), (Lines{{"abcd", 1, false}, {"x", 2, false}}));
  EXPECT_EQ(lines_of("abcde\nx", 4), (Lines{{"abcd", 1, true}, {"x", 2, false}}));
  EXPECT_EQ(lines_of("abcdefghij\nx", 4), (Lines{{"abcd", 1, true}, {"x", 2, false}}));
  EXPECT_EQ(lines_of("abcdefghij", 4), (Lines{{"abcd", 1, true}}));
  EXPECT_EQ(lines_of("abcde", 4), (Lines{{"abcd", 1, true}}));
}

TEST(LineReader, HeadDoesNotConsume) {
  MemorySource src("\xef\xbb\xbfhello\nworld\n", 1);
  LineReader r(src);
  EXPECT_EQ(r.head(3), "hel");
  EXPECT_EQ(r.head(100), "hello\nworld\n");
  EXPECT_EQ(read_all(r), (Lines{{"hello", 1, false}, {"world", 2, false}}));
  MemorySource empty("");
  LineReader e(empty);
  EXPECT_EQ(e.head(10), "");
}

TEST(LineReader, ReadErrorStopsWithTheMessage) {
  struct Failing : ByteSource {
    int calls = 0;
    std::string err = "read error: boom";
    ssize_t read(char* buf, size_t n) override {
      if (calls++ > 0) return -1;
      std::string s = "ok\npartial";
      size_t k = std::min(n, s.size());
      s.copy(buf, k);
      return static_cast<ssize_t>(k);
    }
    const std::string& error() const override { return err; }
  } failing;
  LineReader r(failing);
  std::string_view line;
  ASSERT_TRUE(r.next(line));
  EXPECT_EQ(line, "ok");
  EXPECT_FALSE(r.next(line));
  EXPECT_EQ(r.error(), "read error: boom");
  EXPECT_FALSE(r.next(line));
}

TEST(LineReader, ManyShortLinesAcrossBufferRefills) {
  std::string in;
  for (int i = 0; i < 100000; ++i) in += "line " + std::to_string(i) + (i % 2 ? "\r\n" : "\n");
  MemorySource src(in, 4093);
  LineReader r(src);
  std::string_view line;
  int n = 0;
  while (r.next(line)) {
    ASSERT_EQ(line, "line " + std::to_string(n));
    ++n;
  }
  EXPECT_EQ(n, 100000);
}

}  // namespace
}  // namespace fedtriage
