// What was read: one record per leaf input (a file, or a member inside an archive).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lib/core/problem.h"

namespace fedtriage {

struct InputRecord {
  std::string name;    // display name, archive members as "bundle.tar.gz!/member.txt"
  std::string format;  // "expressway" | "edge" | "client" | "unknown"
  uint64_t bytes = 0;  // bytes read (after decompression)
  uint64_t lines = 0;
  uint64_t events = 0;
  std::string sha256;             // of the bytes read, lower-case hex
  std::vector<Problem> problems;  // everything reported about this input
  bool skipped = false;           // not a known format, or unreadable
  std::string skip_reason;
};

}  // namespace fedtriage
