#include "lib/report/store_report_model.h"

#include <algorithm>
#include <utility>

#include "lib/base/natural_order.h"
#include "lib/store/store.h"

namespace fedtriage {
namespace {

class StoreReportModel : public ReportModel {
 public:
  StoreReportModel(Store& store, std::string case_name, uint64_t max_calls)
      : store_(store), case_name_(std::move(case_name)), max_calls_(max_calls) {}

  const std::string& case_name() const override { return case_name_; }

  std::optional<StoreSummary> summary(std::string* error) override {
    return store_.summary(case_name_, error);
  }

  std::vector<CallSummary> calls(bool failed_only, std::string* error) override {
    CallQuery q;
    q.case_name = case_name_;
    q.failed_only = failed_only;
    q.limit = max_calls_;
    return store_.list_calls(q, error);
  }

  std::optional<StoredCall> call(const CallSummary& row, std::string* error) override {
    return store_.load_call(row.call_id, row.case_name, error);
  }

  std::optional<StoredConversation> conversation(const CallSummary& row,
                                                 std::string* error) override {
    return store_.load_conversation(row.call_id, row.case_name, error);
  }

  std::optional<CaseDigest> digest(std::string* error) override {
    std::optional<CaseDigest> digest = store_.case_digest(error);
    if (!digest) return digest;
    if (!case_name_.empty()) {
      std::erase_if(digest->cases, [&](const CaseOverview& c) { return c.name != case_name_; });
      std::erase_if(digest->findings,
                    [&](const CaseFinding& f) { return f.case_name != case_name_; });
    }
    // The store gives them by name as bytes compare; stable: findings keep their stored order.
    std::stable_sort(
        digest->cases.begin(), digest->cases.end(),
        [](const CaseOverview& a, const CaseOverview& b) { return natural_less(a.name, b.name); });
    std::stable_sort(digest->findings.begin(), digest->findings.end(),
                     [](const CaseFinding& a, const CaseFinding& b) {
                       return natural_less(a.case_name, b.case_name);
                     });
    return digest;
  }

 private:
  Store& store_;
  std::string case_name_;
  uint64_t max_calls_;
};

}  // namespace

std::unique_ptr<ReportModel> store_report_model(Store& store, std::string case_name,
                                                uint64_t max_calls) {
  return std::make_unique<StoreReportModel>(store, std::move(case_name), max_calls);
}

}  // namespace fedtriage
