#include "lib/input/line_reader.h"

#include <algorithm>
#include <cstring>

namespace fedtriage {
namespace {

constexpr size_t kReadSize = 256 * 1024;
constexpr size_t kRawSize = 64 * 1024;  // UTF-16 input per read; decodes to at most 1.5x

size_t put_utf8(uint32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xc0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3f));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xe0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out[2] = static_cast<char>(0x80 | (cp & 0x3f));
    return 3;
  }
  out[0] = static_cast<char>(0xf0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
  out[3] = static_cast<char>(0x80 | (cp & 0x3f));
  return 4;
}

constexpr uint32_t kReplacement = 0xfffd;

}  // namespace

LineReader::LineReader(ByteSource& source, size_t max_line_bytes, bool detect_bom)
    : source_(source),
      max_line_bytes_(std::max<size_t>(max_line_bytes, 1)),
      detect_bom_(detect_bom) {}

LineReader::~LineReader() = default;

void LineReader::reserve_tail(size_t n) {
  if (begin_ > 0) {  // callers are past the last view handed out: safe to shift
    std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    scan_ -= begin_;
    begin_ = 0;
  }
  if (capacity_ - end_ >= n) return;
  size_t capacity = std::max(capacity_ * 2, end_ + n);
  auto grown = std::make_unique_for_overwrite<char[]>(capacity);
  if (end_ > 0) std::memcpy(grown.get(), buf_.get(), end_);
  buf_ = std::move(grown);
  capacity_ = capacity;
}

void LineReader::detect_encoding() {
  unsigned char lead[3];
  size_t got = 0;
  while (got < sizeof lead) {
    ssize_t r = source_.read(reinterpret_cast<char*>(lead) + got, sizeof lead - got);
    if (r < 0) {
      error_ = source_.error().empty() ? "read error" : source_.error();
      return;
    }
    if (r == 0) {
      eof_ = true;
      break;
    }
    got += static_cast<size_t>(r);
  }
  size_t skip = 0;
  if (!detect_bom_) {
    // Text as it is.
  } else if (got >= 3 && lead[0] == 0xef && lead[1] == 0xbb && lead[2] == 0xbf) {
    skip = 3;
  } else if (got >= 2 && lead[0] == 0xff && lead[1] == 0xfe) {
    encoding_ = Encoding::kUtf16Le;
    skip = 2;
  } else if (got >= 2 && lead[0] == 0xfe && lead[1] == 0xff) {
    encoding_ = Encoding::kUtf16Be;
    skip = 2;
  }
  if (encoding_ == Encoding::kUtf8) {
    if (got > skip) {
      reserve_tail(got - skip);
      std::memcpy(buf_.get() + end_, lead + skip, got - skip);
      end_ += got - skip;
    }
    return;
  }
  raw_ = std::make_unique_for_overwrite<char[]>(kRawSize);
  std::memcpy(raw_.get(), lead + skip, got - skip);
  raw_len_ = got - skip;
  if (eof_ && raw_len_ > 0) {  // a lone byte after the byte order mark
    reserve_tail(3);
    end_ += put_utf8(kReplacement, buf_.get() + end_);
    raw_len_ = 0;
  }
}

size_t LineReader::decode_utf16(const unsigned char* in, size_t n, char* out) {
  size_t w = 0;
  const bool le = encoding_ == Encoding::kUtf16Le;
  for (size_t i = 0; i + 1 < n; i += 2) {
    uint32_t u = le ? (in[i] | (in[i + 1] << 8)) : ((in[i] << 8) | in[i + 1]);
    if (pending_high_ != 0) {
      if (u >= 0xdc00 && u <= 0xdfff) {
        w += put_utf8(0x10000 + ((pending_high_ - 0xd800) << 10) + (u - 0xdc00), out + w);
        pending_high_ = 0;
        continue;
      }
      w += put_utf8(kReplacement, out + w);
      pending_high_ = 0;
    }
    if (u >= 0xd800 && u <= 0xdbff) {
      pending_high_ = u;
    } else if (u >= 0xdc00 && u <= 0xdfff) {
      w += put_utf8(kReplacement, out + w);
    } else {
      w += put_utf8(u, out + w);
    }
  }
  return w;
}

bool LineReader::fill() {
  if (!started_) {
    started_ = true;
    detect_encoding();
    return error_.empty() && !eof_;
  }
  if (eof_ || !error_.empty()) return false;
  if (encoding_ == Encoding::kUtf8) {
    reserve_tail(kReadSize);
    ssize_t r = source_.read(buf_.get() + end_, kReadSize);
    if (r < 0) {
      error_ = source_.error().empty() ? "read error" : source_.error();
      return false;
    }
    if (r == 0) {
      eof_ = true;
      return false;
    }
    end_ += static_cast<size_t>(r);
    return true;
  }
  ssize_t r = source_.read(raw_.get() + raw_len_, kRawSize - raw_len_);
  if (r < 0) {
    error_ = source_.error().empty() ? "read error" : source_.error();
    return false;
  }
  if (r == 0) {
    eof_ = true;
    if (raw_len_ > 0 || pending_high_ != 0) {  // an odd byte or half a surrogate pair
      reserve_tail(3);
      end_ += put_utf8(kReplacement, buf_.get() + end_);
      raw_len_ = 0;
      pending_high_ = 0;
    }
    return false;
  }
  size_t total = raw_len_ + static_cast<size_t>(r);
  reserve_tail(total / 2 * 3 + 4);
  end_ +=
      decode_utf16(reinterpret_cast<const unsigned char*>(raw_.get()), total, buf_.get() + end_);
  raw_len_ = total % 2;
  if (raw_len_ != 0) raw_[0] = raw_[total - 1];
  return true;
}

bool LineReader::next(std::string_view& line) {
  truncated_ = false;
  for (;;) {
    if (scan_ < end_) {
      auto* nl = static_cast<const char*>(std::memchr(buf_.get() + scan_, '\n', end_ - scan_));
      if (nl != nullptr) {
        size_t p = static_cast<size_t>(nl - buf_.get());
        if (skipping_) {  // the end of a truncated line: its rest is dropped
          skipping_ = false;
          begin_ = scan_ = p + 1;
          continue;
        }
        size_t len = p - begin_;
        if (len > 0 && buf_[p - 1] == '\r') --len;
        truncated_ = len > max_line_bytes_;
        line = std::string_view(buf_.get() + begin_, std::min(len, max_line_bytes_));
        begin_ = scan_ = p + 1;
        ++line_number_;
        return true;
      }
      scan_ = end_;
    }
    if (skipping_) {
      begin_ = end_;
    } else if (end_ - begin_ >= max_line_bytes_ + 2) {
      // Too long even if "\r\n" came next: hand out the head and skip to the next "\n".
      line = std::string_view(buf_.get() + begin_, max_line_bytes_);
      truncated_ = true;
      skipping_ = true;
      begin_ = scan_ = end_;
      ++line_number_;
      return true;
    }
    size_t before = end_ - begin_;
    if (fill() || end_ - begin_ > before) continue;
    // End of input (or a read error: then a partial line is dropped).
    if (!error_.empty()) return false;
    if (skipping_ || begin_ == end_) {
      skipping_ = false;
      begin_ = scan_ = end_;
      return false;
    }
    size_t len = end_ - begin_;
    if (buf_[end_ - 1] == '\r') --len;
    truncated_ = len > max_line_bytes_;
    line = std::string_view(buf_.get() + begin_, std::min(len, max_line_bytes_));
    begin_ = scan_ = end_;
    ++line_number_;
    return true;
  }
}

ssize_t LineReader::read_rest(char* buf, size_t n) {
  if (!started_) fill();
  if (begin_ < end_) {
    const size_t k = std::min(n, end_ - begin_);
    std::memcpy(buf, buf_.get() + begin_, k);
    begin_ += k;
    scan_ = std::max(scan_, begin_);
    return static_cast<ssize_t>(k);
  }
  if (!error_.empty()) return -1;
  if (eof_) return 0;
  const ssize_t r = source_.read(buf, n);
  if (r < 0) error_ = source_.error().empty() ? "read error" : source_.error();
  if (r == 0) eof_ = true;
  return r;
}

std::string_view LineReader::head(size_t n) {
  while (end_ - begin_ < n) {
    size_t before = end_ - begin_;
    if (!fill() && end_ - begin_ == before) break;
  }
  if (buf_ == nullptr) return {};
  return std::string_view(buf_.get() + begin_, std::min(n, end_ - begin_));
}

}  // namespace fedtriage
