// Ingest: paths in (files, folders, archives, stdin), normalized events out. The one place
// where the input layer meets the parsers.
#pragma once

#include <string>
#include <vector>

#include "lib/core/event.h"
#include "lib/core/input_record.h"
#include "lib/core/problem.h"
#include "lib/input/walk_options.h"
#include "parsers/log_parser.h"

namespace fedtriage {

struct IngestOptions {
  WalkOptions walk;
  ParserOptions parser;
  size_t sniff_bytes = 64 * 1024;       // how much of a file format recognition looks at
  size_t max_line_bytes = 1024 * 1024;  // longer lines are cut (and reported)
};

struct IngestResult {
  std::vector<InputRecord> inputs;       // one per leaf, in the order read
  std::vector<Event> events;             // all events, stable-sorted by time
  std::vector<std::string> clock_notes;  // how client clocks were aligned (or not)
};

// Reads everything; problems go to `live` as they happen and into the input records.
IngestResult ingest(const std::vector<std::string>& paths, const IngestOptions& options,
                    ProblemSink& live);

}  // namespace fedtriage
