// The report model read from a store: each call loaded when the report comes to it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "lib/report/report_model.h"

namespace fedtriage {

class Store;

// `store` must outlive the model. `case_name` "" reads every case; `max_calls` 0 lists every
// call.
std::unique_ptr<ReportModel> store_report_model(Store& store, std::string case_name,
                                                uint64_t max_calls = 0);

}  // namespace fedtriage
