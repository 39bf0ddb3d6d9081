// Which inputs of a read are parsed in pieces (lib/ingest/split_parse.h). Splitting costs CPU
// (the bytes are copied into pieces, each piece has its own string table), so by default a file
// is split only where a core would otherwise wait: when the file alone takes longer than the
// other inputs take shared among the other cores.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace fedtriage {

// Per input, in order: its piece size, 0 when it is read by one parser. `sizes` are the inputs'
// sizes in bytes (0 when not known: such an input is never split, and counts for nothing).
// `given` (an option, $FEDTRIAGE_SPLIT_BYTES): that size for every input. Else, with
// `when_idle`, the inputs that would outlast the others, and without it none. `workers`: how
// many files are parsed at once.
std::vector<size_t> choose_split_bytes(const std::vector<uint64_t>& sizes,
                                       std::optional<size_t> given, size_t workers,
                                       bool when_idle = true);

}  // namespace fedtriage
