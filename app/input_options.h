// Command-line options every reading command shares (events, analyze).
#pragma once

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>
#include <string>
#include <vector>

#include "lib/ingest/ingest.h"

namespace fedtriage::cli {

// --max-expanded-mb: at least 1 MiB, at most 16 TiB (the byte count must fit in 64 bits).
inline constexpr uint64_t kMinExpandedMb = 1;
inline constexpr uint64_t kMaxExpandedMb = uint64_t{1} << 24;
// --max-archive-members: at least 1, at most 100 million.
inline constexpr uint64_t kMaxArchiveMembers = 100000000;

struct InputArgs {
  std::vector<std::string> paths;
  std::string client_utc_offset;
  uint64_t max_expanded_mb = 64 * 1024;
  uint64_t max_archive_members = WalkOptions{}.max_archive_members;
  uint64_t max_call_events = IngestOptions{}.max_call_events;
};

void add_input_options(boost::program_options::options_description& desc, InputArgs& args);

// Throws std::invalid_argument with a message for the user on a bad value.
IngestOptions to_ingest_options(const InputArgs& args);

}  // namespace fedtriage::cli
