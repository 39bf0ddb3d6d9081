#include "lib/spool/event_codec.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "lib/base/varint.h"
#include "lib/core/product.h"

namespace fedtriage {
namespace {

constexpr uint8_t kFormatVersion = 2;

// Highest valid value of each enum. Adding an enumerator means raising it here (old spools are
// never read by a newer binary: a spool lives only as long as the process that wrote it).
constexpr uint8_t kMaxTimeBasis = static_cast<uint8_t>(TimeBasis::LocalUnaligned);
constexpr uint8_t kMaxKind = static_cast<uint8_t>(EventKind::CallEvent);
constexpr uint8_t kMaxDirection = static_cast<uint8_t>(Direction::Out);

// A SIP message's header values and body are, nearly always, bytes of the event's raw text:
// they are written as a reference into it (where, after the previous reference) instead of a
// second copy, which makes the spool about a third smaller. Where a value next occurs is
// searched a short way ahead of the previous one, and the bytes compared are budgeted per event
// (hostile text cannot make encoding or decoding quadratic); the decoder repeats the same
// search, so that only the encoder's choice decodes (the encoding stays canonical).
class RawRefs {
 public:
  static constexpr size_t npos = std::string_view::npos;
  explicit RawRefs(std::string_view raw) : raw_(raw), budget_(4 * raw.size() + 4096) {}

  std::string_view raw() const { return raw_; }
  size_t cursor() const { return cursor_; }
  // Where `v` first occurs from the cursor, starting at most kLookahead bytes ahead; npos when
  // it does not, or when the budget runs out first. Moves the cursor past it when found.
  size_t take(std::string_view v) {
    if (v.empty() || v.size() > raw_.size() - cursor_) return npos;
    const size_t last = std::min(raw_.size() - v.size(), cursor_ + kLookahead);
    for (size_t at = cursor_; at <= last;) {
      const size_t span = last - at + 1;
      if (budget_ < span) return budget_ = 0, npos;
      const void* hit = std::memchr(raw_.data() + at, v[0], span);
      if (hit == nullptr) return budget_ -= span, npos;
      const size_t pos = static_cast<size_t>(static_cast<const char*>(hit) - raw_.data());
      budget_ -= pos - at + 1;
      if (budget_ < v.size()) return budget_ = 0, npos;
      budget_ -= v.size();
      if (std::memcmp(raw_.data() + pos, v.data(), v.size()) == 0) {
        cursor_ = pos + v.size();
        return pos;
      }
      at = pos + 1;
    }
    return npos;
  }

 private:
  static constexpr size_t kLookahead = 512;
  std::string_view raw_;
  size_t cursor_ = 0;
  size_t budget_;
};

// The layout is written once, as a walk over the event that a sink either measures or writes:
// measuring first lets the encoder grow `out` once and then write through a plain pointer, with
// no capacity check per byte; sharing the walk keeps the two in step.
// A string that may be bytes of the raw text: varint(size << 1 | is_reference), then either
// varint(offset from the cursor) or the bytes.
template <typename Sink>
void raw_text(Sink& s, RawRefs& refs, std::string_view v) {
  const size_t from = refs.cursor();
  const size_t at = refs.take(v);
  if (at == RawRefs::npos) {
    s.varint(uint64_t{v.size()} << 1);
    s.bytes(v);
  } else {
    s.varint(uint64_t{v.size()} << 1 | 1);
    s.varint(at - from);
  }
}

struct Measure {
  size_t n = 0;
  void byte(uint8_t) { ++n; }
  void varint(uint64_t v) { n += varint_size(v); }
  void bytes(std::string_view s) { n += s.size(); }
  void str(std::string_view s) { n += varint_size(s.size()) + s.size(); }
};

struct Write {
  char* p;
  void byte(uint8_t b) { *p++ = static_cast<char>(b); }
  void varint(uint64_t v) { p = write_varint(p, v); }
  void bytes(std::string_view s) {
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    p += s.size();
  }
  void str(std::string_view s) {
    varint(s.size());
    bytes(s);
  }
};

template <typename Sink, typename Pairs>
void walk_pairs(Sink& s, const Pairs& pairs) {
  s.varint(pairs.size());
  for (const auto& [k, v] : pairs) {
    s.str(k);
    s.str(v);
  }
}

template <typename Sink>
void walk_name_addr(Sink& s, const NameAddr& a) {
  s.str(a.display_name);
  s.str(a.uri);
  s.str(a.tag);
  s.byte(a.present);
}

// `text` false: the Vias, headers and body are written as if empty (EventDetail::NoText).
template <typename Sink>
void walk_sip(Sink& s, const SipMessage& m, std::string_view raw, bool text) {
  s.byte(m.is_request);
  s.str(m.method);
  s.str(m.request_uri);
  s.varint(zigzag(m.status_code));
  s.str(m.reason_phrase);
  s.str(m.call_id);
  s.varint(m.cseq_number);
  s.str(m.cseq_method);
  walk_name_addr(s, m.from);
  walk_name_addr(s, m.to);
  s.varint(text ? m.vias.size() : 0);
  for (const Via& v : m.vias) {
    if (!text) break;
    s.str(v.protocol);
    s.str(v.sent_by);
    s.str(v.branch);
    s.str(v.received);
    s.str(v.rport);
    s.str(v.proxy_call_id);
    walk_pairs(s, v.params);
  }
  s.str(m.user_agent);
  s.str(m.server);
  s.byte(m.content_length.has_value());
  if (m.content_length) s.varint(*m.content_length);
  RawRefs refs(raw);  // headers and body, in the order of the text
  s.varint(text ? m.headers.size() : 0);
  for (const SipHeader& h : m.headers) {
    if (!text) break;
    s.str(h.name);
    raw_text(s, refs, h.value);
  }
  raw_text(s, refs, text ? std::string_view(m.body) : std::string_view());
  s.varint(m.ms_diagnostics.size());
  for (const MsDiagnostic& d : m.ms_diagnostics) {
    s.varint(zigzag(d.code));
    s.varint(zigzag(d.sub_code));
    s.byte(d.is_public);
    s.str(d.reason);
    walk_pairs(s, d.params);
  }
}

template <typename Sink>
void walk_event(Sink& s, const Event& e, bool text) {
  s.byte(kFormatVersion);
  s.varint(zigzag(e.ts_ms));
  s.byte(static_cast<uint8_t>(e.basis));
  s.byte(static_cast<uint8_t>(e.source));
  s.byte(static_cast<uint8_t>(e.kind));
  s.str(e.origin.file);
  s.varint(e.origin.line);
  s.varint(e.origin.seq);
  s.str(e.host);
  s.str(e.call_id);
  s.str(e.cseq);
  s.byte(static_cast<uint8_t>(e.direction));
  s.str(e.local);
  s.str(e.remote);
  const std::string_view raw = text ? std::string_view(e.raw) : std::string_view();
  s.str(raw);  // before the SIP message, whose text refers to it
  s.byte(e.sip.has_value());
  if (e.sip) walk_sip(s, *e.sip, raw, text);
  walk_pairs(s, e.fields);
  s.str(e.summary);
}

// Smallest encoding of one element, to cap a count by the bytes left before allocating.
constexpr size_t kMinPair = 2;                        // two empty strings
constexpr size_t kMinVia = 6 + 1;                     // six strings and a count
constexpr size_t kMinDiagnostic = 1 + 1 + 1 + 1 + 1;  // code, sub code, flag, reason, count

// Bounds-checked reads. The first failure is sticky: every later read fails too and returns
// empty values, so decoding runs to the end without a check after every field and the result
// is tested once.
class Reader {
 public:
  explicit Reader(std::string_view b) : p_(b.data()), end_(b.data() + b.size()) {}

  bool ok() const { return ok_; }
  bool at_end() const { return p_ == end_; }

  uint8_t byte() {
    if (p_ == end_) return fail(), 0;
    return static_cast<uint8_t>(*p_++);
  }
  uint8_t byte_max(uint8_t max) {
    const uint8_t b = byte();
    if (b > max) fail();
    return b;
  }
  bool boolean() { return byte_max(1) != 0; }

  uint64_t varint() {
    uint64_t v = 0;
    if (!read_varint(p_, end_, &v)) return fail(), 0;
    return v;
  }
  uint32_t u32() {
    const uint64_t v = varint();
    if (v > std::numeric_limits<uint32_t>::max()) return fail(), 0;
    return static_cast<uint32_t>(v);
  }
  int64_t i64() { return unzigzag(varint()); }
  int i32() {
    const int64_t v = i64();
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
      return fail(), 0;
    }
    return static_cast<int>(v);
  }

  // clear + assign: keeps the capacity `s` already has.
  void str(std::string& s) { bytes(varint(), s); }

  // A string written by raw_text(): a reference is taken only where the encoder's search finds
  // it, and bytes only where that search finds nothing.
  void raw_text(std::string& s, RawRefs& refs) {
    const uint64_t tag = varint();
    const uint64_t n = tag >> 1;
    if ((tag & 1) == 0) {
      if (bytes(n, s) && refs.take(s) != RawRefs::npos) fail();
      return;
    }
    const uint64_t offset = varint();
    const std::string_view raw = refs.raw();
    const size_t from = refs.cursor();
    if (n == 0 || offset > raw.size() - from || n > raw.size() - from - offset) {
      fail();
      s.clear();
      return;
    }
    const std::string_view v = raw.substr(from + offset, n);
    if (refs.take(v) != from + offset) {
      fail();
      s.clear();
      return;
    }
    s.assign(v);
  }

  // An element count, refused when even the smallest elements could not fit in what is left:
  // hostile bytes cannot make the decoder allocate more than a few times their own size.
  size_t count(size_t min_element_size) {
    const uint64_t n = varint();
    if (n > static_cast<uint64_t>(end_ - p_) / min_element_size) return fail(), 0;
    return static_cast<size_t>(n);
  }

  // The next `n` bytes into `s`; false (and `s` empty) when fewer are left.
  bool bytes(uint64_t n, std::string& s) {
    if (n > static_cast<uint64_t>(end_ - p_)) {
      fail();
      s.clear();
      return false;
    }
    s.assign(p_, static_cast<size_t>(n));
    p_ += n;
    return true;
  }

  // Marks the input damaged: every later read fails.
  void fail() {
    ok_ = false;
    p_ = end_;
  }

 private:
  const char* p_;
  const char* end_;
  bool ok_ = true;
};

template <typename Pairs>
void read_pairs(Reader& r, Pairs& pairs) {
  pairs.resize(r.count(kMinPair));
  for (auto& [k, v] : pairs) {
    r.str(k);
    r.str(v);
  }
}

void read_name_addr(Reader& r, NameAddr& a) {
  r.str(a.display_name);
  r.str(a.uri);
  r.str(a.tag);
  a.present = r.boolean();
}

void read_sip(Reader& r, SipMessage& m, std::string_view raw) {
  m.is_request = r.boolean();
  r.str(m.method);
  r.str(m.request_uri);
  m.status_code = r.i32();
  r.str(m.reason_phrase);
  r.str(m.call_id);
  m.cseq_number = r.u32();
  r.str(m.cseq_method);
  read_name_addr(r, m.from);
  read_name_addr(r, m.to);
  m.vias.resize(r.count(kMinVia));
  for (Via& v : m.vias) {
    r.str(v.protocol);
    r.str(v.sent_by);
    r.str(v.branch);
    r.str(v.received);
    r.str(v.rport);
    r.str(v.proxy_call_id);
    read_pairs(r, v.params);
  }
  r.str(m.user_agent);
  r.str(m.server);
  if (r.boolean()) {
    m.content_length = r.varint();
  } else {
    m.content_length.reset();
  }
  RawRefs refs(raw);
  m.headers.resize(r.count(kMinPair));
  for (SipHeader& h : m.headers) {
    r.str(h.name);
    r.raw_text(h.value, refs);
  }
  r.raw_text(m.body, refs);
  m.ms_diagnostics.resize(r.count(kMinDiagnostic));
  for (MsDiagnostic& d : m.ms_diagnostics) {
    d.code = r.i32();
    d.sub_code = r.i32();
    d.is_public = r.boolean();
    r.str(d.reason);
    read_pairs(r, d.params);
  }
}

}  // namespace

void encode_event(const Event& e, std::string& out, EventDetail detail) {
  const bool text = detail == EventDetail::Whole;
  Measure m;
  walk_event(m, e, text);
  const size_t start = out.size();
  // resize zero-fills the new bytes, a memset far cheaper than the copies that follow; C++23's
  // resize_and_overwrite would avoid it.
  out.resize(start + m.n);
  Write w{out.data() + start};
  walk_event(w, e, text);
}

bool decode_event(std::string_view bytes, Event& e) {
  Reader r(bytes);
  if (r.byte() != kFormatVersion) return false;
  e.ts_ms = r.i64();
  e.basis = static_cast<TimeBasis>(r.byte_max(kMaxTimeBasis));
  e.source = static_cast<Source>(r.byte());
  if (!find_product(e.source)) r.fail();
  e.kind = static_cast<EventKind>(r.byte_max(kMaxKind));
  r.str(e.origin.file);
  e.origin.line = r.varint();
  e.origin.seq = r.u32();
  r.str(e.host);
  r.str(e.call_id);
  r.str(e.cseq);
  e.direction = static_cast<Direction>(r.byte_max(kMaxDirection));
  r.str(e.local);
  r.str(e.remote);
  r.str(e.raw);
  // Callers decode into the same events again and again; a slot that held a SIP message and
  // now gets a TLS line would free some 25 strings, and the next SIP message allocate them
  // again. The thread's messages wait here instead, their buffers kept.
  thread_local std::vector<SipMessage> spare_sips;
  if (r.boolean()) {
    if (!e.sip) {
      if (spare_sips.empty()) {
        e.sip.emplace();
      } else {
        e.sip.emplace(std::move(spare_sips.back()));
        spare_sips.pop_back();
      }
    }
    read_sip(r, *e.sip, e.raw);
  } else if (e.sip) {
    constexpr size_t kMaxSpareSips = 64;
    if (spare_sips.size() < kMaxSpareSips) spare_sips.push_back(std::move(*e.sip));
    e.sip.reset();
  }
  read_pairs(r, e.fields);
  r.str(e.summary);
  return r.ok() && r.at_end();
}

}  // namespace fedtriage
