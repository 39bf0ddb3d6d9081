#include "lib/report/ladder/ladder_text.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "lib/core/timestamp.h"
#include "lib/report/terminal_text.h"

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

void centre(Row& r, int x, const std::string& text, int room, Paint p) {
  const int n = std::min(static_cast<int>(cells_of(text).size()), room);
  const int start = x - n / 2;
  r.write(start, text, p, start + n);
}

// Splits text into lines of at most `room` cells: at a space, else after a separator of a
// field list or name (';' ',' '=' ':' '/' '.'), else inside a word. Nothing is cut off.
std::vector<std::string> wrap(std::string_view text, int room) {
  const std::vector<std::string> cs = cells_of(text);
  std::vector<std::string> lines;
  if (room < 1) room = 1;
  const int n = static_cast<int>(cs.size());
  auto join = [&](int from, int to) {
    std::string line;
    for (int i = from; i < to; ++i) line += cs[static_cast<size_t>(i)];
    return line;
  };
  int start = 0;
  while (start < n) {
    while (start < n && cs[static_cast<size_t>(start)] == " ") ++start;
    if (start >= n) break;
    if (n - start <= room) {
      lines.push_back(join(start, n));
      break;
    }
    int cut = -1, next = -1;
    for (int i = start + room; i > start; --i) {
      if (cs[static_cast<size_t>(i)] == " ") {
        cut = i;
        next = i + 1;
        break;
      }
    }
    if (cut < 0) {
      for (int i = start + room - 1; i > start; --i) {
        const std::string& c = cs[static_cast<size_t>(i)];
        if (c == ";" || c == "," || c == "=" || c == ":" || c == "/" || c == ".") {
          cut = next = i + 1;
          break;
        }
      }
    }
    if (cut < 0) cut = next = start + room;
    lines.push_back(join(start, cut));
    start = next;
  }
  if (lines.empty()) lines.emplace_back();
  return lines;
}

// The first line wrap() makes of `text`, and the text left after it (to wrap again at
// another width: joining wrapped lines would keep a word split where it no longer needs to be).
std::pair<std::string, std::string> first_line(std::string_view text, int room) {
  const std::vector<std::string> lines = wrap(text, room);
  const std::vector<std::string> cs = cells_of(text);
  const size_t first = cells_of(lines.front()).size();
  size_t start = 0;
  while (start < cs.size() && cs[start] == " ") ++start;
  std::string rest;
  for (size_t i = std::min(start + first, cs.size()); i < cs.size(); ++i) rest += cs[i];
  return {lines.front(), rest};
}

// Head of a column: role words, then the name ("Skype server" / "sfbfe.skype.lab"); a label
// that fits stays on one line, a name too long for the column wraps rather than being cut.
std::vector<std::string> head_lines(const std::string& label, int room) {
  if (static_cast<int>(cells_of(label).size()) <= room) return {label};
  const size_t sp = label.rfind(' ');
  if (sp == std::string::npos) return wrap(label, room);
  std::vector<std::string> lines = wrap(label.substr(0, sp), room);
  for (std::string& part : wrap(label.substr(sp + 1), room)) lines.push_back(std::move(part));
  return lines;
}

// Free cells of a row between two lifelines: [begin, end), a space kept next to each line.
struct Gap {
  int begin = 0;
  int end = 0;
  bool right_align = false;  // text ends next to the lifeline on its right
  int room() const { return end - begin; }
};

// The gap right of column c (to the edge for the last one) and the one left of it (after
// the time gutter for the first).
Gap gap_right(const Layout& l, size_t c) {
  const int end = c + 1 < l.x.size() ? l.x[c + 1] - 1 : l.width;
  return {l.x[c] + 2, end, false};
}
Gap gap_left(const Layout& l, size_t c) {
  const int begin = c == 0 ? kGutter : l.x[c - 1] + 2;
  return {begin, l.x[c] - 1, true};
}

// A note wraps in the free space beside the lifelines; past this many lines it gets rows of
// its own instead (a tall narrow column of words is harder to read than one long line).
constexpr size_t kMaxWrapLines = 3;

// Draws `text` so that it never covers a lifeline: in the gap of `gaps` that needs the fewest
// lines (the first on a tie), its first line on `first` when given and the rest on rows of
// lifelines below. When no gap takes it in kMaxWrapLines lines, the whole text goes on rows
// below without lifelines, from the gutter on, led by `marker`. Appends the rendered rows.
void place(std::string& out, const Style& s, const Layout& l, Row* first,
           const std::vector<Gap>& gaps, const std::string& text, Paint p,
           const std::string& marker, bool centred = false) {
  const Gap* best = nullptr;
  std::vector<std::string> best_lines;
  for (const Gap& g : gaps) {
    if (g.room() < 1) continue;
    std::vector<std::string> lines = wrap(text, g.room());
    if (!best || lines.size() < best_lines.size()) {
      best = &g;
      best_lines = std::move(lines);
    }
  }
  if (!best || best_lines.size() > kMaxWrapLines) {
    if (first) out += first->render(s);
    const int indent = kGutter - 2;
    bool lead = true;
    for (const std::string& line : wrap(text, l.width - kGutter)) {
      Row r(l.width);
      if (lead) r.write(indent, marker, p);
      lead = false;
      r.write(kGutter, line, p);
      out += r.render(s);
    }
    return;
  }
  for (size_t i = 0; i < best_lines.size(); ++i) {
    Row r = bars(l);
    Row& row = i == 0 && first ? *first : r;
    const int len = static_cast<int>(cells_of(best_lines[i]).size());
    int x = best->begin;
    if (centred) {
      x = best->begin + (best->room() - len) / 2;
    } else if (best->right_align) {
      x = best->end - len;
    }
    row.write(x, best_lines[i], p, best->end);
    out += row.render(s);
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
  // Column heads, aligned on their last line; at least two rows, "UTC" on the first.
  std::vector<std::vector<std::string>> heads;
  size_t head_rows = 2;
  for (const LadderColumn& col : ladder.columns) {
    heads.push_back(head_lines(col.label, l.spacing - 1));
    head_rows = std::max(head_rows, heads.back().size());
  }
  std::vector<Row> head(head_rows, Row(width));
  head.front().write(0, "UTC", Paint::Dim);
  for (size_t c = 0; c < heads.size(); ++c) {
    const size_t first = head_rows - heads[c].size();
    for (size_t i = 0; i < heads[c].size(); ++i) {
      centre(head[first + i], l.x[c], heads[c][i], l.spacing - 1, Paint::Cyan);
    }
  }
  for (const Row& r : head) out += r.render(s);
  out += bars(l).render(s);

  size_t number = 0;
  for (const LadderStep& step : ladder.steps) {
    if (!step.is_arrow) {
      const LadderNote& n = ladder.notes[step.index];
      Row r = bars(l);
      r.write(0, clock(n.ts_ms), Paint::Dim);
      const int x = l.x[n.column];
      r.put(x, "*", n.error ? Paint::Red : Paint::Yellow);
      place(out, s, l, &r, {gap_right(l, n.column), gap_left(l, n.column)},
            note_prefix(n.kind) + n.text, n.error ? Paint::Red : Paint::Dim, "*");
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
    const size_t lo = std::min(a.from, a.to), hi = std::max(a.from, a.to);
    std::string rest;  // the part of the label that does not fit on the shaft
    if (from == to) {
      // A message the host sent to itself: "<~" and the label beside its lifeline.
      r.write(from + 1, "<~", p);
      Gap g = gap_right(l, a.from);
      g.begin = from + 4;
      std::string line;
      std::tie(line, rest) = first_line(a.label, g.room());
      r.write(g.begin, line, p, g.end);
    } else {
      const int left = std::min(from, to), right = std::max(from, to);
      const std::string line = a.failing ? "=" : "-";
      for (int x = left + 1; x < right; ++x) r.put(x, line, p);
      if (to > from) {
        r.put(right - 1, ">", p);
      } else {
        r.put(left + 1, "<", p);
      }
      // The label in the middle of the shaft, with a space either side; what does not fit
      // wraps onto the rows below rather than being cut (a failing status must stay readable).
      const int room = right - left - 5;
      if (room > 0) {
        std::string line;
        std::tie(line, rest) = first_line(a.label, room);
        const int n = static_cast<int>(cells_of(line).size());
        const int start = left + 2 + (room - n) / 2 + 1;
        r.put(start - 1, " ", p);
        r.write(start, line, p, start + n);
        r.put(start + n, " ", p);
      }
    }
    out += r.render(s);
    if (rest.find_first_not_of(' ') != std::string::npos) {
      std::vector<Gap> gaps;
      for (size_t c = lo; c < hi; ++c) gaps.push_back(gap_right(l, c));
      if (gaps.empty()) gaps.push_back(gap_right(l, lo));
      std::stable_sort(gaps.begin(), gaps.end(),
                       [](const Gap& x, const Gap& y) { return x.room() > y.room(); });
      place(out, s, l, nullptr, gaps, rest, p, "", lo != hi);
    }
    // Diagnostics beside the arrow: inside its span first, then on either side of it.
    std::vector<Gap> gaps;
    for (size_t c = lo; c < hi; ++c) gaps.push_back(gap_right(l, c));
    gaps.push_back(gap_right(l, hi));
    gaps.push_back(gap_left(l, lo));
    for (const std::string& d : a.diagnostics) {
      place(out, s, l, nullptr, gaps, "ms-diagnostics: " + d, Paint::Yellow, "^");
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
    // The ladder shows a diagnostic's key fields; its own words are kept here.
    if (e.summary != n.text) out += "        " + terminal_safe(e.summary) + "\n";
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
