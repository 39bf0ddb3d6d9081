#include "lib/report/ladder/call_markdown.h"

#include <algorithm>

#include "lib/core/timestamp.h"
#include "lib/report/ladder/conversation_view.h"
#include "lib/report/ladder/ladder_text.h"
#include "lib/report/terminal_text.h"

namespace fedtriage {
namespace {

size_t longest_backtick_run(const std::string& s) {
  size_t best = 0, run = 0;
  for (char c : s) {
    run = c == '`' ? run + 1 : 0;
    best = std::max(best, run);
  }
  return best;
}

// Inline text: characters Markdown would read as markup are backslash-escaped.
std::string md_text(const std::string& raw) {
  std::string out;
  for (char c : terminal_safe(raw)) {
    if (std::string_view("\\`*_[]<>|#!").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// A code span that holds any text, backticks included.
std::string md_code(const std::string& raw) {
  const std::string text = terminal_safe(raw);
  const std::string fence(longest_backtick_run(text) + 1, '`');
  const bool pad = !text.empty() && (text.front() == '`' || text.back() == '`');
  return fence + (pad ? " " : "") + text + (pad ? " " : "") + fence;
}

}  // namespace

std::string call_to_markdown(const StoredCall& stored, const Ladder& ladder, int width) {
  const CallSummary& c = stored.call;
  std::string out = "### Call " + md_code(c.call_id) +
                    (c.case_name.empty() ? "" : " (case " + md_text(c.case_name) + ")") + "\n\n";
  const std::string from = c.from_display.empty()
                               ? (c.from_uri.empty() ? "?" : c.from_uri)
                               : "\"" + c.from_display + "\" <" + c.from_uri + ">";
  out += "- **From:** " + md_code(from) + "\n";
  out += "- **To:** " + md_code(c.to_uri.empty() ? "?" : c.to_uri) + "\n";
  if (!c.method.empty()) out += "- **Request:** " + md_code(c.method + " " + c.request_uri) + "\n";
  out += "- **Time:** " + format_iso_utc(c.first_ms) + " .. " + format_iso_utc(c.last_ms) + " (" +
         std::to_string(c.last_ms - c.first_ms) + " ms)\n";
  out += "- **Status:** " +
         (c.final_status == 0 ? std::string("no final response seen")
                              : std::to_string(c.final_status) + " " + md_text(c.final_reason)) +
         (c.failed() ? " (failed)" : "") + "\n\n";

  LadderTextOptions options;
  options.width = width;  // colour stays off: no escape sequences in a ticket
  const std::string ladder_text = ladder_to_text(ladder, options);
  const std::string fence(std::max<size_t>(3, longest_backtick_run(ladder_text) + 1), '`');
  out +=
      fence + "text\n" + ladder_text + (ladder_text.ends_with('\n') ? "" : "\n") + fence + "\n\n";

  out += "#### Findings\n\n";
  if (stored.findings.empty()) {
    out += c.failed() ? "None: no rule explains this failure.\n" : "None.\n";
  }
  for (const StoredFinding& f : stored.findings) {
    out += "- **" + md_text(f.rule_id) + "** (" + std::string(to_string(f.severity)) +
           "): " + md_text(f.title) + "\n";
    out += "  - Root cause: " + md_text(f.root_cause) + "\n";
    out += "  - Fix: " + md_text(f.fix) + "\n";
    if (!f.evidence.empty()) out += "  - Evidence:\n";
    for (const StoredEvidence& ev : f.evidence) {
      out += "    - " + md_code(ev.file + ":" + std::to_string(ev.line)) +
             (ev.text.empty() ? "" : " " + md_code(ev.text)) + "\n";
    }
  }
  return out;
}

std::string conversation_to_markdown(const StoredConversation& cv,
                                     const std::vector<StoredCall>& legs, int width) {
  std::string out = "### Conversation " + md_code(cv.id) +
                    (cv.case_name.empty() ? "" : " (case " + md_text(cv.case_name) + ")") + "\n\n";
  for (size_t k = 0; k < legs.size(); ++k) {
    const CallSummary& c = legs[k].call;
    out += "- **Leg " + std::to_string(k + 1) + ":** " + md_code(c.call_id) + " " +
           md_code(c.method + " " + c.request_uri) + " → " +
           (c.final_status == 0 ? std::string("no final response seen")
                                : std::to_string(c.final_status) + " " + md_text(c.final_reason)) +
           "\n";
  }
  LadderTextOptions options;
  options.width = width;  // colour stays off: no escape sequences in a ticket
  const std::string view = conversation_to_text(cv, legs, options);
  const std::string fence(std::max<size_t>(3, longest_backtick_run(view) + 1), '`');
  out += "\n" + fence + "text\n" + view + (view.ends_with('\n') ? "" : "\n") + fence + "\n";
  return out;
}

}  // namespace fedtriage
