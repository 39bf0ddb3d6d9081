// The case view (case_view.h) of an analysis, in memory or streamed: its calls come from
// wherever the analysis keeps them (for_each_call in lib/analysis/analyzer.h), so that a
// streamed analysis is reported from its call archive on disk.
#pragma once

#include <memory>

#include "lib/report/case_view.h"

namespace fedtriage {

struct Analysis;

// `analysis` must outlive the view.
std::unique_ptr<CaseView> analysis_case_view(const Analysis& analysis);

}  // namespace fedtriage
