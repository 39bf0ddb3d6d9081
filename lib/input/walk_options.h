// Limits for expanding inputs: guards against archive bombs and absurd nesting.
#pragma once

#include <cstdint>

namespace fedtriage {

struct WalkOptions {
  // Archives inside archives: "a.tar!/b.zip!/c.log" is 2 levels. An archive whose members
  // would be deeper than this is reported and not expanded.
  int max_nesting = 8;
  // Bytes read out of archive members (summed over nesting levels) per file on disk or stdin.
  // Beyond it the rest of that file is abandoned with an Error problem.
  uint64_t max_expanded_bytes = uint64_t{64} << 30;
  // Archive members (directories, links and empty files included, summed over nesting levels)
  // per file on disk: 100,000 empty members cost seconds and memory but no bytes. Each member
  // header also counts kMemberHeaderBytes against max_expanded_bytes.
  uint64_t max_archive_members = 200000;
  static constexpr uint64_t kMemberHeaderBytes = 512;  // a tar header block
};

}  // namespace fedtriage
