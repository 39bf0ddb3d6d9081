// `analyze --format json` around the analyses: one case prints its analysis (json_report.h);
// several print {"cases": [{"case", "paths", "skipped", "files_read", "files_already_stored",
// "analysis"}, ...]}, each case as it finishes, in PATH order. The one place that builds the
// envelope (README "analyze --format json").
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "lib/report/json_report.h"

namespace fedtriage {

class CaseView;

struct CaseJsonHead {
  std::string name;
  std::vector<std::string> paths;
  bool skipped = false;  // already stored: not analysed again
  size_t files_read = 0;
  size_t files_already_stored = 0;
};

class CasesJsonWriter {
 public:
  CasesJsonWriter(std::ostream& out, JsonReportOptions options, bool single_case);
  void begin();
  // `analysis`: the case just analysed (case_view.h); null when it was not (stored already,
  // or failed).
  void add(const CaseJsonHead& head, const CaseView* analysis);
  void end();

 private:
  std::ostream& out_;
  JsonReportOptions options_;
  bool single_;
  size_t written_ = 0;
};

}  // namespace fedtriage
