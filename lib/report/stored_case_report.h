// What `analyze` prints for a bundle that is already stored: the case as the database holds it
// (counts, failed calls, each finding's root cause and fix), said to come from the database, so
// that running the same command twice answers the same question twice.
#pragma once

#include <string>

namespace fedtriage {

class ReportModel;
class Store;

// Text for case `case_name`; "" with `*error` set when the store cannot be read.
std::string stored_case_to_text(Store& store, const std::string& case_name, std::string* error);
// The same from any report model (report_model.h).
std::string stored_case_to_text(ReportModel& model, std::string* error);

}  // namespace fedtriage
