// `fedtriage report`: one self-contained HTML file (no network, no external scripts, fonts or
// styles) with a summary, a filterable call list, and per call its SIP ladder as SVG, the
// finding and the non-SIP timeline. Call data sits in JSON blocks drawn only when opened, so
// a report of 10,000 calls stays usable.
#pragma once

#include <string>
#include <vector>

#include "lib/core/input_record.h"

namespace fedtriage {

class ReportModel;
class Store;

struct HtmlReportOptions {
  std::string title = "fedtriage report";
  // The inputs with their problems, when the caller has them (`analyze --html`); the store's
  // summary counts are shown otherwise.
  const std::vector<InputRecord>* inputs = nullptr;
  uint64_t max_calls = 0;  // 0: every call of the case(s)
  // Every call's ladder, events and raw messages embedded. Default: only those of calls that
  // failed or have a finding; the others are listed, and opening one says how to see it
  // (`show`, `report --full`): a SIP-dense bundle's report shrinks ~10x.
  bool full = false;
  // Only these calls (Call-IDs of the case), opened first: a page for one call of a ticket.
  std::vector<std::string> only_calls;
};

// Writes the report of `case_name` ("" = every case) to `path` through OutputFile ("-" is
// standard output; links, FIFOs and devices are written through; a regular file is replaced
// only when complete). False with `*error` set on failure.
bool write_html_report(Store& store, const std::string& case_name, const std::string& path,
                       std::string* error);
bool write_html_report(Store& store, const std::string& case_name, const std::string& path,
                       const HtmlReportOptions& options, std::string* error);
// The same from any report model (report_model.h): the store's, or an analysis in memory.
bool write_html_report(ReportModel& model, const std::string& path,
                       const HtmlReportOptions& options, std::string* error);

// JSON text made safe inside <script type="application/json">: '<', '>' and '&' become \u
// escapes, so neither "</script" nor "<!--" can appear.
std::string json_for_script(const std::string& json);

}  // namespace fedtriage
