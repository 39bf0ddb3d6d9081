// Reading a bundle for analysis: ingest (files → parsed sketches, events spooled) then the
// timeline (client clocks aligned, time order), which is correlation's first step.
#pragma once

#include <string>
#include <vector>

#include "lib/ingest/ingest.h"

namespace fedtriage {

// Sketches on one UTC timeline; clock_notes say how client clocks were aligned (or not).
SpooledRead read_timeline(const std::vector<std::string>& paths, const IngestOptions& options,
                          ProblemSink& live);

// The same with every event in memory, in time order (small inputs, tests, tools).
IngestResult read_in_memory(const std::vector<std::string>& paths, const IngestOptions& options,
                            ProblemSink& live);

}  // namespace fedtriage
