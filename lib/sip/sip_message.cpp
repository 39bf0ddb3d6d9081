#include "lib/sip/sip_message.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <limits>

#include "lib/base/ascii.h"

namespace fedtriage {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// RFC 3261 token characters: what a method name is made of.
bool is_token_char(char c) {
  if (is_alnum(c)) return true;
  switch (c) {
    case '-':
    case '.':
    case '!':
    case '%':
    case '*':
    case '_':
    case '+':
    case '`':
    case '\'':
    case '~':
      return true;
    default:
      return false;
  }
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

struct CompactForm {
  char letter;
  std::string_view name;
};
constexpr std::array<CompactForm, 11> kCompactForms = {{
    {'i', "Call-ID"},
    {'f', "From"},
    {'t', "To"},
    {'v', "Via"},
    {'m', "Contact"},
    {'l', "Content-Length"},
    {'c', "Content-Type"},
    {'k', "Supported"},
    {'s', "Subject"},
    {'e', "Content-Encoding"},
    {'o', "Event"},
}};

// Long name for a compact one-letter header name; other names unchanged.
std::string_view long_name(std::string_view name) {
  if (name.size() != 1) return name;
  char c = ascii_lower(name[0]);
  for (const auto& f : kCompactForms) {
    if (f.letter == c) return f.name;
  }
  return name;
}

bool same_header(std::string_view a, std::string_view b) {
  return iequals(long_name(a), long_name(b));
}

// Strict unsigned decimal: digits only, nullopt on anything else or overflow.
std::optional<uint64_t> parse_u64(std::string_view s) {
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (!is_digit(c)) return std::nullopt;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (std::numeric_limits<uint64_t>::max() - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

// Next run of non-blank characters at or after *pos; *pos moves past it.
std::string_view next_word(std::string_view s, size_t* pos) {
  size_t i = *pos;
  while (i < s.size() && is_blank(s[i])) ++i;
  size_t b = i;
  while (i < s.size() && !is_blank(s[i])) ++i;
  *pos = i;
  return s.substr(b, i - b);
}

bool is_sip_version(std::string_view w) {
  return iequals(w, "SIP/2.0");
}

// Parses a request or status line. `msg` may be null (only checking). On failure fills `why`.
bool parse_start_line(std::string_view line, SipMessage* msg, std::string* why) {
  line = trim_ascii(line);
  size_t pos = 0;
  std::string_view first = next_word(line, &pos);
  if (first.empty()) {
    if (why) *why = "empty start line";
    return false;
  }

  if (istarts_with(first, "SIP/")) {
    if (!is_sip_version(first)) {
      if (why) *why = "unsupported SIP version in status line";
      return false;
    }
    std::string_view code = next_word(line, &pos);
    if (code.size() != 3 || !is_digit(code[0]) || !is_digit(code[1]) || !is_digit(code[2]) ||
        code[0] < '1' || code[0] > '6') {
      if (why) *why = "status code is not three digits from 100 to 699";
      return false;
    }
    if (msg) {
      msg->is_request = false;
      msg->status_code = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
      msg->reason_phrase.assign(trim_ascii(line.substr(pos)));
    }
    return true;
  }

  for (char c : first) {
    if (!is_token_char(c)) {
      if (why) *why = "start line is neither a request line nor a status line";
      return false;
    }
  }
  // The version is the last word; the Request-URI is everything between (kept as written,
  // even when it holds spaces: a log reader should show it, not reject it).
  size_t last_begin = line.size();
  while (last_begin > pos && !is_blank(line[last_begin - 1])) --last_begin;
  std::string_view version = line.substr(last_begin);
  std::string_view uri = trim_ascii(line.substr(pos, last_begin - pos));
  if (last_begin <= pos || uri.empty() || !istarts_with(version, "SIP/")) {
    if (why) *why = "start line is neither a request line nor a status line";
    return false;
  }
  if (!is_sip_version(version)) {
    if (why) *why = "unsupported SIP version in request line";
    return false;
  }
  if (msg) {
    msg->is_request = true;
    msg->method.assign(first);
    msg->request_uri.assign(uri);
  }
  return true;
}

// Splits a header value on commas that are outside double quotes and angle brackets.
template <typename F>
void for_each_comma_item(std::string_view value, F&& f) {
  // Most values (every Via) hold neither: then every comma splits, and memchr finds them
  // instead of the character loop below (which was the largest cost of a Via).
  if (value.find('"') == std::string_view::npos && value.find('<') == std::string_view::npos) {
    size_t start = 0;
    while (start <= value.size()) {
      size_t comma = value.find(',', start);
      if (comma == std::string_view::npos) comma = value.size();
      std::string_view item = trim_ascii(value.substr(start, comma - start));
      if (!item.empty()) f(item);
      start = comma + 1;
    }
    return;
  }
  bool in_quotes = false;
  int angle = 0;
  size_t start = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (in_quotes) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      }
    } else if (c == '"') {
      in_quotes = true;
    } else if (c == '<') {
      ++angle;
    } else if (c == '>') {
      if (angle > 0) --angle;
    } else if (c == ',' && angle == 0) {
      std::string_view item = trim_ascii(value.substr(start, i - start));
      if (!item.empty()) f(item);
      start = i + 1;
    }
  }
  std::string_view item = trim_ascii(value.substr(start < value.size() ? start : value.size()));
  if (!item.empty()) f(item);
}

std::string strip_blanks(std::string_view s) {
  // Nearly always there is nothing to strip: one copy then.
  if (std::none_of(s.begin(), s.end(), is_ascii_space)) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (!is_ascii_space(c)) out.push_back(c);
  }
  return out;
}

// Walks `key=value;key2="v;2"` exactly as parse_param_list (ms_diagnostic.h) reads it, but
// hands out views instead of building a vector of string pairs: Via and From/To parameters
// are in every message. f(key, value, quoted) gets the trimmed key (never empty) and the
// value: trimmed, or for a quoted one the text between the quotes with escapes still in
// (see unquote). f returns false to stop.
template <typename F>
void for_each_param(std::string_view text, F&& f) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    while (i < n && (text[i] == ';' || is_ascii_space(text[i]))) ++i;
    if (i >= n) break;
    const size_t key_begin = i;
    while (i < n && text[i] != '=' && text[i] != ';') ++i;
    const std::string_view key = trim_ascii(text.substr(key_begin, i - key_begin));
    std::string_view value;
    bool quoted = false;
    if (i < n && text[i] == '=') {
      ++i;
      while (i < n && is_ascii_space(text[i])) ++i;
      if (i < n && text[i] == '"') {
        // ';' and '=' are data, a backslash escapes the next octet; unterminated: the rest.
        quoted = true;
        const size_t value_begin = ++i;
        while (i < n && text[i] != '"') {
          if (text[i] == '\\' && i + 1 < n) ++i;
          ++i;
        }
        value = text.substr(value_begin, std::min(i, n) - value_begin);
        if (i < n) ++i;                       // closing quote
        while (i < n && text[i] != ';') ++i;  // junk after it
      } else {
        const size_t value_begin = i;
        i = std::min(text.find(';', i), n);
        value = trim_ascii(text.substr(value_begin, i - value_begin));
      }
    }
    if (!key.empty() && !f(key, value, quoted)) return;
  }
}

// A parameter value as parse_param_list gives it: quotes gone, backslash escapes resolved.
std::string param_value(std::string_view value, bool quoted) {
  if (!quoted || value.find('\\') == std::string_view::npos) return std::string(value);
  std::string out;
  out.reserve(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size()) ++i;
    out.push_back(value[i]);
  }
  return out;
}

// One via-parm: "SIP / 2.0 / UDP host:port ;branch=..;received=..".
Via parse_via(std::string_view item) {
  Via via;
  size_t semi = item.find(';');
  std::string_view head = item.substr(0, semi);
  // The transport is the word after the last '/'; LWS may sit around every '/'.
  size_t slash = head.rfind('/');
  if (slash == std::string_view::npos) {
    via.sent_by = strip_blanks(head);
  } else {
    size_t i = slash + 1;
    while (i < head.size() && is_ascii_space(head[i])) ++i;
    while (i < head.size() && !is_ascii_space(head[i])) ++i;
    via.protocol = strip_blanks(head.substr(0, i));
    via.sent_by = strip_blanks(head.substr(i));
  }
  if (semi == std::string_view::npos) return via;
  via.params.reserve(4);
  for_each_param(item.substr(semi + 1), [&](std::string_view key, std::string_view raw, bool q) {
    via.params.emplace_back(std::string(key), param_value(raw, q));
    return true;
  });
  for (const auto& [k, v] : via.params) {
    if (iequals(k, "branch")) {
      if (via.branch.empty()) via.branch = v;
    } else if (iequals(k, "received")) {
      if (via.received.empty()) via.received = v;
    } else if (iequals(k, "rport")) {
      if (via.rport.empty()) via.rport = v;
    } else if (iequals(k, "proxy-call-id")) {
      if (via.proxy_call_id.empty()) via.proxy_call_id = v;
    }
  }
  return via;
}

// From / To: `"Display" <uri>;tag=x`, `Display Words <uri>;tag=x`, or `uri;tag=x`.
NameAddr parse_name_addr(std::string_view value) {
  NameAddr na;
  na.present = true;
  std::string_view v = trim_ascii(value);
  size_t i = 0;
  const size_t n = v.size();
  size_t params_at = n;

  if (i < n && v[i] == '"') {
    ++i;
    while (i < n && v[i] != '"') {
      if (v[i] == '\\' && i + 1 < n) ++i;
      na.display_name.push_back(v[i]);
      ++i;
    }
    if (i < n) ++i;  // closing quote; unterminated: the display name took the rest
    while (i < n && v[i] != '<') ++i;
  } else {
    size_t lt = v.find('<');
    size_t semi = v.find(';');
    if (lt != std::string_view::npos && (semi == std::string_view::npos || lt < semi)) {
      na.display_name.assign(trim_ascii(v.substr(0, lt)));
      i = lt;
    } else {
      // addr-spec: any ';' after it starts header parameters (tag), not URI parameters.
      na.uri.assign(trim_ascii(v.substr(0, semi)));
      params_at = semi == std::string_view::npos ? n : semi + 1;
      i = n;
    }
  }
  if (i < n && v[i] == '<') {
    size_t gt = v.find('>', i + 1);
    size_t end = gt == std::string_view::npos ? n : gt;
    na.uri.assign(trim_ascii(v.substr(i + 1, end - i - 1)));
    i = gt == std::string_view::npos ? n : gt + 1;
    size_t semi = v.find(';', i);
    params_at = semi == std::string_view::npos ? n : semi + 1;
  }
  if (params_at < n) {
    for_each_param(v.substr(params_at), [&](std::string_view key, std::string_view raw, bool q) {
      if (!iequals(key, "tag")) return true;
      na.tag = param_value(raw, q);
      return false;
    });
  }
  return na;
}

void parse_cseq(std::string_view value, SipMessage* msg) {
  size_t pos = 0;
  std::string_view num = next_word(value, &pos);
  std::string_view method = next_word(value, &pos);
  // An out-of-range number is left at 0 rather than wrapped; the header stays in `headers`.
  auto n = parse_u64(num);
  msg->cseq_number =
      (n && *n <= std::numeric_limits<uint32_t>::max()) ? static_cast<uint32_t>(*n) : 0;
  msg->cseq_method.assign(method);
}

enum class Typed {
  None,
  Via,
  CallId,
  CSeq,
  From,
  To,
  UserAgent,
  Server,
  ContentLength,
  MsDiagnostics,
  MsDiagnosticsPublic
};

// Which typed field a header fills. Runs for every header: one switch on the length picks the
// single candidate name to compare, instead of comparing against each name in turn.
Typed typed_header(std::string_view name) {
  const std::string_view n = long_name(name);
  switch (n.size()) {
    case 2:
      return iequals(n, "To") ? Typed::To : Typed::None;
    case 3:
      return iequals(n, "Via") ? Typed::Via : Typed::None;
    case 4:
      if (iequals(n, "CSeq")) return Typed::CSeq;
      return iequals(n, "From") ? Typed::From : Typed::None;
    case 6:
      return iequals(n, "Server") ? Typed::Server : Typed::None;
    case 7:
      return iequals(n, "Call-ID") ? Typed::CallId : Typed::None;
    case 10:
      return iequals(n, "User-Agent") ? Typed::UserAgent : Typed::None;
    case 14:
      if (iequals(n, "Content-Length")) return Typed::ContentLength;
      return iequals(n, "ms-diagnostics") ? Typed::MsDiagnostics : Typed::None;
    case 21:
      return iequals(n, "ms-diagnostics-public") ? Typed::MsDiagnosticsPublic : Typed::None;
    default:
      return Typed::None;
  }
}

// Fills the typed fields from one header; first occurrence wins for single-valued ones.
void interpret_header(const SipHeader& h, SipMessage* msg, bool* seen_cseq) {
  const std::string& v = h.value;
  const Typed typed = typed_header(h.name);
  switch (typed) {
    case Typed::None:
      return;
    case Typed::Via:
      for_each_comma_item(v, [&](std::string_view item) {
        // Stray separators (";;,;,,") make no hop; the header keeps the text.
        Via via = parse_via(item);
        if (!via.protocol.empty() || !via.sent_by.empty()) msg->vias.push_back(std::move(via));
      });
      return;
    case Typed::CallId:
      if (msg->call_id.empty()) msg->call_id = v;
      return;
    case Typed::CSeq:
      if (!*seen_cseq) {
        parse_cseq(v, msg);
        *seen_cseq = true;
      }
      return;
    case Typed::From:
      if (!msg->from.present) msg->from = parse_name_addr(v);
      return;
    case Typed::To:
      if (!msg->to.present) msg->to = parse_name_addr(v);
      return;
    case Typed::UserAgent:
      if (msg->user_agent.empty()) msg->user_agent = v;
      return;
    case Typed::Server:
      if (msg->server.empty()) msg->server = v;
      return;
    case Typed::ContentLength:
      if (!msg->content_length) msg->content_length = parse_u64(v);
      return;
    case Typed::MsDiagnostics:
    case Typed::MsDiagnosticsPublic:
      if (auto d = parse_ms_diagnostic(v, typed == Typed::MsDiagnosticsPublic)) {
        msg->ms_diagnostics.push_back(std::move(*d));
      }
      return;
  }
}

// Line cursor over LF or CRLF terminated text.
class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {}
  bool done() const { return pos_ >= text_.size(); }
  // Next line without its terminator.
  std::string_view next() {
    size_t nl = text_.find('\n', pos_);
    size_t end = nl == std::string_view::npos ? text_.size() : nl;
    std::string_view line = text_.substr(pos_, end - pos_);
    pos_ = nl == std::string_view::npos ? text_.size() : nl + 1;
    ++number_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  }
  size_t pos() const { return pos_; }
  uint64_t number() const { return number_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  uint64_t number_ = 0;
};

bool only_blanks(std::string_view s) {
  for (char c : s) {
    if (!is_blank(c)) return false;
  }
  return true;
}

// Headers a flattened message is broken before. Matched case-insensitively, and only when the
// name is followed by ": ". Names starting with "ms-", "x-" or "p-" are recognised as well.
constexpr std::array<std::string_view, 62> kFlatHeaderNames = {
    "Accept",
    "Accept-Encoding",
    "Accept-Language",
    "Alert-Info",
    "Allow",
    "Allow-Events",
    "Authentication-Info",
    "Authorization",
    "Call-ID",
    "Call-Info",
    "Contact",
    "Content-Disposition",
    "Content-Encoding",
    "Content-Language",
    "Content-Length",
    "Content-Type",
    "CSeq",
    "Date",
    "Error-Info",
    "Event",
    "Expires",
    "From",
    "History-Info",
    "In-Reply-To",
    "Max-Forwards",
    "Min-Expires",
    "Min-SE",
    "MIME-Version",
    "Organization",
    "Path",
    "Priority",
    "Privacy",
    "Proxy-Authenticate",
    "Proxy-Authorization",
    "Proxy-Require",
    "RAck",
    "Reason",
    "Record-Route",
    "Refer-To",
    "Referred-By",
    "Remote-Party-ID",
    "Replaces",
    "Reply-To",
    "Require",
    "Retry-After",
    "Route",
    "RSeq",
    "Server",
    "Session-Expires",
    "Session-ID",
    "SIP-ETag",
    "SIP-If-Match",
    "Subject",
    "Subscription-State",
    "Supported",
    "Timestamp",
    "To",
    "Unsupported",
    "User-Agent",
    "Via",
    "Warning",
    "WWW-Authenticate",
};

bool is_flat_header_name(std::string_view name) {
  if (istarts_with(name, "ms-") || istarts_with(name, "x-") || istarts_with(name, "p-")) {
    return name.size() > 3;
  }
  for (std::string_view known : kFlatHeaderNames) {
    if (iequals(known, name)) return true;
  }
  return false;
}

bool is_name_char(char c) {
  return is_alnum(c) || c == '-';
}

}  // namespace

const SipHeader* SipMessage::header(std::string_view name) const {
  for (const auto& h : headers) {
    if (same_header(h.name, name)) return &h;
  }
  return nullptr;
}

std::string SipMessage::cseq() const {
  if (cseq_method.empty() && cseq_number == 0) return {};
  std::string out = std::to_string(cseq_number);
  if (!cseq_method.empty()) {
    out.push_back(' ');
    out += cseq_method;
  }
  return out;
}

bool looks_like_sip_start_line(std::string_view line) {
  return parse_start_line(line, nullptr, nullptr);
}

std::optional<SipMessage> parse_sip_message(std::string_view text, SipParseError* error) {
  Lines lines(text);
  std::string_view start;
  // RFC 3261 7.5: empty lines before the start line are ignored.
  while (!lines.done()) {
    start = lines.next();
    if (!only_blanks(start)) break;
  }
  SipMessage msg;
  std::string why;
  if (!parse_start_line(start, &msg, &why)) {
    if (error) {
      error->message = std::move(why);
      error->line = lines.number();
    }
    return std::nullopt;
  }

  msg.headers.reserve(16);  // a typical message has 8-20: saves the 1-2-4-8 regrowth
  bool in_body = false;
  bool current_open = false;  // the last header can still take continuation lines
  while (!lines.done()) {
    std::string_view line = lines.next();
    // A blank-only line ends the header block too: logs often keep stray spaces there.
    if (only_blanks(line)) {
      in_body = true;
      break;
    }
    if (is_blank(line.front())) {
      if (current_open) {
        std::string_view more = trim_ascii(line);
        std::string& value = msg.headers.back().value;
        if (!more.empty()) {
          if (!value.empty()) value.push_back(' ');
          value += more;
        }
      }
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      current_open = false;  // not a header: skip it and what folds onto it
      continue;
    }
    // Built in place: a SipHeader temporary would cost a move of two strings per header.
    SipHeader& h = msg.headers.emplace_back();
    h.name.assign(trim_ascii(line.substr(0, colon)));
    h.value.assign(trim_ascii(line.substr(colon + 1)));
    current_open = true;
  }
  if (in_body) msg.body.assign(text.substr(lines.pos()));

  bool seen_cseq = false;
  for (const auto& h : msg.headers) interpret_header(h, &msg, &seen_cseq);
  if (!msg.is_request) msg.method = msg.cseq_method;
  return msg;
}

std::string unflatten_sip_message(std::string_view one_line) {
  if (one_line.find('\n') != std::string_view::npos) return std::string(one_line);
  std::string out;
  out.reserve(one_line.size() + 64);
  bool in_quotes = false;
  bool after_start_line = false;
  size_t i = 0;
  const size_t n = one_line.size();
  while (i < n) {
    char c = one_line[i];
    if (in_quotes) {
      out.push_back(c);
      if (c == '\\' && i + 1 < n) {
        out.push_back(one_line[++i]);
      } else if (c == '"') {
        in_quotes = false;
      }
      ++i;
      continue;
    }
    if (!is_blank(c)) {
      // Quotes only count in header values: a reason phrase is free text.
      if (c == '"' && after_start_line) in_quotes = true;
      out.push_back(c);
      ++i;
      continue;
    }
    // A run of blanks: a header name may start right after it.
    size_t ws_end = i;
    while (ws_end < n && is_blank(one_line[ws_end])) ++ws_end;
    size_t name_end = ws_end;
    while (name_end < n && is_name_char(one_line[name_end])) ++name_end;
    bool header_follows = name_end > ws_end && name_end < n && one_line[name_end] == ':' &&
                          (name_end + 1 == n || one_line[name_end + 1] == ' ') &&
                          is_flat_header_name(one_line.substr(ws_end, name_end - ws_end));
    if (header_follows) {
      out += "\r\n";
      after_start_line = true;
    } else {
      out.append(one_line.substr(i, ws_end - i));
    }
    // Copy the word we looked at, so no character is inspected twice as a name start.
    out.append(one_line.substr(ws_end, name_end - ws_end));
    i = name_end;
  }
  return out;
}

}  // namespace fedtriage
