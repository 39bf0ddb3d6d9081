// What identifies a stored event: within its input, the events table's unique key (input_id,
// line, kind, seq), for the writers' maps from a key to a row id or to the next seq of a line
// (seq 0 then stands for the line); within a write, its index among the ids returned.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "lib/base/hash_mix.h"
#include "lib/core/event.h"

namespace fedtriage {

struct EventKey {
  int64_t input;
  int64_t line;
  EventKind kind;
  int64_t seq;
  bool operator==(const EventKey&) const = default;
};

struct EventKeyHash {
  size_t operator()(const EventKey& k) const {
    uint64_t h = hash_mix(0, static_cast<uint64_t>(k.input));
    h = hash_mix(h, static_cast<uint64_t>(k.line));
    h = hash_mix(h, static_cast<uint64_t>(k.kind));
    return static_cast<size_t>(hash_mix(h, static_cast<uint64_t>(k.seq)));
  }
};

// The row id of a call's event `index` among the ids one write_events() returned; a call that
// names an event the write did not have is a caller's error.
inline int64_t event_row_id(const std::vector<int64_t>& ids, size_t index,
                            const std::string& call_id) {
  if (index >= ids.size()) {
    throw std::invalid_argument("call " + call_id + " refers to event " + std::to_string(index) +
                                " of " + std::to_string(ids.size()));
  }
  return ids[index];
}

}  // namespace fedtriage
