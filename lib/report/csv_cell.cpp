#include "lib/report/csv_cell.h"

#include <string_view>

#include "lib/report/terminal_text.h"

namespace fedtriage {

std::string csv_cell(const std::string& text) {
  std::string s = terminal_safe(text);
  if (!text.empty() && std::string_view("=+-@\t\r").find(text[0]) != std::string_view::npos) {
    s = "'" + s;
  }
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace fedtriage
