#include "lib/report/cases_text.h"

#include <ostream>

#include "lib/report/terminal_text.h"

namespace fedtriage {
namespace {

std::string join_paths(const std::vector<std::string>& paths) {
  std::string out;
  for (const std::string& p : paths) out += (out.empty() ? "" : ", ") + p;
  return out;
}

}  // namespace

CasesTextWriter::CasesTextWriter(std::ostream& out, TextReportOptions options, bool single_case,
                                 std::string shown_db)
    : out_(out), options_(options), single_(single_case), shown_db_(std::move(shown_db)) {}

void CasesTextWriter::add(const CaseTextHead& head, const std::string& stored_report,
                          const CaseView* analysis) {
  if (!single_) {
    out_ << (written_ ? "\n" : "") << "== case " << terminal_safe(head.name) << " ("
         << terminal_safe(join_paths(head.paths)) << ")"
         << (head.skipped.empty() ? "" : ": " + head.skipped) << "\n";
  } else if (!head.skipped.empty()) {
    out_ << "fedtriage: " << terminal_safe(join_paths(head.paths)) << ": " << head.skipped << "\n";
  }
  ++written_;
  out_ << stored_report;
  if (analysis) out_ << analysis_to_text(*analysis, options_);
  if (single_ && !shown_db_.empty() && head.analysed) {
    out_ << "\nStored in " << terminal_safe(shown_db_) << " (case " << terminal_safe(head.name)
         << ").\n";
  }
}

void CasesTextWriter::end(size_t analysed, size_t already_stored) {
  if (!single_ && !shown_db_.empty()) {
    out_ << "\nStored in " << terminal_safe(shown_db_) << ": " << analysed << " case(s) analysed, "
         << already_stored << " already stored.\n";
  }
}

}  // namespace fedtriage
