#include "lib/report/store_report_model.h"

#include <utility>

#include "lib/store/store.h"

namespace fedtriage {

StoreReportModel::StoreReportModel(Store& store, std::string case_name, uint64_t max_calls)
    : store_(store), case_name_(std::move(case_name)), max_calls_(max_calls) {}

std::optional<StoreSummary> StoreReportModel::summary(std::string* error) {
  return store_.summary(case_name_, error);
}

std::vector<CallSummary> StoreReportModel::calls(bool failed_only, std::string* error) {
  CallQuery q;
  q.case_name = case_name_;
  q.failed_only = failed_only;
  q.limit = max_calls_;
  return store_.list_calls(q, error);
}

std::optional<StoredCall> StoreReportModel::call(const CallSummary& row, std::string* error) {
  return store_.load_call(row.call_id, row.case_name, error);
}

std::optional<StoredConversation> StoreReportModel::conversation(const CallSummary& row,
                                                                 std::string* error) {
  return store_.load_conversation(row.call_id, row.case_name, error);
}

}  // namespace fedtriage
