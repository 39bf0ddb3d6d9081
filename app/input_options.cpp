#include "app/input_options.h"

#include <stdexcept>

#include "app/command_line.h"
#include "lib/core/timestamp.h"

namespace po = boost::program_options;

namespace fedtriage::cli {

void add_input_options(po::options_description& desc, InputArgs& args) {
  desc.add_options()(
      "client-utc-offset", po::value(&args.client_utc_offset)->value_name("+HH:MM"),
      "client (UccApiLog) clock offset from UTC, e.g. +01:00; without it the offset is "
      "inferred from messages also seen by a server log")(
      "max-expanded-mb",
      number_option(&args.max_expanded_mb, "max-expanded-mb", kMinExpandedMb, kMaxExpandedMb)
          ->value_name("N"),
      "stop expanding an archive after N MiB of decompressed data (archive-bomb guard)")(
      "max-archive-members",
      number_option(&args.max_archive_members, "max-archive-members", uint64_t{1},
                    kMaxArchiveMembers)
          ->value_name("N"),
      "stop expanding an archive after N members, nested ones included (default 200000)")(
      "max-call-events",
      number_option(&args.max_call_events, "max-call-events", uint64_t{100}, uint64_t{100000000})
          ->value_name("N"),
      "explain at most N events of one call, its first and last (default 20000; memory bound)");
}

IngestOptions to_ingest_options(const InputArgs& args) {
  IngestOptions o;
  if (!args.client_utc_offset.empty()) {
    auto off = parse_utc_offset(args.client_utc_offset);
    if (!off) {
      throw std::invalid_argument("--client-utc-offset: expected +HH:MM or -HH:MM, got '" +
                                  args.client_utc_offset + "'");
    }
    o.parser.client_utc_offset_minutes = *off;
  }
  o.walk.max_expanded_bytes = args.max_expanded_mb << 20;
  o.walk.max_archive_members = args.max_archive_members;
  o.max_call_events = static_cast<size_t>(args.max_call_events);
  return o;
}

}  // namespace fedtriage::cli
