// One CallLink in a record of the call archive or the plan spool (the same fields, one copy).
#pragma once

#include "lib/base/record_codec.h"
#include "lib/correlate/call.h"

namespace fedtriage {

inline void encode_link(RecordWriter& w, const CallLink& l) {
  w.u64(l.event);
  w.str(l.reason);
  w.str(l.file);
  w.u64(l.line);
  w.u64(static_cast<uint64_t>(l.kind));
  w.u64(l.query == CallLink::kNoQuery ? 0 : l.query + 1);
}

inline void decode_link(RecordReader& r, CallLink& l) {
  l.event = r.u64();
  l.reason = r.str();
  l.file = r.str();
  l.line = r.u64();
  l.kind = static_cast<EventKind>(r.u64());
  if (const uint64_t query = r.u64()) l.query = query - 1;
}

}  // namespace fedtriage
