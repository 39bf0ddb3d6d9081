// Compact binary encoding of a whole Event, for the event spool (lib/spool/event_spool.h).
//
// Layout (format version 2): a version byte, then every member of Event in declaration order
// (but `raw` before `sip`): integers as LEB128 varints (signed ones zigzag-encoded), enums and
// bools as one byte, strings as a varint length followed by the bytes, vectors as a varint
// count followed by the elements, optionals as a presence byte followed by the value. A SIP
// header's value and the body are, where the raw text holds them a short way after the
// previous one, a reference into `raw` (event_codec.cpp, RawRefs) rather than a second copy. The
// encoding is canonical: every Event has exactly one encoding and decode_event accepts nothing else
// (no overlong varints, bools only 0 or 1), so encode(decode(bytes)) == bytes whenever decoding
// succeeds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "lib/core/event.h"

namespace fedtriage {

// How much of an event is encoded.
enum class EventDetail : uint8_t {
  Whole,   // every member
  NoText,  // all but the record's text: `raw` and the SIP message's headers, Vias and body
           // are written as if empty (the text is most of a SIP message's encoding, and of
           // decoding it). All `events` prints without --raw; the rules and the store need Whole.
};

// Appends a compact binary encoding of `e` (every member of Event, including the whole
// SipMessage when set: vias with params, headers, ms_diagnostics, body, content_length...,
// fields, summary, raw, origin) to `out`. With NoText: the encoding of the same event with its
// text left empty.
void encode_event(const Event& e, std::string& out, EventDetail detail = EventDetail::Whole);

// Decodes one event encoded by encode_event. False (and `e` unspecified) when `bytes` is
// not a complete, valid encoding (truncated, trailing bytes, lengths past the end, bad enum
// values). Reuses the strings and vectors already in `e` where it can, so decoding many events
// into the same Event allocates little.
bool decode_event(std::string_view bytes, Event& e);

}  // namespace fedtriage
