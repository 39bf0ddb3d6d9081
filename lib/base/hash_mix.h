// Combines integers into one hash (boost::hash_combine's mixing), for composite keys of
// unordered containers.
#pragma once

#include <cstdint>

namespace fedtriage {

constexpr uint64_t hash_mix(uint64_t h, uint64_t value) {
  return h ^ (value + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2));
}

}  // namespace fedtriage
