// The report model read from a store: each call loaded when the report comes to it.
#pragma once

#include <cstdint>
#include <string>

#include "lib/report/report_model.h"

namespace fedtriage {

class Store;

class StoreReportModel : public ReportModel {
 public:
  // `case_name` "" reads every case; `max_calls` 0 lists every call.
  StoreReportModel(Store& store, std::string case_name, uint64_t max_calls = 0);

  const std::string& case_name() const override { return case_name_; }
  std::optional<StoreSummary> summary(std::string* error) override;
  std::vector<CallSummary> calls(bool failed_only, std::string* error) override;
  std::optional<StoredCall> call(const CallSummary& row, std::string* error) override;
  std::optional<StoredConversation> conversation(const CallSummary& row,
                                                 std::string* error) override;

 private:
  Store& store_;
  std::string case_name_;
  uint64_t max_calls_;
};

}  // namespace fedtriage
