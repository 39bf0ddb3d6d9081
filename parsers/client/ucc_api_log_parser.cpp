// UccApiLog parser.
//
// ASSUMPTIONS. The layout of this format is the least certain of the three (docs/log-formats.md
// §3.2 marks most of it unverified), so the parser is tolerant and these are its guesses:
//  A1. A prefixed line is `MM/DD/YYYY|HH:MM:SS.mmm <thread> <LEVEL> :: <text>`. Any single
//      character may stand where '|' is. Between the time and "::" there are at most three
//      space-separated tokens: typically PID:TID then the level; either may be missing. Any
//      padding is accepted around "::", and "INFO::" glued also works. The text starts at the
//      first non-blank character after "::".
//  A2. Level names are not checked: TRACE, INFO, WARN, ERROR, VERBOSE, ... all pass and are
//      kept in the `level` field.
//  A3. A SIP message starts at a prefixed line whose text begins `Sending Packet` (the client
//      sent it: direction Out) or `Data Received` (direction In). The rest of that line is
//      `- <remote> (From|To Local Address: <local>) <N> bytes:`; the dash, the parenthesis and
//      the byte count are each optional.
//  A4. The SIP start line is the text of the next prefixed line. Header and body lines follow
//      either bare (no prefix) or prefixed; both are taken.
//  A5. A message ends at a prefixed line whose text begins `End of`. When that never comes,
//      the next `Sending Packet`/`Data Received` closes it (warning), as does end of file
//      (warning), as does a prefixed line from the same thread that is not a header while the
//      headers are still being read, or any prefixed line once the body has reached its
//      Content-Length (warning).
//  A6. Prefixed lines from another thread inside a message are other components logging at
//      the same time: they are skipped, not taken into the message.
//  A7. Times are the client's local time with no zone. With a user-given offset they are
//      shifted to UTC (basis LocalGiven); without one they are kept as if UTC and flagged
//      LocalUnaligned for lib/correlate/clock_alignment.
//  A8. Encoding is 8-bit text; a UTF-8 BOM on the first line and a '\r' at line ends are
//      dropped. A prefixed header line loses any folding indentation (A1 trims it).
#include "parsers/client/ucc_api_log_parser.h"

#include "lib/base/ascii.h"

#include <utility>

#include "lib/core/timestamp.h"
#include "lib/sip/sip_message.h"

namespace fedtriage {
namespace {

bool is_alpha(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  }
  return true;
}

bool is_key_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

// "Name: value" -> "Name"; empty when the line is no header.
std::string_view header_name(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && is_key_char(line[i])) ++i;
  if (i == 0) return {};
  size_t c = i;
  while (c < line.size() && (line[c] == ' ' || line[c] == '\t')) ++c;
  if (c >= line.size() || line[c] != ':') return {};
  // "CUccSession::OnRinging" is a log line of the client's own, not a header.
  if (c + 1 < line.size() && line[c + 1] == ':') return {};
  return line.substr(0, i);
}

struct Prefix {
  int64_t ts_ms = 0;
  std::string_view thread;
  std::string_view level;
  std::string_view text;
};

// Assumption A1. Views into `line`.
std::optional<Prefix> scan_prefix(std::string_view line) {
  if (line.size() < 23 || line[2] != '/' || line[5] != '/') return std::nullopt;
  auto ts = parse_mdy_hms_millis(line.substr(0, 23));
  if (!ts) return std::nullopt;
  Prefix p;
  p.ts_ms = *ts;
  std::string_view tokens[3];
  int n = 0;
  size_t pos = 23;
  for (;;) {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    if (pos >= line.size()) return std::nullopt;
    if (line.substr(pos, 2) == "::") {
      pos += 2;
      break;
    }
    if (n == 3) return std::nullopt;
    size_t end = pos;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t' &&
           line.substr(end, 2) != "::") {
      ++end;
    }
    tokens[n++] = line.substr(pos, end - pos);
    pos = end;
  }
  p.text = trim_ascii(line.substr(pos));
  if (n >= 1 && is_alpha(tokens[n - 1])) {
    p.level = tokens[n - 1];
    if (n >= 2) p.thread = tokens[0];
  } else if (n >= 1) {
    p.thread = tokens[0];
  }
  return p;
}

constexpr std::string_view kSending = "Sending Packet";
constexpr std::string_view kReceived = "Data Received";

}  // namespace

bool looks_like_ucc_api_log(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  size_t pos = 0;
  while (pos < head.size()) {  // every line of the head: a rotated log may start mid-message
    size_t nl = head.find('\n', pos);
    std::string_view line = head.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    if (line.size() > 10 && line[10] == '|' && scan_prefix(trim_ascii(line))) return true;
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return false;
}

bool named_like_ucc_api_log(std::string_view base_name) {
  const std::string lower = to_lower_ascii(base_name);
  return lower.find("uccapi") != std::string::npos && lower.find("log") != std::string::npos;
}

// An "End of" line closes any open message (whatever its thread), and the parser keeps nothing
// else from message to message: the next packet line starts afresh.
bool ucc_api_log_cut_before(std::string_view previous, std::string_view line) {
  if (line.size() < 23 || line[2] != '/' || line[5] != '/') return false;
  if (previous.size() < 23 || previous[2] != '/' || previous[5] != '/') return false;
  const std::optional<Prefix> p = scan_prefix(previous);
  if (!p || !p->text.starts_with("End of")) return false;
  const std::optional<Prefix> l = scan_prefix(line);
  return l && (l->text.starts_with(kSending) || l->text.starts_with(kReceived));
}

UccApiLogParser::UccApiLogParser(ParserContext context) : ctx_(std::move(context)) {}

void UccApiLogParser::problem(uint64_t line, std::string message) {
  report_problem(ctx_, line, std::move(message));
}

void UccApiLogParser::feed(std::string_view line, uint64_t line_no) {
  if (line_no == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

  // Cheap prefilter: a prefixed line has '/' at 2 and 5.
  std::optional<Prefix> p;
  if (line.size() >= 23 && line[2] == '/' && line[5] == '/') p = scan_prefix(line);

  if (p) {
    const bool sending = p->text.starts_with(kSending);
    if (sending || p->text.starts_with(kReceived)) {
      if (open_) {
        problem(open_->line,
                "SIP message has no \"End of\" line (closed by the next packet at line " +
                    std::to_string(line_no) + ")");
        close("no End of line");
      }
      open(p->text, p->thread, p->level, p->ts_ms, line_no);
      return;
    }
    if (!open_) return;
    if (p->text.starts_with("End of")) {
      close("");
      return;
    }
    if (!open_->thread.empty() && !p->thread.empty() && p->thread != open_->thread) return;  // A6
    if (!add(p->text, true)) {
      problem(open_->line, "SIP message has no \"End of\" line (closed by the log line at line " +
                               std::to_string(line_no) + ")");
      close("no End of line");
    }
    return;
  }
  if (open_) add(line, false);
}

void UccApiLogParser::open(std::string_view marker, std::string_view thread, std::string_view level,
                           int64_t ts_ms, uint64_t line_no) {
  Open o;
  const bool sending = marker.starts_with(kSending);
  o.direction = sending ? Direction::Out : Direction::In;
  o.thread = std::string(thread);
  o.level = std::string(level);
  o.line = line_no;
  o.ts_ms = ts_ms;
  // "- <remote> (From Local Address: <local>) <N> bytes:"  (assumption A3)
  std::string_view rest = trim_ascii(marker.substr(sending ? kSending.size() : kReceived.size()));
  if (rest.starts_with('-')) rest = trim_ascii(rest.substr(1));
  if (!rest.empty() && rest[0] != '(') {
    size_t end = rest.find_first_of(" \t(");
    o.remote = std::string(rest.substr(0, end));
  }
  if (size_t la = rest.find("Local Address:"); la != std::string_view::npos) {
    std::string_view l = trim_ascii(rest.substr(la + 14));
    o.local = std::string(l.substr(0, l.find_first_of(" \t)")));
  }
  if (size_t b = rest.find(" bytes"); b != std::string_view::npos) {
    size_t d = b;
    while (d > 0 && rest[d - 1] >= '0' && rest[d - 1] <= '9') --d;
    if (d < b) o.bytes = std::string(rest.substr(d, b - d));
  }
  open_ = std::move(o);
}

bool UccApiLogParser::add(std::string_view text, bool prefixed) {
  Open& o = *open_;
  if (o.dropped) return true;
  if (o.lines == 0) {
    if (trim_ascii(text).empty()) return true;  // blank lines before the start line
  } else if (!o.headers_done) {
    if (trim_ascii(text).empty()) {
      o.headers_done = true;
    } else {
      std::string_view name = header_name(text);
      const bool folded = text[0] == ' ' || text[0] == '\t';
      if (prefixed && name.empty() && !folded) return false;
      if (iequals(name, "Content-Length") || iequals(name, "l")) {
        uint64_t n = 0;
        std::string_view v = trim_ascii(text.substr(text.find(':') + 1));
        size_t i = 0;
        for (; i < v.size() && v[i] >= '0' && v[i] <= '9' && i < 12; ++i) n = n * 10 + (v[i] - '0');
        if (i > 0) o.content_length = n;
      }
    }
  } else {
    if (prefixed && o.content_length && o.body_bytes >= *o.content_length) return false;
    o.body_bytes += text.size() + 2;  // the wire has CRLF
  }
  if (o.text.size() + text.size() + 1 > kMaxMessageBytes) {
    problem(o.line,
            "SIP message longer than " + std::to_string(kMaxMessageBytes) + " bytes, dropped");
    o.dropped = true;
    o.text.clear();
    o.text.shrink_to_fit();
    return true;
  }
  if (o.lines > 0) o.text += '\n';
  o.text += text;
  ++o.lines;
  return true;
}

void UccApiLogParser::finish() {
  if (open_) {
    problem(open_->line, "SIP message truncated at end of file (no \"End of\" line)");
    close("truncated at end of file");
  }
}

void UccApiLogParser::close(std::string_view why) {
  if (!open_) return;
  Open o = std::move(*open_);
  open_.reset();
  if (o.dropped || ctx_.events == nullptr) return;
  if (o.lines == 0) {
    problem(o.line, "empty SIP message");
    return;
  }
  SipParseError err;
  auto sip = parse_sip_message(o.text, &err);
  if (!sip) {
    problem(o.line, "not a SIP message: " + err.message);
    return;
  }
  Event e;
  e.source = Source::Client;
  e.kind = EventKind::Sip;
  if (ctx_.options.client_utc_offset_minutes) {
    e.ts_ms = o.ts_ms - int64_t{*ctx_.options.client_utc_offset_minutes} * 60000;
    e.basis = TimeBasis::LocalGiven;
  } else {
    e.ts_ms = o.ts_ms;
    e.basis = TimeBasis::LocalUnaligned;
  }
  e.origin.file = ctx_.file;
  e.origin.line = o.line;
  e.call_id = sip->call_id;
  e.cseq = sip->cseq();
  e.direction = o.direction;
  e.local = std::move(o.local);
  e.remote = std::move(o.remote);
  if (!o.level.empty()) e.fields.emplace_back("level", std::move(o.level));
  if (!o.thread.empty()) e.fields.emplace_back("thread", std::move(o.thread));
  if (!o.bytes.empty()) e.fields.emplace_back("bytes", std::move(o.bytes));
  if (!why.empty()) e.fields.emplace_back("truncated", std::string(why));
  std::string start =
      sip->is_request ? sip->method + " " + sip->request_uri
                      : "SIP/2.0 " + std::to_string(sip->status_code) + " " + sip->reason_phrase;
  e.summary = (o.direction == Direction::Out ? "sent to " : "received from ") +
              (e.remote.empty() ? std::string("?") : e.remote) + ": " + start;
  e.sip = std::move(sip);
  e.raw = std::move(o.text);
  ctx_.events->on_event(std::move(e));
}

}  // namespace fedtriage
