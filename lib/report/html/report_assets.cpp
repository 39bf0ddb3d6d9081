#include "lib/report/html/report_assets.h"

#include <utility>

namespace fedtriage {
namespace {

// lib/report/html/assets/* as compiled in by scripts/embed_text.cmake.
constexpr std::pair<std::string_view, std::string_view> kAssets[] = {
#include "embedded_report_assets.inc"
};

std::string_view asset(std::string_view name) {
  for (const auto& [file, text] : kAssets) {
    if (file == name) return text;
  }
  return {};  // a missing asset fails the report's tests, not the build
}

}  // namespace

std::string_view report_css() {
  return asset("report.css");
}

std::string_view report_body_html() {
  return asset("report_body.html");
}

std::string_view report_js() {
  return asset("report.js");
}

}  // namespace fedtriage
