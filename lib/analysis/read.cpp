#include "lib/analysis/read.h"

#include "lib/correlate/timeline.h"

namespace fedtriage {

SpooledRead read_timeline(const std::vector<std::string>& paths, const IngestOptions& options,
                          ProblemSink& live) {
  SpooledRead read = ingest_spooled(paths, options, live);
  std::string scratch;
  read.clock_notes = put_on_timeline(
      read.sketches, options.parser.client_utc_offset_minutes.has_value(),
      [&](size_t i) {
        Event e;
        read.load(i, e, scratch);
        return e;
      },
      &read.clock_shifts);
  return read;
}

IngestResult read_in_memory(const std::vector<std::string>& paths, const IngestOptions& options,
                            ProblemSink& live) {
  SpooledRead read = read_timeline(paths, options, live);
  IngestResult result;
  result.inputs = std::move(read.inputs);
  result.clock_notes = std::move(read.clock_notes);
  result.events.resize(read.sketches.events.size());
  std::string scratch, error;
  for (size_t i = 0; i < result.events.size(); ++i) {
    if (!read.load(i, result.events[i], scratch, &error)) {
      live.on_problem({Problem::Severity::Error, "spool", 0, "cannot read back events: " + error});
      result.events.resize(i);
      break;
    }
  }
  return result;
}

}  // namespace fedtriage
