#include "lib/report/text_report.h"

#include <map>

#include "lib/core/timestamp.h"
#include "lib/report/case_todo.h"
#include "lib/report/case_view.h"
#include "lib/report/preflight_report.h"
#include "lib/report/terminal_text.h"

namespace fedtriage {
namespace {

struct Style {
  bool on;
  std::string paint(std::string_view code, const std::string& text) const {
    if (!on) return text;
    return "\x1b[" + std::string(code) + "m" + text + "\x1b[0m";
  }
  std::string bold(const std::string& t) const { return paint("1", t); }
  std::string red(const std::string& t) const { return paint("1;31", t); }
  std::string yellow(const std::string& t) const { return paint("33", t); }
  std::string green(const std::string& t) const { return paint("32", t); }
  std::string dim(const std::string& t) const { return paint("2", t); }
};

std::string plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string severity_label(const Style& s, FindingSeverity sev) {
  std::string label = std::string(to_string(sev));
  for (char& c : label) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return sev >= FindingSeverity::Error ? s.red("[" + label + "]") : s.yellow("[" + label + "]");
}

// Terminal-safe text whose line breaks are kept, every line after the first indented.
std::string safe_lines(const std::string& text, const std::string& pad) {
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t nl = text.find('\n', pos);
    out += terminal_safe(std::string_view(text).substr(pos, nl - pos));
    if (nl == std::string::npos) break;
    out += "\n" + pad;
    pos = nl + 1;
  }
  return out;
}

std::string party(const std::string& display, const std::string& uri) {
  if (display.empty()) return uri.empty() ? "?" : uri;
  return "\"" + display + "\" <" + uri + ">";
}

// The conversations of more than one leg, each finding said once for all its legs.
std::string conversations_text(const CaseView& view, const Style& s) {
  std::string out;
  for (const Conversation& c : view.conversations().conversations) {
    if (c.call_ids.size() < 2) continue;
    out += "\n" + s.bold("conversation " + c.id) + "  " + plural(c.call_ids.size(), "leg") + "\n";
    for (const std::string& id : c.call_ids) out += "  leg " + terminal_safe(id) + "\n";
    for (const ConversationFinding& f : view.conversation_findings()) {
      if (f.conversation_id != c.id) continue;
      out += "  " + s.bold(f.rule_id) + ": " + terminal_safe(f.text) + "\n";
    }
  }
  return out;
}

}  // namespace

std::string analysis_to_text(const CaseView& view, const TextReportOptions& options) {
  const Style s{options.color};
  const CaseTotals t = view.totals();
  const std::vector<InputRecord>& inputs = view.inputs();
  std::string out;
  size_t skipped = 0, with_problems = 0;
  for (const InputRecord& in : inputs) {
    if (in.skipped) ++skipped;
    if (!in.problems.empty() && !in.skipped) ++with_problems;
  }
  out += s.bold("fedtriage") + ": " + plural(inputs.size() - skipped, "input") + " read";
  if (skipped) out += " (" + std::to_string(skipped) + " skipped)";
  if (with_problems) out += ", " + std::to_string(with_problems) + " with problems";
  out += ", " + plural(t.events, "event") + ", " + plural(t.calls, "call") + ", " +
         std::to_string(t.failed_calls) + " failed, " + plural(t.findings, "finding") + "\n";
  for (const auto& [rule, n] : t.findings_by_rule)
    out += "  " + rule + ": " + std::to_string(n) + "\n";
  for (const std::string& note : view.notes()) out += s.dim("note: " + terminal_safe(note)) + "\n";

  const auto add_call = [&](const Call& c, const std::vector<const Finding*>& findings) {
    const bool bad = c.failed() || !findings.empty();
    if (!bad) {
      if (options.all_calls) {
        const std::string label = c.outcome == Outcome::Normal ? s.yellow("normal") : s.green("ok");
        out += "\n" + label + "  " + terminal_safe(c.call_id) + "  " + format_iso_utc(c.first_ms) +
               "  " + std::to_string(c.final_status) + "\n";
      }
      return;
    }
    const std::string label = c.failed()                     ? s.red("FAILED")
                              : c.outcome == Outcome::Normal ? s.yellow("normal")
                                                             : s.green("ok");
    out += "\n" + label + " " + s.bold("call " + terminal_safe(c.call_id)) + "  " +
           format_iso_utc(c.first_ms) + "\n";
    out += "  " + terminal_safe(party(c.from_display, c.from_uri)) + " -> " +
           terminal_safe(c.request_uri.empty() ? c.to_uri : c.request_uri) + "\n";
    std::string seen;
    for (Source src : c.sources) seen += (seen.empty() ? "" : ", ") + std::string(to_string(src));
    out += "  final status: " +
           (c.final_status ? std::to_string(c.final_status) + " " + terminal_safe(c.final_reason)
                           : std::string("none seen")) +
           "   seen by: " + seen + "   messages: " + std::to_string(c.message_count) + "\n";
    if (const Conversation* cv = view.conversations().of(c.call_id);
        cv && cv->call_ids.size() > 1) {
      out += "  conversation: " + cv->id + " (" + plural(cv->call_ids.size(), "leg") + ")\n";
    }
    if (c.failed()) {
      out += "  outcome: failed during " + std::string(c.phase == CallPhase::MidDialog
                                                           ? "the dialog (after it was set up)"
                                                           : "setup");
      if (c.failure_status) {
        out += ": " +
               (c.failure_method.empty() ? std::string("answered ")
                                         : terminal_safe(c.failure_method) + " answered ") +
               std::to_string(c.failure_status) + " " + terminal_safe(c.failure_reason);
      } else if (c.phase == CallPhase::MidDialog && !c.failure_method.empty()) {
        out += ": ended by the " + terminal_safe(c.failure_method);
      }
      out += "\n";
    } else {
      out += "  outcome: " + std::string(to_string(c.outcome)) + "\n";
    }
    if (findings.empty() && c.failed()) {
      out += "  " + s.yellow("no rule explains this failure") + "\n";
    }
    for (const Finding* f : findings) {
      out += "  " + severity_label(s, f->severity) + " " + s.bold(f->rule_id) + ": " +
             terminal_safe(f->title) + "\n";
      out += "  " + s.bold("Root cause:") + " " + safe_lines(f->root_cause, "    ") + "\n";
      out += "  " + s.bold("Fix:") + " " + safe_lines(f->fix, "    ") + "\n";
      if (!f->evidence.empty()) out += "  " + s.bold("Evidence:") + "\n";
      for (const Evidence& e : f->evidence) {
        out += "    " + s.dim(terminal_safe(e.file) + ":" + std::to_string(e.line)) + "  " +
               terminal_safe(e.text) + "\n";
      }
    }
  };
  view.for_each_call(add_call, nullptr);
  if (t.failed_calls == 0) out += "\n" + s.green("No failed calls found.") + "\n";
  out += conversations_text(view, s);
  out += case_todo_to_text(case_todo(view), options.color);
  if (!view.certificates().empty()) {
    out += "\n" + s.bold("Expressway certificate in the input") +
           " (checked as `fedtriage check --cert`)\n" +
           preflight::reports_to_text(view.certificates(), options.color);
    while (!out.empty() && out.back() == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  }
  return out;
}

std::string case_todo_to_text(const std::vector<TodoItem>& todo, bool color) {
  if (todo.empty()) return "";
  const Style s{color};
  std::string out =
      "\n" + s.bold("To do for this case") + " (" + plural(todo.size(), "item") + ")\n";
  size_t n = 0;
  for (const TodoItem& item : todo) {
    out +=
        "  " + std::to_string(++n) + ". [" + item.kind + "] " + terminal_safe(item.action) + "\n";
    // The first few calls; the JSON report lists them all.
    constexpr size_t kShown = 10;
    std::string calls;
    for (size_t k = 0; k < item.call_ids.size() && k < kShown; ++k) {
      calls += (calls.empty() ? "" : ", ") + terminal_safe(item.call_ids[k]);
    }
    if (item.call_ids.size() > kShown) {
      calls += " and " + std::to_string(item.call_ids.size() - kShown) + " more";
    }
    out +=
        "     " + s.dim("explains " + plural(item.call_ids.size(), "call") + ": " + calls) + "\n";
  }
  return out;
}

}  // namespace fedtriage
