// libFuzzer target: the whole analysis after the input layer. The bytes are one or more log
// files separated by a line "--8<--"; each is recognised by content (as ingest does) and
// parsed, then the events are correlated, the built-in rules applied, and the JSON and text
// reports produced. Checks that the JSON report is valid JSON and that the text report
// carries no control or escape sequences from the logs.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "lib/analysis/analyzer.h"
#include "lib/report/analysis_case_view.h"
#include "lib/report/json_report.h"
#include "lib/report/text_report.h"
#include "lib/rules/rule_set.h"
#include "parsers/log_parser.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

// No C1 control (U+0080..U+009F, 0xC2 0x80..0x9F in UTF-8): CSI and OSC introducers too.
bool no_c1(std::string_view s) {
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) == 0xc2 && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(s[i + 1]) <= 0x9f) {
      return false;
    }
  }
  return true;
}

struct Collect : fedtriage::EventSink {
  std::vector<fedtriage::Event>* out = nullptr;
  void on_event(fedtriage::Event&& e) override { out->push_back(std::move(e)); }
};
struct NullProblems : fedtriage::ProblemSink {
  void on_problem(fedtriage::Problem) override {}
};

const fedtriage::RuleSet& rules() {
  static const fedtriage::RuleSet* set = new fedtriage::RuleSet(fedtriage::RuleSet::embedded());
  return *set;
}

void parse_file(std::string_view text, int index, fedtriage::Analysis& a) {
  const fedtriage::SniffResult sniff = fedtriage::sniff_format(text.substr(0, 64 * 1024));
  a.inputs.emplace_back();
  a.inputs.back().name = "fuzz" + std::to_string(index) + ".log";
  a.inputs.back().format = std::string(fedtriage::to_string(sniff.format));
  if (sniff.format == fedtriage::LogFormat::Unknown) {
    a.inputs.back().skipped = true;
    return;
  }
  Collect events;
  events.out = &a.events;
  NullProblems problems;
  auto parser = fedtriage::make_parser(
      sniff.format, fedtriage::ParserContext{a.inputs.back().name, &events, &problems, {}});
  uint64_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    parser->feed(line, ++line_no);
    pos = nl + 1;
  }
  parser->finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  fedtriage::Analysis a;
  constexpr std::string_view kSep = "\n--8<--\n";
  int index = 0;
  for (size_t pos = 0; pos <= text.size() && index < 4;) {
    size_t end = text.find(kSep, pos);
    if (end == std::string_view::npos) end = text.size();
    parse_file(text.substr(pos, end - pos), index++, a);
    pos = end + kSep.size();
  }
  std::stable_sort(a.events.begin(), a.events.end(),
                   [](const auto& x, const auto& y) { return x.ts_ms < y.ts_ms; });
  fedtriage::explain(a, rules());
  for (const auto& call : a.calls) (void)fedtriage::findings_of(a, call.call_id);

  const auto view = fedtriage::analysis_case_view(a);
  check(nlohmann::json::accept(fedtriage::analysis_to_json(*view)));
  for (bool all : {false, true}) {
    const std::string report =
        fedtriage::analysis_to_text(*view, {.color = false, .all_calls = all});
    for (unsigned char c : report) check(c == '\n' || (c >= 0x20 && c != 0x7f));
    check(no_c1(report));
  }
  return 0;
}
