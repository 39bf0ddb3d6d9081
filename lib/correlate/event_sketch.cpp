#include "lib/correlate/event_sketch.h"

#include <algorithm>
#include <cstdio>

#include "lib/base/ascii.h"
#include "lib/correlate/correlator.h"

namespace fedtriage {

// Every event of a large read has one while calls are planned (see the field order).
static_assert(sizeof(EventSketch) <= 80, "EventSketch grew: it is held for every event");

namespace {

// FNV-1a: stable across runs and platforms.
uint64_t fnv1a_bytes(uint64_t h, std::string_view s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// One part of a key, closed by a separator.
uint64_t fnv1a(uint64_t h, std::string_view s) {
  return fnv1a_bytes(fnv1a_bytes(h, s), "\n");
}

}  // namespace

StringTable::StringTable() : views_(1), slots_(64, 0) {}

size_t StringTable::slot_of(std::string_view s, size_t hash) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    if (slots_[i] == 0 || views_[slots_[i]] == s) return i;
  }
}

void StringTable::grow() {
  std::vector<uint32_t> old(slots_.size() * 2, 0);
  old.swap(slots_);
  for (uint32_t id : old) {
    if (id != 0) slots_[slot_of(views_[id], std::hash<std::string_view>()(views_[id]))] = id;
  }
}

uint32_t StringTable::intern(std::string_view s) {
  if (s.empty()) return 0;
  if (slots_.empty()) *this = StringTable();  // moved from
  const size_t hash = std::hash<std::string_view>()(s);
  size_t slot = slot_of(s, hash);
  if (slots_[slot] != 0) return slots_[slot];
  if (block_size_ - block_used_ < s.size()) {
    // Blocks of 64 KiB (a longer string gets one of its own): few allocations, little slack.
    block_size_ = std::max<size_t>(s.size(), 64 * 1024);
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(block_size_));
    block_used_ = 0;
  }
  char* text = blocks_.back().get() + block_used_;
  std::copy(s.begin(), s.end(), text);
  block_used_ += s.size();
  const uint32_t id = static_cast<uint32_t>(views_.size());
  views_.emplace_back(text, s.size());
  slots_[slot] = id;
  if (views_.size() * 2 > slots_.size()) grow();
  return id;
}

uint32_t StringTable::find(std::string_view s) const {
  if (s.empty() || slots_.empty()) return 0;
  return slots_[slot_of(s, std::hash<std::string_view>()(s))];
}

std::string uri_domain(std::string_view uri) {
  size_t at = uri.find('@');
  size_t start = at == std::string_view::npos ? uri.find(':') : at;
  if (start == std::string_view::npos) return {};
  std::string_view rest = uri.substr(start + 1);
  const size_t end = rest.find_first_of(";:>?");
  return to_lower_ascii(rest.substr(0, end));
}

uint64_t sip_message_key(const Event& e, std::string* start_line) {
  if (e.kind != EventKind::Sip || !e.sip || e.call_id.empty()) return 0;
  const SipMessage& m = *e.sip;
  // Hashed in pieces: this runs for every SIP event, the start line is built only when asked.
  uint64_t h = fnv1a(fnv1a(14695981039346656037ULL, e.call_id), e.cseq);
  char status[12];
  const std::string_view code(
      status, static_cast<size_t>(std::snprintf(status, sizeof status, "%d", m.status_code)));
  h = m.is_request ? fnv1a(fnv1a_bytes(fnv1a_bytes(h, m.method), " "), m.request_uri)
                   : fnv1a(h, code);
  if (start_line) *start_line = m.is_request ? m.method + " " + m.request_uri : std::string(code);
  return h == 0 ? 1 : h;
}

bool is_expressway_server(std::string_view server) {
  // "TANDBERG/4352 (X12.5.4)": the Expressway / VCS product token.
  const std::string s = to_lower_ascii(server);
  return s.starts_with("tandberg/") || s.find("cisco-vcs") != std::string::npos ||
         s.find("expressway") != std::string::npos;
}

uint32_t SketchSet::file_id(const std::string& name) {
  if (last_file_ < files.size() && files[last_file_] == name) return last_file_;
  auto [it, inserted] = file_ids_.try_emplace(name, static_cast<uint32_t>(files.size()));
  if (inserted) files.push_back(name);
  last_file_ = it->second;
  return it->second;
}

EventSketch& SketchSet::add(const Event& e) {
  // Grow by a quarter, not double: sketches are most of what a large read keeps.
  if (events.size() == events.capacity()) events.reserve(events.size() + events.size() / 4 + 1024);
  EventSketch& s = events.emplace_back(sketch(e));
  s.order = static_cast<uint32_t>(events.size() - 1);
  return s;
}

EventSketch SketchSet::sketch(const Event& e) {
  EventSketch s;
  s.ts_ms = e.ts_ms;
  s.line = static_cast<uint32_t>(std::min<uint64_t>(e.origin.line, UINT32_MAX));
  s.file = file_id(e.origin.file);
  s.kind = e.kind;
  s.source = e.source;
  s.direction = e.direction;
  s.basis = e.basis;
  s.call = strings.intern(e.call_id);
  s.host = strings.intern(e.host);
  if (!e.remote.empty()) s.peer = strings.intern(address_host(e.remote));
  if (e.kind == EventKind::CallEvent || e.kind == EventKind::Tls) {
    if (const std::string* serial = find_field(e.fields, "call_serial_number")) {
      s.name = strings.intern(*serial);
    }
  } else if (e.kind == EventKind::Dns) {
    if (const std::string* name = find_field(e.fields, "name")) s.name = strings.intern(*name);
  }
  if (const std::string* start = find_field(e.fields, "sip_start_line")) {
    const size_t sp = start->find(' ');
    if (sp != std::string::npos) {
      const size_t sp2 = start->find(' ', sp + 1);
      s.flags |= EventSketch::kStartLine;
      s.start_domain = strings.intern(uri_domain(
          std::string_view(*start).substr(sp + 1, sp2 == std::string::npos ? sp2 : sp2 - sp - 1)));
    }
  }
  if (e.kind == EventKind::Tcp && e.direction == Direction::Out) {
    if (const std::string* detail = find_field(e.fields, "detail");
        detail && *detail == "TCP Connecting") {
      s.flags |= EventSketch::kConnect;
    }
  }
  if (e.sip) {
    const SipMessage& m = *e.sip;
    s.flags |= EventSketch::kSip;
    if ((m.is_request ? m.method : m.cseq_method) == "OPTIONS") s.flags |= EventSketch::kOptions;
    // Without a Server header it may still be relayed: the planner checks for the same status
    // received from the next hop first.
    if (!m.is_request && e.source == Source::Expressway && e.direction == Direction::Out &&
        (m.server.empty() || is_expressway_server(m.server))) {
      s.flags |= EventSketch::kOwnAnswer;
    }
    if (m.is_request) {
      s.flags |= EventSketch::kRequest;
      if (m.method == "INVITE") s.flags |= EventSketch::kInvite;
      if (m.method == "ACK" || m.method == "CANCEL") s.flags |= EventSketch::kAckOrCancel;
      s.domain = strings.intern(uri_domain(m.request_uri));
    }
    s.status =
        static_cast<uint16_t>(m.status_code < 0 || m.status_code > 65535 ? 0 : m.status_code);
    size_t n = 0;
    for (const Via& v : m.vias) {
      if (v.proxy_call_id.empty()) continue;
      s.proxy[n++] = strings.intern(v.proxy_call_id);
      if (n == 2) break;
    }
    s.message_key = sip_message_key(e);
  }
  return s;
}

SketchSet::Remap SketchSet::remap_from(const SketchSet& other) {
  Remap remap;
  remap.string.resize(other.strings.size());
  for (uint32_t i = 1; i < remap.string.size(); ++i) {
    remap.string[i] = strings.intern(other.strings.at(i));
  }
  remap.file.resize(other.files.size());
  for (uint32_t i = 0; i < remap.file.size(); ++i) remap.file[i] = file_id(other.files[i]);
  return remap;
}

EventSketch SketchSet::remapped(EventSketch s, const Remap& remap) {
  s.file = remap.file[s.file];
  for (uint32_t* f :
       {&s.call, &s.host, &s.peer, &s.name, &s.domain, &s.start_domain, &s.proxy[0], &s.proxy[1]}) {
    *f = remap.string[*f];
  }
  return s;
}

void SketchSet::append_remapped(EventSketch s, const Remap& remap, uint32_t base) {
  s = remapped(s, remap);
  s.order += base;
  events.push_back(s);
}

std::string SketchSet::where(const EventSketch& s) const {
  return files[s.file] + ":" + std::to_string(s.line);
}

}  // namespace fedtriage
