// The terminal report of `fedtriage analyze`: a summary, then every failed call with its
// root cause, fix and evidence lines (file:line).
#pragma once

#include <string>

namespace fedtriage {

struct Analysis;

struct TextReportOptions {
  bool color = false;      // ANSI colours (the caller decides: terminal, NO_COLOR, --no-color)
  bool all_calls = false;  // also list healthy calls, one line each
};

std::string analysis_to_text(const Analysis& analysis, const TextReportOptions& options = {});

}  // namespace fedtriage
