// One CSV cell (RFC 4180) that is also safe to open in a spreadsheet.
#pragma once

#include <string>

namespace fedtriage {

// Quoted when needed; text a spreadsheet would run as a formula (starting with = + - @) gets a
// leading single quote.
std::string csv_cell(const std::string& text);

}  // namespace fedtriage
