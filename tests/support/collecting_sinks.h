// Test helpers: sinks that keep what a parser emits, and a line feeder for fixture files.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "lib/core/event.h"
#include "lib/core/problem.h"
#include "parsers/log_parser.h"

namespace fedtriage::testing {

struct CollectingEvents : EventSink {
  std::vector<Event> events;
  void on_event(Event&& e) override { events.push_back(std::move(e)); }
};

struct CollectingProblems : ProblemSink {
  std::vector<Problem> problems;
  void on_problem(Problem p) override { problems.push_back(std::move(p)); }
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Splits on '\n', drops a trailing '\r', feeds every line, then finishes.
inline void feed_text(LogParser& parser, std::string_view text) {
  uint64_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    parser.feed(line, ++line_no);
    pos = nl + 1;
  }
  parser.finish();
}

}  // namespace fedtriage::testing
