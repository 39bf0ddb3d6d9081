#include "lib/report/cases_json.h"

#include <ostream>

#include "lib/base/json_dump.h"

namespace fedtriage {

CasesJsonWriter::CasesJsonWriter(std::ostream& out, JsonReportOptions options, bool single_case)
    : out_(out), options_(options), single_(single_case) {}

void CasesJsonWriter::begin() {
  if (!single_) out_ << "{\"cases\": [\n";
}

void CasesJsonWriter::add(const CaseJsonHead& head, const CaseView* analysis) {
  if (single_ && !head.skipped) {
    if (analysis) write_analysis_json(*analysis, options_, out_);
    out_ << "\n";
    return;
  }
  const nlohmann::ordered_json fields = {{"case", head.name},
                                         {"paths", head.paths},
                                         {"skipped", head.skipped},
                                         {"files_read", head.files_read},
                                         {"files_already_stored", head.files_already_stored}};
  std::string text = dump_json(fields);
  if (single_) {
    out_ << text << "\n";
    return;
  }
  text.pop_back();  // the closing brace: the analysis member follows
  out_ << (written_++ ? ",\n" : "") << text << ", \"analysis\": ";
  if (analysis) {
    write_analysis_json(*analysis, options_, out_);
  } else {
    out_ << "null";
  }
  out_ << "}";
}

void CasesJsonWriter::end() {
  if (!single_) out_ << "\n]}\n";
}

}  // namespace fedtriage
