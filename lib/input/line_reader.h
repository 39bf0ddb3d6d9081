// Splits a ByteSource into lines without holding more than one (bounded) line in memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "lib/input/byte_source.h"

namespace fedtriage {

class LineReader {
 public:
  static constexpr size_t kDefaultMaxLineBytes = size_t{1} << 20;
  enum class Encoding { kUtf8, kUtf16Le, kUtf16Be };  // by byte order mark; UTF-8 otherwise

  // detect_bom false: the source is UTF-8 and its first bytes are text (a piece of a file read
  // further on: lib/ingest/split_parse.h).
  explicit LineReader(ByteSource& source, size_t max_line_bytes = kDefaultMaxLineBytes,
                      bool detect_bom = true);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line without its "\n" or "\r\n", as UTF-8 (bytes that are not valid UTF-8 pass
  // through unchanged). The view is valid until the next call to next() or head(). A line
  // longer than max_line_bytes is cut there (line_truncated()) and the rest of it skipped. A
  // last line without "\n" is delivered. Returns false at the end or on a read error (error();
  // a partial line before the error is dropped).
  bool next(std::string_view& line);
  uint64_t line_number() const { return line_number_; }  // of the line last returned, from 1
  bool line_truncated() const { return truncated_; }
  const std::string& error() const { return error_; }
  Encoding encoding() const { return encoding_; }

  // The first up to n bytes still to be read (decoded, byte order mark removed), without
  // consuming them: for sniffing a format before the first next().
  std::string_view head(size_t n);

  // UTF-8 input, before the first next(): the rest of the input as it is, the bytes head()
  // looked at first (byte order mark removed). Like ByteSource::read: 0 at the end, -1 on a
  // read error (error()).
  ssize_t read_rest(char* buf, size_t n);

 private:
  bool fill();  // appends decoded bytes to buf_; false at the end or on error
  void detect_encoding();
  size_t decode_utf16(const unsigned char* in, size_t n, char* out);
  void reserve_tail(size_t n);

  ByteSource& source_;
  size_t max_line_bytes_;
  std::unique_ptr<char[]> buf_;
  size_t capacity_ = 0;
  size_t begin_ = 0;  // start of the unread data
  size_t scan_ = 0;   // [begin_, scan_) is known to hold no '\n'
  size_t end_ = 0;
  std::unique_ptr<char[]> raw_;  // undecoded UTF-16 input
  size_t raw_len_ = 0;           // bytes carried over in raw_ (odd byte)
  uint32_t pending_high_ = 0;    // a high surrogate waiting for its pair
  bool detect_bom_ = true;
  bool started_ = false;
  bool eof_ = false;
  bool skipping_ = false;  // discarding the rest of a truncated line
  bool truncated_ = false;
  uint64_t line_number_ = 0;
  Encoding encoding_ = Encoding::kUtf8;
  std::string error_;
};

}  // namespace fedtriage
