// What correlation needs to know of an event, in a few dozen bytes: large inputs keep only
// sketches in memory while the full events wait in a spool (lib/spool) until their call is
// explained. Strings are interned; id 0 is always "" (absent).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lib/core/event.h"

namespace fedtriage {

// Interns strings to dense ids; id 0 is the empty string. The text of all strings is kept in
// large blocks and looked up through an open-addressing table of ids: a few bytes over the
// text per string (a large read interns every Call-ID and serial number; a std::string in a
// node-based map cost ~130 bytes per string).
class StringTable {
 public:
  StringTable();
  uint32_t intern(std::string_view s);
  uint32_t find(std::string_view s) const;  // 0 when not interned
  // Valid as long as the table is.
  std::string_view at(uint32_t id) const { return views_[id]; }
  size_t size() const { return views_.size(); }

 private:
  size_t slot_of(std::string_view s, size_t hash) const;  // its slot, or the empty one to use
  void grow();

  std::vector<std::unique_ptr<char[]>> blocks_;  // never move: views point into them
  size_t block_used_ = 0, block_size_ = 0;
  std::vector<std::string_view> views_;  // by id
  std::vector<uint32_t> slots_;          // ids by hash, 0 = empty; at most half full
};

struct EventSketch {
  enum Flag : uint8_t {
    kSip = 1,          // a SIP message
    kRequest = 2,      // a SIP request
    kInvite = 4,       // an INVITE request
    kAckOrCancel = 8,  // an ACK or CANCEL request
    kStartLine = 16,   // carries a SIP-Start-Line field with a request-URI (Edge diagnostics)
    kOwnAnswer = 32,   // an Expressway response sent with its own Server header, or none
    kConnect = 64,     // network.tcp "TCP Connecting": the logging host opened a connection
    kOptions = 128,    // an OPTIONS request or a response to one
  };

  // 80 bytes, held for every event of a read while calls are planned: the largest share of a
  // large read's peak memory, so fields are ordered by size and the line number is 32 bits.
  int64_t ts_ms = 0;
  uint64_t message_key = 0;   // hash of Call-ID, CSeq and start line (SIP with a Call-ID), else 0
  uint64_t spool_offset = 0;  // where the full event is (lib/spool), when spooled
  // Line in its file, saturated at 2^32 - 1: only an event after four billion lines (a file of
  // empty lines, say) would have its link cite that line instead of its own.
  uint32_t line = 0;
  uint32_t spool_size = 0;
  uint32_t file = 0;           // index into SketchSet::files
  uint32_t call = 0;           // Call-ID
  uint32_t host = 0;           // logging host
  uint32_t peer = 0;           // host part of the remote address
  uint32_t name = 0;           // Call-serial-number (call events, TLS) or queried name (DNS)
  uint32_t domain = 0;         // request-URI domain of a SIP request
  uint32_t start_domain = 0;   // request-URI domain of the SIP-Start-Line field
  uint32_t proxy[2] = {0, 0};  // Via proxy-call-ids (Expressway), first two
  uint32_t order = 0;          // position in read order (input, then parser order): the tie-break
  uint16_t status = 0;         // SIP response status
  EventKind kind = EventKind::Sip;
  Source source = Source::Expressway;
  Direction direction = Direction::Unknown;
  TimeBasis basis = TimeBasis::Utc;
  uint8_t flags = 0;

  bool has(Flag f) const { return (flags & f) != 0; }
};

// Sketches of one read, with the strings they name.
struct SketchSet {
  std::vector<EventSketch> events;
  std::vector<std::string> files;  // origin.file by EventSketch::file
  StringTable strings;

  // Sketches `e` and appends it (order = its position).
  EventSketch& add(const Event& e);
  // The sketch of `e` without keeping it (its strings are interned here; order 0): for
  // readers that store sketches elsewhere and append them later with append_remapped().
  EventSketch sketch(const Event& e);
  uint32_t file_id(const std::string& name);

  // Ids of another set's strings and files in this one (interned here by remap_from).
  struct Remap {
    std::vector<uint32_t> string;
    std::vector<uint32_t> file;
  };
  Remap remap_from(const SketchSet& other);
  // `s`, a sketch of the set `remap` was made from, with its ids re-mapped to this set's.
  static EventSketch remapped(EventSketch s, const Remap& remap);
  // Appends remapped(s, remap) with `base` added to its order.
  void append_remapped(EventSketch s, const Remap& remap, uint32_t base);
  // "file:line" of a sketch.
  std::string where(const EventSketch& s) const;

 private:
  std::unordered_map<std::string, uint32_t> file_ids_;
  uint32_t last_file_ = UINT32_MAX;
};

// Hash of (Call-ID, CSeq, start line) identifying one SIP message across hops; 0 when the
// event cannot be matched (not SIP, or no Call-ID). Also gives the start line.
uint64_t sip_message_key(const Event& e, std::string* start_line = nullptr);

// A Server header of the Expressway / VCS itself (a response it made, not one it relayed).
bool is_expressway_server(std::string_view server);

// Host part of a SIP URI, lower-case: "sip:user@skype.lab;transport=tls" -> "skype.lab".
std::string uri_domain(std::string_view uri);

}  // namespace fedtriage
