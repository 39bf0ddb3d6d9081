// Inputs shared by the micro-benchmarks: log text in the layout of testdata/ (see
// docs/log-formats.md), built in memory so the benchmarks need no files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lib/core/event.h"
#include "lib/core/problem.h"

namespace fedtriage::bench {

// An Expressway log: `calls` INVITE/504 SIPMSG pairs with INFO twins, each among
// `noise_per_record` developer.* lines.
std::string expressway_log(int calls, int noise_per_record);
// An Edge CLS trace: `calls` TF_PROTOCOL INVITE + TF_DIAG + TF_PROTOCOL 504 records.
std::string edge_log(int calls);
// One SIP message (CRLF line ends), as the parsers hand it to parse_sip_message.
std::string sip_invite();

// Splits text into lines (views into it).
std::vector<std::string_view> split_lines(std::string_view text);

class CountEvents : public EventSink {
 public:
  void on_event(Event&&) override { ++count; }
  size_t count = 0;
};

class IgnoreProblems : public ProblemSink {
 public:
  void on_problem(Problem) override {}
};

}  // namespace fedtriage::bench
