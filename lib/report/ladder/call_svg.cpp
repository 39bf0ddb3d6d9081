#include "lib/report/ladder/call_svg.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "lib/base/markup_text.h"
#include "lib/core/timestamp.h"
#include "lib/report/terminal_text.h"

namespace fedtriage {
namespace {

// Geometry, in pixels: a monospace font of 12 px is 7.2 to 7.8 px per character; wrapping
// counts 8 so that no line leaves its box in any of the fonts named.
constexpr int kCharWidth = 8;
constexpr int kTimeColumn = 110;   // "HH:MM:SS.mmm" left of the first lifeline
constexpr int kColumnWidth = 230;  // between lifelines: an arrow label and a note fit
constexpr int kMargin = 16;
constexpr int kLine = 15;       // one line of text
constexpr int kArrowStep = 36;  // an arrow with its label
constexpr size_t kNoteChars = (kColumnWidth - 24) / kCharWidth;

// Log text as XML character data or an attribute value: terminal-safe first (no controls,
// valid UTF-8), then the five XML specials.
std::string xml(std::string_view raw) {
  return escape_markup(terminal_safe(raw));
}

// Words wrapped at `width` characters (a word longer than that is cut into pieces).
std::vector<std::string> wrap(const std::string& text, size_t width) {
  std::vector<std::string> lines;
  std::string line;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(' ', pos);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(pos, end - pos);
    pos = end + 1;
    while (word.size() > width) {
      if (!line.empty()) lines.push_back(std::move(line)), line.clear();
      lines.push_back(word.substr(0, width));
      word = word.substr(width);
    }
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.push_back(std::move(line));
      line.clear();
    }
    if (!word.empty()) line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) lines.push_back(std::move(line));
  return lines;
}

std::string num(int v) {
  return std::to_string(v);
}

class Canvas {
 public:
  void text(int x, int y, std::string_view raw, std::string_view cls = "",
            std::string_view anchor = "start") {
    out_ += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\"";
    if (!cls.empty()) out_ += " class=\"" + std::string(cls) + "\"";
    if (anchor != "start") out_ += " text-anchor=\"" + std::string(anchor) + "\"";
    out_ += ">" + xml(raw) + "</text>\n";
  }
  void raw(const std::string& s) { out_ += s; }
  const std::string& str() const { return out_; }

 private:
  std::string out_;
};

}  // namespace

std::string call_to_svg(const StoredCall& stored, const Ladder& ladder) {
  const CallSummary& c = stored.call;
  const int columns = std::max<int>(1, static_cast<int>(ladder.columns.size()));
  const int width = kMargin * 2 + kTimeColumn + columns * kColumnWidth;
  auto lifeline_x = [&](size_t column) {
    return kMargin + kTimeColumn + static_cast<int>(column) * kColumnWidth + kColumnWidth / 2;
  };
  const size_t text_chars = static_cast<size_t>((width - 2 * kMargin) / kCharWidth);
  Canvas body;
  int y = kMargin + 14;

  // The header: what the call was and how it ended.
  body.text(kMargin, y,
            "Call " + c.call_id + (c.case_name.empty() ? "" : " (case " + c.case_name + ")"),
            "title");
  y += kLine + 4;
  const std::string from = c.from_display.empty()
                               ? (c.from_uri.empty() ? "?" : c.from_uri)
                               : "\"" + c.from_display + "\" <" + c.from_uri + ">";
  body.text(kMargin, y, "From: " + from + "   To: " + (c.to_uri.empty() ? "?" : c.to_uri));
  y += kLine;
  body.text(kMargin, y,
            "Time: " + format_iso_utc(c.first_ms) + " .. " + format_iso_utc(c.last_ms) +
                "   Status: " +
                (c.final_status == 0 ? std::string("no final response seen")
                                     : std::to_string(c.final_status) + " " + c.final_reason),
            c.failed() ? "fail" : "");
  y += kLine + 12;

  // Column heads, then the steps; lifelines are drawn once the height is known.
  const int heads_y = y;
  for (size_t i = 0; i < ladder.columns.size(); ++i) {
    const LadderColumn& col = ladder.columns[i];
    const int x = lifeline_x(i);
    body.raw("<rect x=\"" + num(x - kColumnWidth / 2 + 8) + "\" y=\"" + num(heads_y) +
             "\" width=\"" + num(kColumnWidth - 16) + "\" height=\"" + num(2 * kLine + 6) +
             "\" class=\"" + (col.logged ? "head logged" : "head") + "\"/>\n");
    const std::vector<std::string> label = wrap(col.label, kNoteChars);
    for (size_t k = 0; k < label.size() && k < 2; ++k) {
      body.text(x, heads_y + kLine + static_cast<int>(k) * kLine, label[k], "head", "middle");
    }
  }
  y = heads_y + 2 * kLine + 6 + 20;
  const int lifelines_top = heads_y + 2 * kLine + 6;

  for (const LadderStep& step : ladder.steps) {
    if (step.is_arrow) {
      const LadderArrow& a = ladder.arrows[step.index];
      const int x1 = lifeline_x(a.from), x2 = lifeline_x(a.to);
      const std::string cls = a.failing ? "fail" : "";
      body.text(kMargin, y + 4, format_clock_utc(a.ts_ms), "time");
      if (x1 == x2) {  // to itself: a small loop on the right
        body.raw("<path d=\"M" + num(x1) + " " + num(y - 6) + " h30 v12 h-28\" class=\"arrow " +
                 cls + "\" marker-end=\"url(#" + (a.failing ? "head-fail" : "head") + ")\"/>\n");
        body.text(x1 + 36, y + 4, a.label, cls);
      } else {
        body.raw("<line x1=\"" + num(x1) + "\" y1=\"" + num(y) + "\" x2=\"" + num(x2) + "\" y2=\"" +
                 num(y) + "\" class=\"arrow " + cls + "\" marker-end=\"url(#" +
                 (a.failing ? "head-fail" : "head") + ")\"/>\n");
        body.text((x1 + x2) / 2, y - 5, a.label, cls, "middle");
      }
      for (const std::string& d : a.diagnostics) {
        y += kLine;
        body.text((x1 + x2) / 2, y, "ms-diagnostics: " + d, "diag", "middle");
      }
      y += kArrowStep - 8;
    } else {
      const LadderNote& n = ladder.notes[step.index];
      const int x = lifeline_x(n.column);
      const std::vector<std::string> lines = wrap(n.text, kNoteChars);
      // The note shows a diagnostic's key fields; the tooltip adds the record's own words.
      std::string tip = n.text;
      if (n.event < stored.events.size() && stored.events[n.event].summary != n.text) {
        tip += " -- " + stored.events[n.event].summary;
      }
      const int shown = static_cast<int>(std::min<size_t>(lines.size(), 4));
      body.text(kMargin, y + 4, format_clock_utc(n.ts_ms), "time");
      body.raw("<rect x=\"" + num(x - kColumnWidth / 2 + 6) + "\" y=\"" + num(y - 10) +
               "\" width=\"" + num(kColumnWidth - 12) + "\" height=\"" + num(shown * kLine + 6) +
               "\" class=\"note" + (n.error ? " error" : "") + "\"><title>" + xml(tip) +
               "</title></rect>\n");
      for (int k = 0; k < shown; ++k) {
        std::string line = lines[static_cast<size_t>(k)];
        if (k == 3 && lines.size() > 4) line += " ...";
        body.text(x - kColumnWidth / 2 + 12, y + 2 + k * kLine, line, n.error ? "fail" : "");
      }
      y += shown * kLine + 14;
    }
  }
  const int lifelines_bottom = y;
  std::string lifelines;
  for (size_t i = 0; i < ladder.columns.size(); ++i) {
    lifelines += "<line x1=\"" + num(lifeline_x(i)) + "\" y1=\"" + num(lifelines_top) + "\" x2=\"" +
                 num(lifeline_x(i)) + "\" y2=\"" + num(lifelines_bottom) + "\" class=\"life\"/>\n";
  }
  y += 10;

  // The findings: what went wrong and what to change.
  body.text(kMargin, y,
            stored.findings.empty()
                ? (c.failed() ? "Findings: none (no rule explains this failure)" : "Findings: none")
                : "Findings",
            "title");
  y += kLine + 4;
  for (const StoredFinding& f : stored.findings) {
    body.text(kMargin, y,
              f.title + " [" + f.rule_id + ", " + std::string(to_string(f.severity)) + "]",
              "finding");
    y += kLine;
    for (const auto& [label, text] :
         {std::pair<const char*, const std::string&>{"Root cause: ", f.root_cause},
          {"Fix: ", f.fix}}) {
      if (text.empty()) continue;
      for (const std::string& line : wrap(label + text, text_chars)) {
        body.text(kMargin + 10, y, line);
        y += kLine;
      }
    }
    for (const StoredEvidence& ev : f.evidence) {
      for (const std::string& line :
           wrap(ev.file + ":" + std::to_string(ev.line) + "  " + ev.text, text_chars - 4)) {
        body.text(kMargin + 10, y, line, "evidence");
        y += kLine;
      }
    }
    y += 6;
  }
  const int height = y + kMargin;

  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
      num(width) + "\" height=\"" + num(height) + "\" viewBox=\"0 0 " + num(width) + " " +
      num(height) +
      "\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"12\">\n"
      "<title>" +
      xml("Call " + c.call_id) +
      "</title>\n"
      "<style>\n"
      "text { fill: #1b1f24; }\n"
      ".title { font-weight: bold; font-size: 13px; }\n"
      ".time, .evidence { fill: #57606a; }\n"
      ".fail { fill: #b42318; font-weight: bold; }\n"
      ".diag { fill: #9a6700; }\n"
      ".finding { font-weight: bold; }\n"
      ".head { fill: #f6f8fa; stroke: #8c959f; }\n"
      ".head.logged { fill: #ddf4ff; }\n"
      "text.head { fill: #1b1f24; stroke: none; }\n"
      ".life { stroke: #8c959f; stroke-dasharray: 4 3; }\n"
      ".arrow { stroke: #1b1f24; stroke-width: 1.3; fill: none; }\n"
      ".arrow.fail { stroke: #b42318; }\n"
      ".note { fill: #fff8c5; stroke: #d4a72c; }\n"
      ".note.error { fill: #ffebe9; stroke: #b42318; }\n"
      "</style>\n"
      "<defs><marker id=\"head\" markerWidth=\"10\" markerHeight=\"8\" refX=\"9\" refY=\"4\" "
      "orient=\"auto\"><path d=\"M0,0 L10,4 L0,8 z\" fill=\"#1b1f24\"/></marker>"
      "<marker id=\"head-fail\" markerWidth=\"10\" markerHeight=\"8\" refX=\"9\" refY=\"4\" "
      "orient=\"auto\"><path d=\"M0,0 L10,4 L0,8 z\" fill=\"#b42318\"/></marker></defs>\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  out += lifelines;
  out += body.str();
  out += "</svg>\n";
  return out;
}

}  // namespace fedtriage
