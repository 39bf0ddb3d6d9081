#include "lib/ingest/split_choice.h"

#include "lib/ingest/split_parse.h"

namespace fedtriage {

std::vector<size_t> choose_split_bytes(const std::vector<uint64_t>& sizes,
                                       std::optional<size_t> given, size_t workers,
                                       bool when_idle) {
  if (given) return std::vector<size_t>(sizes.size(), *given);
  std::vector<size_t> out(sizes.size(), 0);
  if (!when_idle || workers < 2) return out;
  uint64_t total = 0;
  for (uint64_t s : sizes) total += s;
  for (size_t k = 0; k < sizes.size(); ++k) {
    // A few pieces at least; then: does it outlast the others spread over the other workers?
    if (sizes[k] < 4 * kDefaultSplitBytes) continue;
    if (sizes[k] * (workers - 1) > total - sizes[k]) out[k] = kDefaultSplitBytes;
  }
  return out;
}

}  // namespace fedtriage
