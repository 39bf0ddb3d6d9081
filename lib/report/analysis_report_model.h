// The report model of an analysis still in memory (explain(): its events held in memory), for
// a report before or without a store, and for tests. A streamed analysis keeps its events in a
// spool, not here: report it from the store (store_report_model.h).
#pragma once

#include <string>

#include "lib/report/report_model.h"

namespace fedtriage {

struct Analysis;

class AnalysisReportModel : public ReportModel {
 public:
  // `analysis` must outlive the model. Its calls are named as of case `case_name`.
  AnalysisReportModel(const Analysis& analysis, std::string case_name);

  const std::string& case_name() const override { return case_name_; }
  std::optional<StoreSummary> summary(std::string* error) override;
  std::vector<CallSummary> calls(bool failed_only, std::string* error) override;
  std::optional<StoredCall> call(const CallSummary& row, std::string* error) override;
  std::optional<StoredConversation> conversation(const CallSummary& row,
                                                 std::string* error) override;

 private:
  bool in_memory(std::string* error) const;

  const Analysis& analysis_;
  std::string case_name_;
};

}  // namespace fedtriage
