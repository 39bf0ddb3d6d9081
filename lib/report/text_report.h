// The terminal report of `fedtriage analyze`: a summary, then every failed call with its
// root cause, fix and evidence lines (file:line).
#pragma once

#include <string>
#include <vector>

#include "lib/report/case_todo.h"

namespace fedtriage {

class CaseView;

struct TextReportOptions {
  bool color = false;      // ANSI colours (the caller decides: terminal, NO_COLOR, --no-color)
  bool all_calls = false;  // also list healthy calls, one line each
};

// `view`: the case just analysed (case_view.h).
std::string analysis_to_text(const CaseView& view, const TextReportOptions& options = {});

// "To do for this case" and its items, as the analysis report ends; "" for no item.
std::string case_todo_to_text(const std::vector<TodoItem>& todo, bool color);

}  // namespace fedtriage
