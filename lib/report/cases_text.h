// `analyze` in text around the analyses, the twin of cases_json.h: one case prints its report
// (text_report.h), preceded by what was skipped; several print "== case NAME (PATHS): skipped"
// before each case, in PATH order as they finish, and end with what the database now holds.
// A case already stored prints its stored report (stored_case_report.h) in its place.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "lib/report/text_report.h"

namespace fedtriage {

class CaseView;

struct CaseTextHead {
  std::string name;
  std::vector<std::string> paths;
  std::string skipped;    // what was not read, one phrase; "" when everything was
  bool analysed = false;  // analysed now (not stored already, not failed)
};

class CasesTextWriter {
 public:
  // `shown_db`: the database as the user should read its name; "" without one.
  CasesTextWriter(std::ostream& out, TextReportOptions options, bool single_case,
                  std::string shown_db);
  // `stored_report`: the stored report of a case not analysed again ("" for none); `analysis`:
  // the case just analysed (case_view.h), null when it was not.
  void add(const CaseTextHead& head, const std::string& stored_report, const CaseView* analysis);
  // `analysed` and `already_stored`: how many cases were, for the closing line.
  void end(size_t analysed, size_t already_stored);

 private:
  std::ostream& out_;
  TextReportOptions options_;
  bool single_;
  std::string shown_db_;
  size_t written_ = 0;
};

}  // namespace fedtriage
