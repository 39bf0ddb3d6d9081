// The report model of an analysis still in memory (explain(): its events held in memory), for
// a report before or without a store, and for tests. A streamed analysis keeps its events in a
// spool, not here: its model answers with an error; report it from the store
// (store_report_model.h).
#pragma once

#include <memory>
#include <string>

#include "lib/report/report_model.h"

namespace fedtriage {

struct Analysis;

// `analysis` must outlive the model. Its calls are named as of case `case_name`.
std::unique_ptr<ReportModel> analysis_report_model(const Analysis& analysis, std::string case_name);

}  // namespace fedtriage
