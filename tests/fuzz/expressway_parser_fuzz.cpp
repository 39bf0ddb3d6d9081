// libFuzzer target: arbitrary bytes as an Expressway (tvcs) diagnostic log, fed line by line,
// and every event it emits through the JSON and terminal-safe output paths.
// Besides not crashing, checks invariants callers rely on.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "lib/report/event_json.h"
#include "lib/report/terminal_text.h"
#include "parsers/expressway/expressway_parser.h"
#include "parsers/expressway/tvcs_line.h"

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

// No byte that a terminal would act on may survive terminal_safe.
void check_terminal_safe(std::string_view text) {
  const std::string safe = fedtriage::terminal_safe(text);
  for (unsigned char c : safe) check(c >= 0x20 && c != 0x7f);
  check(no_c1(safe));
}

struct CheckingEvents : fedtriage::EventSink {
  uint64_t lines = 0;
  void on_event(fedtriage::Event&& e) override {
    check(e.origin.file == "fuzz.log");
    check(e.origin.line >= 1 && e.origin.line <= lines);
    check(e.kind != fedtriage::EventKind::Sip || e.sip.has_value());
    const std::string json = fedtriage::event_to_json(e, {.include_raw = true});
    check(nlohmann::json::accept(json));
    check(no_c1(json) && json.find('\x7f') == std::string::npos);
    check_terminal_safe(e.summary);
    check_terminal_safe(e.call_id);
  }
};

struct CheckingProblems : fedtriage::ProblemSink {
  void on_problem(fedtriage::Problem p) override {
    check(p.file == "fuzz.log");
    check(!p.message.empty());
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckingEvents events;
  CheckingProblems problems;
  fedtriage::ParserContext ctx;
  ctx.file = "fuzz.log";
  ctx.events = &events;
  ctx.problems = &problems;
  fedtriage::ExpresswayParser parser(ctx);
  uint64_t line_no = 0;
  size_t pos = 0;
  std::vector<fedtriage::TvcsAttribute> attrs;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    events.lines = ++line_no;
    parser.feed(line, line_no);
    if (auto tvcs = fedtriage::split_tvcs_line(line)) {
      attrs.clear();
      fedtriage::scan_tvcs_attributes(tvcs->body, attrs);
      for (const auto& a : attrs) (void)fedtriage::normalize_tvcs_key(a.key);
    }
    pos = nl + 1;
  }
  parser.finish();
  (void)fedtriage::looks_like_expressway_log(text);
  return 0;
}
