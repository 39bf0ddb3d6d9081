// `analyze --format json`: the whole analysis as one JSON object (documented in README.md).
#pragma once

#include <iosfwd>
#include <string>

namespace fedtriage {

class CaseView;

struct JsonReportOptions {
  bool failed_only = false;  // only calls that failed or have a finding
  int indent = 2;            // -1: one line
};

// `view`: the case just analysed (case_view.h).
std::string analysis_to_json(const CaseView& view, const JsonReportOptions& options = {});

// The same text written to `out` a call at a time: memory holds one call's JSON, not the
// report (tens of MB for a multi-GB bundle).
void write_analysis_json(const CaseView& view, const JsonReportOptions& options, std::ostream& out);

}  // namespace fedtriage
