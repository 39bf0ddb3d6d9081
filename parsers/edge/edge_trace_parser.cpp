#include "parsers/edge/edge_trace_parser.h"

#include "lib/base/ascii.h"

#include <array>
#include <utility>
#include <vector>

#include "lib/sip/ms_diagnostic.h"
#include "lib/sip/sip_message.h"
#include "parsers/edge/edge_header.h"

namespace fedtriage {
namespace {

constexpr std::string_view kEnd = "$$end_record";
constexpr std::string_view kBegin = "$$begin_record";

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool is_key_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// "Key: value" -> key; empty when the line does not start with a key.
std::string_view line_key(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && is_key_char(line[i])) ++i;
  if (i == 0 || i >= line.size() || line[i] != ':') return {};
  return line.substr(0, i);
}

using Item = std::pair<std::string_view, std::string>;  // key (no colon), value

// Keys the flattened one-line form is split at (the document joined the record's lines with
// spaces). Each must start the text or follow a space.
constexpr std::array<std::string_view, 17> kFlatKeys = {
    "Trace-Correlation-Id:", "Instance-Id:", "LogType:",      "Severity:", "Text:", "Result-Code:",
    "SIP-Start-Line:",       "SIP-Call-ID:", "SIP-CSeq:",     "Peer:",     "Data:", "Direction:",
    "Message-Type:",         "Start-Line:",  "Message-Body:", "Source:",   kEnd};

struct KeyHit {
  size_t pos = std::string_view::npos;
  std::string_view key;
};

KeyHit next_flat_key(std::string_view text, size_t from, bool skip_quoted) {
  bool quoted = false;
  for (size_t i = from; i < text.size(); ++i) {
    if (skip_quoted && text[i] == '"') quoted = !quoted;
    if (quoted || (i > 0 && text[i - 1] != ' ')) continue;
    for (std::string_view k : kFlatKeys) {
      if (text.substr(i).starts_with(k)) return {i, k};
    }
  }
  return {};
}

// Splits "Severity: warning Text: ... $$end_record" into items.
void split_flat(std::string_view text, std::vector<Item>& out) {
  KeyHit hit = next_flat_key(text, 0, false);
  while (hit.pos != std::string_view::npos && hit.key != kEnd) {
    size_t value_start = hit.pos + hit.key.size();
    KeyHit next = next_flat_key(text, value_start, hit.key == "Data:");
    size_t value_end = next.pos == std::string_view::npos ? text.size() : next.pos;
    out.emplace_back(hit.key.substr(0, hit.key.size() - 1),
                     std::string(trim_ascii(text.substr(value_start, value_end - value_start))));
    hit = next;
  }
}

// One body line of a multi-line diagnostic record. The seed shows "Text: ... Result-Code: ..."
// on one line, so Result-Code is split off wherever it sits.
void add_diag_line(std::string_view line, std::vector<Item>& out) {
  std::string_view key = line_key(line);
  if (key.empty()) {
    // A wrapped value: continue the previous one.
    std::string_view more = trim_ascii(line);
    if (!out.empty() && !more.empty()) {
      out.back().second += ' ';
      out.back().second += more;
    }
    return;
  }
  std::string_view value = trim_ascii(line.substr(key.size() + 1));
  if (!iequals(key, "Result-Code")) {
    size_t rc = value.find("Result-Code:");
    if (rc != std::string_view::npos && (rc == 0 || value[rc - 1] == ' ')) {
      out.emplace_back(key, std::string(trim_ascii(value.substr(0, rc))));
      out.emplace_back("Result-Code", std::string(trim_ascii(value.substr(rc + 12))));
      return;
    }
  }
  out.emplace_back(key, std::string(value));
}

// The record as stored in raw_: returns the header line; the body lines (without
// "$$end_record") go to `body` (cleared first, its capacity reused).
std::string_view split_record(std::string_view raw, std::vector<std::string_view>& body) {
  body.clear();
  size_t nl = raw.find('\n');
  const std::string_view header_line = raw.substr(0, nl);
  while (nl != std::string_view::npos) {
    size_t start = nl + 1;
    nl = raw.find('\n', start);
    std::string_view line = raw.substr(start, nl == std::string_view::npos ? nl : nl - start);
    if (trim_ascii(line) == kEnd) break;
    body.push_back(line);
  }
  return header_line;
}

// Strips a trailing "$$end_record" from the flattened form.
std::string_view flat_body(std::string_view inline_body, bool* ended) {
  *ended = false;
  std::string_view b = trim_ascii(inline_body);
  if (b.ends_with(kEnd)) {
    *ended = true;
    b = trim_ascii(b.substr(0, b.size() - kEnd.size()));
  }
  return b;
}

void add_common_fields(const EdgeHeader& h, Fields& f) {
  f.emplace_back("level", std::string(h.level));
  f.emplace_back("flag", std::string(h.flag));
  if (!h.component.empty()) f.emplace_back("component", std::string(h.component));
  if (!h.location.empty()) f.emplace_back("location", std::string(h.location));
  if (!h.correlation_id.empty()) f.emplace_back("correlation_id", std::string(h.correlation_id));
}

// `v` (a view into `from`) as the same bytes of `to`, a copy of `from`.
std::string_view rebase(std::string_view v, std::string_view from, const std::string& to) {
  if (v.data() == nullptr) return v;
  return std::string_view(to.data() + (v.data() - from.data()), v.size());
}

Event base_event(const EdgeHeader& h, const ParserContext& ctx, uint64_t line, EventKind kind) {
  Event e;
  e.ts_ms = h.ts_ms;
  e.basis = TimeBasis::Utc;
  e.source = Source::Edge;
  e.kind = kind;
  e.origin.file = ctx.file;
  e.origin.line = line;
  e.host = std::string(h.machine);
  e.fields.reserve(16);
  return e;
}

}  // namespace

bool looks_like_edge_trace(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  size_t pos = 0;
  while (pos < head.size()) {
    size_t nl = head.find('\n', pos);
    std::string_view line = head.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    if (line.starts_with("TL_") && scan_edge_header(trim_ascii(line))) return true;
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return false;
}

// After a "$$end_record" line the parser is idle whatever it was doing (collecting, skipping,
// or a stray end), and it keeps nothing else from record to record.
bool edge_cut_before(std::string_view previous, std::string_view line) {
  return trim_ascii(previous) == kEnd && line.starts_with("TL_") &&
         scan_edge_header(line).has_value();
}

EdgeTraceParser::EdgeTraceParser(ParserContext context, size_t max_record_bytes)
    : ctx_(std::move(context)), max_record_bytes_(max_record_bytes) {}

void EdgeTraceParser::problem(uint64_t line, std::string message) {
  report_problem(ctx_, line, std::move(message));
}

void EdgeTraceParser::clear_raw() {
  raw_.clear();
  if (raw_.capacity() > kKeptRawCapacity) std::string().swap(raw_);  // after a huge record
}

void EdgeTraceParser::feed(std::string_view line, uint64_t line_no) {
  if (line_no == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

  if (line.starts_with("TL_")) {
    if (auto h = scan_edge_header(line)) {
      if (state_ != State::Idle) {
        const bool unterminated = begin_record_ || body_lines_ > 0;
        if (begin_record_ && h->begin_record) {
          // Each record keeps its own lines (and Call-ID): the open one ends here.
          not_closed(line_no);
        } else if (unterminated && state_ == State::Collecting) {
          problem(record_line_, "record has no $$end_record (closed by the record at line " +
                                    std::to_string(line_no) + ")");
          close("no $$end_record");
        } else {
          close("");
        }
      }
      bool inline_end = false;
      flat_body(h->inline_body, &inline_end);
      const bool wanted =
          h->flag == "TF_PROTOCOL" || h->flag == "TF_DIAG" || h->flag == "TF_COMPONENT";
      record_line_ = line_no;
      body_lines_ = 0;
      begin_record_ = h->begin_record;
      if (!wanted) {
        state_ = inline_end ? State::Idle : State::Skipping;
        return;
      }
      if (line.size() > max_record_bytes_) {
        problem(line_no,
                "record longer than " + std::to_string(max_record_bytes_) + " bytes, dropped");
        state_ = inline_end ? State::Idle : State::Skipping;
        return;
      }
      state_ = State::Collecting;
      raw_.assign(line);
      // Keep the scan for close(): its views moved into a copy of the line that stays put.
      header_line_.assign(line);
      header_ = *h;
      for (std::string_view* v :
           {&header_.level, &header_.flag, &header_.machine, &header_.thread, &header_.component,
            &header_.location, &header_.correlation_id, &header_.free_text, &header_.inline_body}) {
        *v = rebase(*v, line, header_line_);
      }
      if (inline_end) close("");
      return;
    }
  }

  if (state_ != State::Idle && line.find(kBegin) != std::string_view::npos) {
    // A record begins inside the open one, with a header this parser cannot read: the open
    // record ends here, and the new one is skipped (its lines are not the open record's).
    not_closed(line_no);
    record_line_ = line_no;
    body_lines_ = 0;
    begin_record_ = true;
    state_ = State::Skipping;
    problem(line_no, "unreadable record header, record skipped");
    return;
  }
  switch (state_) {
    case State::Idle:
      if (trim_ascii(line) == kEnd) problem(line_no, "stray $$end_record (no record is open)");
      return;
    case State::Skipping:
      if (trim_ascii(line) == kEnd) state_ = State::Idle;
      return;
    case State::Collecting:
      break;
  }
  if (raw_.size() + line.size() + 1 > max_record_bytes_) {
    problem(record_line_,
            "record longer than " + std::to_string(max_record_bytes_) + " bytes, dropped");
    raw_.clear();
    state_ = trim_ascii(line) == kEnd ? State::Idle : State::Skipping;
    return;
  }
  raw_ += '\n';
  raw_ += line;
  if (trim_ascii(line) == kEnd) {
    close("");
    return;
  }
  ++body_lines_;
}

void EdgeTraceParser::not_closed(uint64_t next_line) {
  problem(record_line_, "record not closed before the next $$begin_record (line " +
                            std::to_string(next_line) + "): no $$end_record");
  if (state_ == State::Collecting) {
    close("no $$end_record");
  } else {
    state_ = State::Idle;
  }
}

void EdgeTraceParser::finish() {
  if (state_ == State::Collecting && (begin_record_ || body_lines_ > 0)) {
    problem(record_line_, "record truncated at end of file (no $$end_record)");
    close("truncated at end of file");
  } else if (state_ == State::Collecting) {
    close("");
  }
  state_ = State::Idle;
  raw_.clear();
}

void EdgeTraceParser::close(std::string_view why) {
  const bool collecting = state_ == State::Collecting;
  state_ = State::Idle;
  if (!collecting || ctx_.events == nullptr) return;

  std::vector<std::string_view>& rec_body = body_scratch_;
  split_record(raw_, rec_body);
  const EdgeHeader* const h = &header_;
  bool flat_ended = false;
  const std::string_view flat = flat_body(h->inline_body, &flat_ended);

  if (h->flag == "TF_PROTOCOL") {
    emit_protocol_record(*h, rec_body, flat, why);
  } else {
    emit_diagnostic_record(*h, rec_body, flat, why);
  }
}

// A TF_PROTOCOL record: record keys (Direction, Peer, ...), then the SIP start line and
// headers, then the body, multi-line or flattened on the header line.
void EdgeTraceParser::emit_protocol_record(const EdgeHeader& header,
                                           const std::vector<std::string_view>& rec_body,
                                           std::string_view flat, std::string_view why) {
  const EdgeHeader* const h = &header;
  // Record keys, then the SIP start line and headers, then the body.
  std::vector<Item>& keys = keys_scratch_;
  keys.clear();
  std::string& head = head_scratch_;
  std::string& body = body_text_scratch_;
  head.clear();
  body.clear();
  int phase = 0;  // 0 record keys, 1 SIP headers, 2 body
  auto take_body = [&](std::string_view v) {
    if (v != "-") body.assign(v);
  };
  if (!flat.empty()) {
    std::vector<Item> items;
    split_flat(flat, items);
    for (auto& [k, v] : items) {
      if (k == "Start-Line") {
        head = unflatten_sip_message(v);
        phase = 1;
      } else if (k == "Message-Body") {
        take_body(v);
        phase = 2;
      } else {
        keys.emplace_back(k, std::move(v));
      }
    }
  }
  for (std::string_view line : rec_body) {
    if (phase == 0) {
      std::string_view k = line_key(line);
      std::string_view v = k.empty() ? trim_ascii(line) : trim_ascii(line.substr(k.size() + 1));
      if (iequals(k, "Start-Line")) {
        head.assign(v);
        phase = 1;
      } else if (!k.empty()) {
        keys.emplace_back(k, std::string(v));
      }
    } else if (phase == 1) {
      if (istarts_with(line, "Message-Body:")) {
        take_body(trim_ascii(line.substr(13)));
        phase = 2;
      } else if (!trim_ascii(line).empty()) {
        head += '\n';
        head += line;
      }
    } else {
      if (!body.empty()) body += "\r\n";
      body += line;
    }
  }
  if (head.empty()) {
    problem(record_line_, "TF_PROTOCOL record without Start-Line");
    return;
  }
  std::string& text = text_scratch_;
  text.assign(head);
  text += "\n\n";
  text += body;
  SipParseError err;
  auto sip = parse_sip_message(text, &err);
  if (!sip) {
    problem(record_line_, "TF_PROTOCOL record is not a SIP message: " + err.message);
    return;
  }
  Event e = base_event(*h, ctx_, record_line_, EventKind::Sip);
  add_common_fields(*h, e.fields);
  std::string direction_word;
  for (auto& [k, v] : keys) {
    if (iequals(k, "Direction")) {
      std::string_view dv = v;
      size_t semi = dv.find(';');
      direction_word = std::string(trim_ascii(dv.substr(0, semi)));
      if (iequals(direction_word, "incoming")) e.direction = Direction::In;
      if (iequals(direction_word, "outgoing")) e.direction = Direction::Out;
      e.fields.emplace_back("direction", direction_word);
      if (semi != std::string_view::npos) {
        for (auto& [pk, pv] : parse_param_list(dv.substr(semi + 1))) {
          if (iequals(pk, "source")) e.fields.emplace_back("direction_source", pv);
          if (iequals(pk, "destination")) e.fields.emplace_back("direction_destination", pv);
        }
      }
    } else if (iequals(k, "Peer")) {
      e.remote = v;
    } else if (iequals(k, "Message-Type")) {
      e.fields.emplace_back("message_type", v);
    } else if (iequals(k, "Trace-Correlation-Id")) {
      e.fields.emplace_back("trace_correlation_id", v);
    } else if (iequals(k, "Instance-Id")) {
      e.fields.emplace_back("instance_id", v);
    } else {
      e.fields.emplace_back(std::string(k), v);
    }
  }
  if (!why.empty()) e.fields.emplace_back("truncated", std::string(why));
  e.call_id = sip->call_id;
  e.cseq = sip->cseq();
  std::string start =
      sip->is_request ? sip->method + " " + sip->request_uri
                      : "SIP/2.0 " + std::to_string(sip->status_code) + " " + sip->reason_phrase;
  e.summary = (direction_word.empty() ? std::string("?") : direction_word) +
              (e.direction == Direction::Out ? " to " : " from ") +
              (e.remote.empty() ? std::string("?") : e.remote) + ": " + start;
  e.sip = std::move(sip);
  e.raw = raw_;  // a copy of the exact size; raw_ keeps its capacity for the next record
  clear_raw();
  ctx_.events->on_event(std::move(e));
}

// A TF_DIAG / TF_COMPONENT record: Result-Code (or a failure HRESULT in a component's text),
// Text, SIP-Call-ID, Peer, Data pairs.
void EdgeTraceParser::emit_diagnostic_record(const EdgeHeader& header,
                                             const std::vector<std::string_view>& rec_body,
                                             std::string_view flat, std::string_view why) {
  const EdgeHeader* const h = &header;
  std::vector<Item>& items = items_scratch_;
  items.clear();
  if (!flat.empty()) split_flat(flat, items);
  for (std::string_view line : rec_body) add_diag_line(line, items);

  std::string code, name;
  bool have_code = false;
  for (auto& [k, v] : items) {
    if (iequals(k, "Result-Code")) have_code = parse_result_code(v, &code, &name);
  }
  if (!have_code) {
    // TF_COMPONENT: "... Exit - route headers from untrusted source. Result 0xC3E93C5E(...)"
    size_t r = h->free_text.find("Result 0x");
    if (r == std::string_view::npos) r = h->free_text.find("Result 0X");
    if (r != std::string_view::npos) {
      have_code = parse_result_code(h->free_text.substr(r + 7), &code, &name);
    }
  }
  if (h->flag == "TF_COMPONENT" && items.empty()) {
    // A one-line component trace: only a failure HRESULT (top bit set) makes it worth an event.
    if (!have_code || code.size() < 10 || code[2] < '8') return;
  }

  Event e = base_event(*h, ctx_, record_line_, EventKind::Diagnostic);
  add_common_fields(*h, e.fields);
  std::string text;
  for (auto& [k, v] : items) {
    if (iequals(k, "Severity")) {
      e.fields.emplace_back("severity", v);
    } else if (iequals(k, "Text")) {
      text = v;
      e.fields.emplace_back("text", v);
    } else if (iequals(k, "Result-Code")) {
      // Written once below, normalised.
    } else if (iequals(k, "SIP-Start-Line")) {
      e.fields.emplace_back("sip_start_line", v);
    } else if (iequals(k, "SIP-Call-ID")) {
      e.call_id = v;
    } else if (iequals(k, "SIP-CSeq")) {
      e.cseq = v;
    } else if (iequals(k, "Peer")) {
      e.remote = v;
    } else if (iequals(k, "LogType")) {
      e.fields.emplace_back("log_type", v);
    } else if (iequals(k, "Data")) {
      for (auto& [dk, dv] : parse_param_list(v)) {
        e.fields.emplace_back("data." + dk, std::move(dv));
      }
    } else {
      e.fields.emplace_back(std::string(k), v);
    }
  }
  if (have_code) {
    e.fields.emplace_back("result_code", code);
    if (!name.empty()) e.fields.emplace_back("result_name", name);
  }
  if (!h->free_text.empty()) e.fields.emplace_back("header_text", std::string(h->free_text));
  if (!why.empty()) e.fields.emplace_back("truncated", std::string(why));

  const std::string& label = name.empty() ? code : name;
  const std::string detail = text.empty() ? std::string(h->free_text) : text;
  e.summary = label.empty() ? detail : detail.empty() ? label : label + ": " + detail;
  e.raw = raw_;
  clear_raw();
  ctx_.events->on_event(std::move(e));
}

}  // namespace fedtriage
