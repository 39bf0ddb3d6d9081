// The text, JSON and CSV forms of `fedtriage summary`, and the `fedtriage cases` listing.
// No times in the summary: the same database always gives the same summary.
#pragma once

#include <string>
#include <vector>

#include "lib/report/summary/cross_case_summary.h"
#include "lib/store/case_summary.h"

namespace fedtriage {

std::string summary_to_text(const CrossCaseSummary& s);
std::string summary_to_json(const CrossCaseSummary& s);
// One table, one row per figure (long format, for spreadsheets and pivots):
// section,rule_id,title,place,case,calls,failed_calls,findings,cases
std::string summary_to_csv(const CrossCaseSummary& s);

// "case  files  inputs  calls  failed  findings  analysed" with one line per case.
std::string cases_to_text(const std::vector<CaseOverview>& cases);

// "domain=a.example fqdn=b.example".
std::string place_text(const Fields& key);

}  // namespace fedtriage
