// The static parts of the HTML report: its style sheet, page skeleton and script, edited as the
// files they are in lib/report/html/assets/ and compiled in. They hold no data; the script reads
// the JSON blocks the writer puts beside them.
#pragma once

#include <string_view>

namespace fedtriage {

std::string_view report_css();
std::string_view report_body_html();  // everything in <body> before the data blocks
std::string_view report_js();

}  // namespace fedtriage
