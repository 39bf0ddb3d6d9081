#include "lib/ladder/ladder_text.h"

#include <algorithm>

#include "lib/core/timestamp.h"
#include "lib/output/terminal_text.h"

namespace fedtriage {
namespace {

// Time, failure mark and arrow number: "07:10:46.231 ! 2 ".
constexpr int kGutter = 17;
constexpr int kMinSpacing = 12;  // columns per host: a short label and room for an arrow label

enum class Paint : uint8_t { None, Bold, Red, Yellow, Dim, Cyan };

std::string_view code(Paint p) {
  switch (p) {
    case Paint::Bold:
      return "1";
    case Paint::Red:
      return "1;31";
    case Paint::Yellow:
      return "33";
    case Paint::Dim:
      return "2";
    case Paint::Cyan:
      return "36";
    case Paint::None:
      break;
  }
  return "0";
}

struct Style {
  bool on;
  std::string paint(Paint p, const std::string& text) const {
    if (!on || p == Paint::None) return text;
    return "\x1b[" + std::string(code(p)) + "m" + text + "\x1b[0m";
  }
};

// Splits terminal-safe text into code points, one per cell (every character counted as one
// column wide; the ladder's text is host names and SIP tokens, mostly ASCII).
std::vector<std::string> cells_of(std::string_view text) {
  const std::string safe = terminal_safe(text);
  std::vector<std::string> cells;
  for (size_t i = 0; i < safe.size();) {
    size_t n = 1;
    const auto c = static_cast<unsigned char>(safe[i]);
    if (c >= 0xF0) {
      n = 4;
    } else if (c >= 0xE0) {
      n = 3;
    } else if (c >= 0xC0) {
      n = 2;
    }
    cells.push_back(safe.substr(i, n));
    i += n;
  }
  return cells;
}

// One line of the drawing, cell by cell, each with its colour.
class Row {
 public:
  explicit Row(int width) : cells_(static_cast<size_t>(width), " "), paint_(cells_.size()) {}
  int width() const { return static_cast<int>(cells_.size()); }
  void put(int x, const std::string& cell, Paint p = Paint::None) {
    if (x < 0 || x >= width()) return;
    cells_[static_cast<size_t>(x)] = cell;
    paint_[static_cast<size_t>(x)] = p;
  }
  // Writes `text` from x on; cut with '~' when it would pass `limit` (exclusive).
  void write(int x, std::string_view text, Paint p = Paint::None, int limit = -1) {
    if (limit < 0 || limit > width()) limit = width();
    const std::vector<std::string> cs = cells_of(text);
    const int room = limit - x;
    if (room <= 0) return;
    const bool cut = static_cast<int>(cs.size()) > room;
    const int n = cut ? room : static_cast<int>(cs.size());
    for (int i = 0; i < n; ++i) put(x + i, cut && i == n - 1 ? "~" : cs[static_cast<size_t>(i)], p);
  }
  std::string render(const Style& s) const {
    std::string out;
    size_t end = cells_.size();
    while (end > 0 && cells_[end - 1] == " ") --end;
    Paint current = Paint::None;
    std::string run;
    for (size_t i = 0; i < end; ++i) {
      if (paint_[i] != current) {
        out += s.paint(current, run);
        run.clear();
        current = paint_[i];
      }
      run += cells_[i];
    }
    out += s.paint(current, run);
    return out + "\n";
  }

 private:
  std::vector<std::string> cells_;
  std::vector<Paint> paint_;
};

std::string clock(int64_t ms) {
  return format_clock_utc(ms);
}

struct Layout {
  int width = 0;
  int spacing = 0;
  std::vector<int> x;  // per column
};

Layout layout_for(size_t columns, int width) {
  Layout l;
  l.width = width;
  if (columns == 0) return l;
  l.spacing = (width - kGutter) / static_cast<int>(columns);
  if (columns == 1) l.spacing = std::min(l.spacing, 30);
  for (size_t i = 0; i < columns; ++i) {
    l.x.push_back(kGutter + l.spacing / 2 + static_cast<int>(i) * l.spacing);
  }
  return l;
}

Row bars(const Layout& l) {
  Row r(l.width);
  for (int x : l.x) r.put(x, "|");
  return r;
}

// Head of a column over two lines: role words, then the name ("Skype server" /
// "sfbfe.skype.lab"); a label that fits goes on the second line alone.
std::pair<std::string, std::string> split_label(const std::string& label, int room) {
  if (static_cast<int>(cells_of(label).size()) <= room) return {"", label};
  const size_t sp = label.rfind(' ');
  if (sp == std::string::npos) return {"", label};
  return {label.substr(0, sp), label.substr(sp + 1)};
}

void centre(Row& r, int x, const std::string& text, int room, Paint p) {
  const int n = std::min(static_cast<int>(cells_of(text).size()), room);
  const int start = x - n / 2;
  r.write(start, text, p, start + n);
}

// Text next to the span [left, right] of a row: to the right of `left` when it fits there,
// else ending left of `right` when there is more room on that side.
void write_beside(Row& r, int left, int right, const std::string& text, Paint p) {
  const int len = static_cast<int>(cells_of(text).size());
  const int room_right = r.width() - (left + 2);
  const int room_left = right - 2 - kGutter;
  if (len <= room_right || room_right >= room_left) {
    r.write(left + 2, text, p);
  } else {
    const int start = std::max(kGutter, right - 1 - len);
    r.write(start, text, p, right - 1);
  }
}

std::string arrow_number(size_t n) {
  std::string s = std::to_string(n);
  return s.size() < 2 ? " " + s : s;
}

std::string note_prefix(EventKind k) {
  switch (k) {
    case EventKind::Diagnostic:
      return "";
    case EventKind::Tls:
      return "TLS: ";
    case EventKind::Tcp:
      return "TCP: ";
    case EventKind::Dns:
      return "DNS: ";
    case EventKind::CallEvent:
      return "";
    case EventKind::Sip:
      break;
  }
  return "";
}

std::string plain_list(const Ladder& ladder, const Style& s) {
  std::string out;
  size_t number = 0;
  for (const LadderStep& step : ladder.steps) {
    if (step.is_arrow) {
      const LadderArrow& a = ladder.arrows[step.index];
      ++number;
      std::string line = clock(a.ts_ms) + (a.failing ? " ! " : "   ") + arrow_number(number) +
                         "  " + ladder.columns[a.from].label + " -> " + ladder.columns[a.to].label +
                         ": " + a.label;
      out += s.paint(a.failing ? Paint::Red : Paint::None, terminal_safe(line)) + "\n";
      for (const std::string& d : a.diagnostics) {
        out += s.paint(Paint::Yellow, terminal_safe("                    ms-diagnostics: " + d)) +
               "\n";
      }
    } else {
      const LadderNote& n = ladder.notes[step.index];
      out += s.paint(n.error ? Paint::Red : Paint::Dim,
                     terminal_safe(clock(n.ts_ms) + "     *  " + ladder.columns[n.column].label +
                                   ": " + note_prefix(n.kind) + n.text)) +
             "\n";
    }
  }
  return out;
}

std::string party(const std::string& display, const std::string& uri) {
  if (display.empty()) return uri.empty() ? "?" : uri;
  return "\"" + display + "\" <" + uri + ">";
}

std::string where(const Origin& o) {
  return o.file + ":" + std::to_string(o.line);
}

}  // namespace

int ladder_width_needed(size_t columns) {
  return kGutter + static_cast<int>(columns) * kMinSpacing;
}

std::string ladder_to_text(const Ladder& ladder, const LadderTextOptions& options) {
  const Style s{options.color};
  if (ladder.columns.empty()) return "  (nothing to draw: no SIP message or note in this call)\n";
  const int width = std::max(options.width, kGutter + kMinSpacing);
  if (ladder_width_needed(ladder.columns.size()) > width) {
    const int need = (ladder_width_needed(ladder.columns.size()) + 9) / 10 * 10;
    return "  The ladder has " + std::to_string(ladder.columns.size()) + " hosts and needs " +
           std::to_string(need) + " columns: run with --width " + std::to_string(need) +
           " to draw it. Its steps as a list:\n" + plain_list(ladder, s);
  }
  const Layout l = layout_for(ladder.columns.size(), width);
  std::string out;
  // Column heads.
  Row top(width), bottom(width);
  top.write(0, "UTC", Paint::Dim);
  for (size_t c = 0; c < ladder.columns.size(); ++c) {
    const auto [first, second] = split_label(ladder.columns[c].label, l.spacing - 1);
    centre(top, l.x[c], first, l.spacing - 1, Paint::Cyan);
    centre(bottom, l.x[c], second, l.spacing - 1, Paint::Cyan);
  }
  out += top.render(s) + bottom.render(s) + bars(l).render(s);

  size_t number = 0;
  for (const LadderStep& step : ladder.steps) {
    if (!step.is_arrow) {
      const LadderNote& n = ladder.notes[step.index];
      Row r = bars(l);
      r.write(0, clock(n.ts_ms), Paint::Dim);
      const int x = l.x[n.column];
      r.put(x, "*", n.error ? Paint::Red : Paint::Yellow);
      write_beside(r, x, x, note_prefix(n.kind) + n.text, n.error ? Paint::Red : Paint::Dim);
      out += r.render(s);
      continue;
    }
    const LadderArrow& a = ladder.arrows[step.index];
    ++number;
    const Paint p = a.failing ? Paint::Red : Paint::None;
    Row r = bars(l);
    r.write(0, clock(a.ts_ms));
    if (a.failing) r.put(13, "!", Paint::Red);
    r.write(15, arrow_number(number));
    const int from = l.x[a.from], to = l.x[a.to];
    if (from == to) {
      r.write(from + 1, "<~ " + a.label, p);
    } else {
      const int left = std::min(from, to), right = std::max(from, to);
      const std::string line = a.failing ? "=" : "-";
      for (int x = left + 1; x < right; ++x) r.put(x, line, p);
      if (to > from) {
        r.put(right - 1, ">", p);
      } else {
        r.put(left + 1, "<", p);
      }
      // The label in the middle of the shaft, with a space either side.
      const int room = right - left - 5;
      if (room > 0) {
        std::vector<std::string> cs = cells_of(a.label);
        const int n = std::min(static_cast<int>(cs.size()), room);
        const int start = left + 2 + (room - n) / 2 + 1;
        r.put(start - 1, " ", p);
        r.write(start, a.label, p, start + n);
        r.put(start + n, " ", p);
      }
    }
    out += r.render(s);
    for (const std::string& d : a.diagnostics) {
      Row dr = bars(l);
      write_beside(dr, std::min(l.x[a.from], l.x[a.to]), std::max(l.x[a.from], l.x[a.to]),
                   "ms-diagnostics: " + d, Paint::Yellow);
      out += dr.render(s);
    }
  }
  out += bars(l).render(s);
  return out;
}

std::string call_to_text(const StoredCall& stored, const Ladder& ladder,
                         const LadderTextOptions& options) {
  const Style s{options.color};
  const CallSummary& c = stored.call;
  std::string out;
  out += s.paint(Paint::Bold, "Call " + terminal_safe(c.call_id)) +
         (c.case_name.empty() ? "" : "  (case " + terminal_safe(c.case_name) + ")") + "\n";
  out += "  From:    " + terminal_safe(party(c.from_display, c.from_uri)) + "\n";
  out += "  To:      " + terminal_safe(c.to_uri.empty() ? "?" : c.to_uri) + "\n";
  if (!c.method.empty()) {
    out += "  Request: " + terminal_safe(c.method + " " + c.request_uri) + "\n";
  }
  out += "  Time:    " + format_iso_utc(c.first_ms) + " .. " + format_iso_utc(c.last_ms) + " (" +
         std::to_string(c.last_ms - c.first_ms) + " ms)\n";
  std::string status = c.final_status == 0
                           ? "no final response seen"
                           : std::to_string(c.final_status) + " " + terminal_safe(c.final_reason);
  if (c.failed()) status = s.paint(Paint::Red, status + "  FAILED");
  out += "  Status:  " + status + "\n";
  std::string sources;
  for (Source src : c.sources)
    sources += (sources.empty() ? "" : ", ") + std::string(to_string(src));
  out += "  Sources: " + sources + "   events: " + std::to_string(stored.events.size()) +
         "   hosts: " + std::to_string(ladder.columns.size()) + "\n\n";

  out += ladder_to_text(ladder, options);

  // Every message with the lines that logged it.
  if (!ladder.arrows.empty()) out += "\n" + s.paint(Paint::Bold, "Messages") + "\n";
  size_t number = 0;
  for (const LadderStep& step : ladder.steps) {
    if (!step.is_arrow) continue;
    const LadderArrow& a = ladder.arrows[step.index];
    ++number;
    std::string head = arrow_number(number) + "  " + clock(a.ts_ms) + "  " + a.label + "  (" +
                       ladder.columns[a.from].label + " -> " + ladder.columns[a.to].label + ")";
    out += "  " + s.paint(a.failing ? Paint::Red : Paint::None, terminal_safe(head)) + "\n";
    for (size_t i : a.events) {
      const StoredEvent& e = stored.events[i];
      const std::string verb = e.direction == Direction::Out  ? "sent by"
                               : e.direction == Direction::In ? "received by"
                                                              : "seen by";
      out += "        " + verb + " " + terminal_safe(logging_host_label(e.source, e.host)) + "  " +
             s.paint(Paint::Dim, terminal_safe(where(e.origin))) + "\n";
    }
  }

  if (!ladder.notes.empty()) out += "\n" + s.paint(Paint::Bold, "Other events") + "\n";
  for (const LadderNote& n : ladder.notes) {
    const StoredEvent& e = stored.events[n.event];
    out += "  " + clock(n.ts_ms) + "  " + std::string(to_string(n.kind)) + "  " +
           s.paint(n.error ? Paint::Red : Paint::None,
                   terminal_safe(ladder.columns[n.column].label + ": " + n.text)) +
           "\n";
    if (!e.link_reason.empty())
      out += "        tied to the call: " + terminal_safe(e.link_reason) + "\n";
    out += "        " + s.paint(Paint::Dim, terminal_safe(where(e.origin))) + "\n";
  }

  out += "\n" + s.paint(Paint::Bold, "Findings") + "\n";
  if (stored.findings.empty()) {
    out += c.failed() ? "  none: no rule explains this failure\n" : "  none\n";
  }
  for (const StoredFinding& f : stored.findings) {
    std::string sev(to_string(f.severity));
    for (char& ch : sev) ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
    out += "  " +
           s.paint(f.severity >= FindingSeverity::Error ? Paint::Red : Paint::Yellow,
                   "[" + sev + "]") +
           " " + terminal_safe(f.rule_id + ": " + f.title) + "\n";
    out += "  Root cause: " + terminal_safe(f.root_cause) + "\n";
    out += "  Fix: " + terminal_safe(f.fix) + "\n";
    if (!f.evidence.empty()) out += "  Evidence:\n";
    for (const StoredEvidence& ev : f.evidence) {
      out += "    " + terminal_safe(ev.file + ":" + std::to_string(ev.line)) + "  " +
             terminal_safe(ev.text) + "\n";
    }
  }
  return out;
}

}  // namespace fedtriage
