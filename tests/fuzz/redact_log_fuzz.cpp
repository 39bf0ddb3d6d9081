// libFuzzer target: the log redactor (record framing, SIP messages, text) on arbitrary bytes.
// Besides not crashing: the output has as many line ends as the input (framing and line
// numbers kept), and two runs from an empty map give the same output (no hidden state).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "lib/redact/log_redactor.h"
#include "lib/redact/pseudonym_map.h"
#include "lib/redact/text_redactor.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

std::string redact(std::string_view text, fedtriage::redact::PseudonymMap& map) {
  fedtriage::redact::TextRedactor t(map);
  std::string out;
  fedtriage::redact::LogRedactor r(t, [&](std::string_view s) { out.append(s); });
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      r.line(text.substr(start), "");
      break;
    }
    std::string_view line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
      r.line(line, "\r\n");
    } else {
      r.line(line, "\n");
    }
    start = nl + 1;
  }
  r.finish();
  return out;
}

size_t count_newlines(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += c == '\n' ? 1 : 0;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fedtriage::redact::PseudonymMap map;
  const std::string first = redact(text, map);
  check(count_newlines(first) == count_newlines(text));
  fedtriage::redact::PseudonymMap fresh;
  const std::string second = redact(text, fresh);
  check(first == second);
  // With the map of the first run, the names it mapped are mapped again, not copied: the
  // output may differ only where a host was learned late (streaming), never in line count.
  check(count_newlines(redact(text, map)) == count_newlines(text));
  fedtriage::redact::TextRedactor names(map);
  (void)names.file_name(text.substr(0, 256));
  return 0;
}
