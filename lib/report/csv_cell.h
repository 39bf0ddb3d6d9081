// One CSV cell (RFC 4180) that is also safe to open in a spreadsheet and to print.
#pragma once

#include <string>

namespace fedtriage {

// Log text as a CSV cell: controls escaped as on the terminal (\x1b, \x9b ...), so neither a
// terminal showing the file nor a spreadsheet sees escape sequences; a cell a spreadsheet would
// run as a formula (starting with = + - @, tab or CR: OWASP's CSV injection list) gets a
// leading single quote; quoted when needed.
std::string csv_cell(const std::string& text);

}  // namespace fedtriage
