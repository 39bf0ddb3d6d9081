#include "parsers/expressway/expressway_parser.h"

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "lib/core/timestamp.h"
#include "lib/sip/sip_message.h"
#include "parsers/expressway/summary_twins.h"
#include "parsers/expressway/tvcs_line.h"

namespace fedtriage {
namespace {

// A SIPMSG block larger than this is cut off and reported: no log message is that big, and
// memory must stay bounded on hostile input.
constexpr size_t kMaxBlockBytes = 1 << 20;

bool starts_record(std::string_view line) {
  // Every record line starts with its ISO time ("2018-...") or a syslog priority ("<166>").
  return !line.empty() && ((line[0] >= '0' && line[0] <= '9') || line[0] == '<');
}

bool is_record_line(std::string_view line) {
  return starts_record(line) && split_tvcs_line(line).has_value();
}

// starts_with for a literal, inlined: string_view::starts_with(const char*) stayed an
// out-of-line call (with strlen) on every line.
template <size_t N>
bool has_prefix(std::string_view s, const char (&prefix)[N]) {
  return s.size() >= N - 1 && std::memcmp(s.data(), prefix, N - 1) == 0;
}

// True for the modules whose lines can make an event.
bool wanted_module(std::string_view body) {
  const size_t m = body.find("Module=\"");
  if (m == std::string_view::npos) return false;
  const std::string_view module = body.substr(m + 8);
  // developer.* is the bulk: one prefix compare rejects it.
  if (has_prefix(module, "developer.")) return has_prefix(module.substr(10), "ssl\"");
  if (!has_prefix(module, "network.")) return false;
  const std::string_view sub = module.substr(8);
  return has_prefix(sub, "sip\"") || has_prefix(sub, "tcp\"") || has_prefix(sub, "dns\"");
}

bool contains_ci(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    size_t j = 0;
    while (j < needle.size()) {
      char a = hay[i + j];
      if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
      if (a != needle[j]) break;
      ++j;
    }
    if (j == needle.size()) return true;
  }
  return false;
}

// A TCP close reason that speaks of TLS / certificates makes the close a TLS failure.
bool is_tls_reason(std::string_view reason) {
  for (std::string_view w : {"certificate", "ssl", "tls", "handshake", "alert", "cipher", "verify",
                             "self signed", "identity"}) {
    if (contains_ci(reason, w)) return true;
  }
  return false;
}

std::string join_addr(std::optional<std::string_view> ip, std::optional<std::string_view> port) {
  if (!ip || ip->empty()) return {};
  std::string out(*ip);
  if (port && !port->empty()) {
    out += ':';
    out += *port;
  }
  return out;
}

// developer.ssl writes addresses as "['IPv4''TCP''172.16.2.2:5062']": keep the ip:port.
std::string ssl_address(std::string_view v) {
  const size_t end = v.rfind("']");
  if (end == std::string_view::npos) return std::string(v);
  const size_t start = v.rfind('\'', end - 1);
  if (start == std::string_view::npos || start + 1 > end) return std::string(v);
  return std::string(v.substr(start + 1, end - start - 1));
}

}  // namespace

// After a record line the parser has no block open (a record line closes one), and a DEBUG
// network.sip header still waiting for its " SIPMSG:" line is dropped by the next record line
// as by a new parser; what pairs summaries with their twins is the stitcher's.
bool expressway_cut_before(std::string_view previous, std::string_view line) {
  return is_record_line(previous) && is_record_line(line);
}

bool looks_like_expressway_log(std::string_view head) {
  size_t pos = 0;
  int lines = 0;
  while (pos < head.size() && lines < 200) {
    size_t nl = head.find('\n', pos);
    if (nl == std::string_view::npos) nl = head.size();
    std::string_view line = head.substr(pos, nl - pos);
    if (auto t = split_tvcs_line(line)) {
      if (t->body.find("UTCTime=\"") != std::string_view::npos || t->body.starts_with("Event=\"")) {
        return true;
      }
    }
    pos = nl + 1;
    ++lines;
  }
  return false;
}

class ExpresswayParser::Impl {
 public:
  explicit Impl(ParserContext ctx) : ctx_(std::move(ctx)) {
    if (!ctx_.chunk) twins_ = std::make_unique<SummaryTwins>(ctx_.events);
  }

  void feed(std::string_view line, uint64_t line_no) {
    if (in_block_) {
      if (is_record_line(line)) {
        report(block_.line, "SIPMSG block not closed before the next record (log cut?)");
        close_block(/*complete=*/false);
      } else {
        block_line(line, line_no);
        return;
      }
    }
    if (awaiting_sipmsg_) {
      awaiting_sipmsg_ = false;
      std::string_view t = line;
      while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
      if (t.starts_with("SIPMSG:")) {
        in_block_ = true;
        t.remove_prefix(7);
        while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
        if (!t.empty()) block_line(std::string(" ") + std::string(t), line_no);
        return;
      }
      // A DEBUG network.sip line without its block: nothing to parse; carry on below.
    }
    if (!starts_record(line)) return;  // noise between records
    const auto body = tvcs_body(line);
    if (!body) return;
    // Cheap skip of the bulk (~80 % of the lines): developer.* modules other than
    // developer.ssl, and anything that is not network.sip / network.tcp / network.dns. The
    // prefix (time, host) is split only for the lines that are kept.
    const bool event_line = has_prefix(*body, "Event=\"");
    if (!event_line && !wanted_module(*body)) return;
    record_line(*split_tvcs_line(line), line, line_no, event_line);
  }

  void finish() {
    if (in_block_) {
      report(block_.line, "SIPMSG block truncated at end of file");
      close_block(/*complete=*/false);
    }
    if (twins_) twins_->finish();
    if (ctx_.events) release_held();
  }

 private:
  struct Block {
    uint64_t line = 0;
    Event event;  // everything but the SIP part, from the header line
    std::string text;
    bool truncated = false;
    bool in_body = false;
  };

  void report(uint64_t line, std::string message,
              Problem::Severity sev = Problem::Severity::Warning) {
    if (ctx_.problems) ctx_.problems->on_problem(Problem{sev, ctx_.file, line, std::move(message)});
  }

  void emit(Event&& e) {
    if (twins_) {
      twins_->event(std::move(e));
    } else if (ctx_.events) {
      release_held();
      ctx_.events->on_event(std::move(e));
    }
  }

  // Reading a piece: the last summary waits here for its twin, usually the next record. Paired
  // in the piece, it goes on as a light marker: the summary event need not cross threads.
  struct HeldSummary {
    Event event;
    std::string detail, key;
  };
  void release_held() {
    if (!held_) return;
    emit_summary_marker(*ctx_.events, std::move(held_->event), std::move(held_->detail),
                        std::move(held_->key));
    held_.reset();
  }

  Event base_event(const TvcsLine& t, const std::vector<TvcsAttribute>& attrs,
                   std::string_view line, uint64_t line_no, EventKind kind) {
    Event e;
    e.source = Source::Expressway;
    e.kind = kind;
    e.origin = {ctx_.file, line_no};
    e.host = std::string(t.host);
    if (auto utc = tvcs_value(attrs, "UTCTime");
        utc && (e.ts_ms = parse_ymd_hms_millis(*utc).value_or(INT64_MIN)) != INT64_MIN) {
      e.basis = TimeBasis::Utc;
    } else {
      e.ts_ms = local_to_utc(t.local_time).value_or(0);
      if (e.ts_ms == 0) report(line_no, "no usable time stamp (UTCTime missing or malformed)");
    }
    e.fields.reserve(attrs.size() + 1);  // + summary_line of a SIP line
    for (const auto& a : attrs) {
      if (a.key == "UTCTime") continue;
      e.fields.emplace_back(normalize_tvcs_key(a.key), std::string(a.value));
    }
    e.raw = std::string(line);
    return e;
  }

  static std::optional<int64_t> local_to_utc(std::string_view local) {
    // "2018-01-01T12:56:48.964-05:00" or without millis "2012-12-11T03:06:53+00:00".
    if (local.size() < 20 || local[10] != 'T') return std::nullopt;
    std::string s(local.substr(0, 10));
    s += ' ';
    size_t p = 11;
    s += local.substr(p, 8);
    p += 8;
    if (p < local.size() && local[p] == '.') {
      s += ',';
      s += local.substr(p + 1, 3);
      p += 4;
    }
    auto ms = parse_ymd_hms_millis(s);
    auto off = parse_utc_offset(local.substr(std::min(p, local.size())));
    if (!ms || !off) return std::nullopt;
    return *ms - int64_t{*off} * 60000;
  }

  void record_line(const TvcsLine& t, std::string_view line, uint64_t line_no, bool event_line) {
    attrs_.clear();
    scan_tvcs_attributes(t.body, attrs_);
    if (event_line) {
      const std::string_view name = tvcs_value(attrs_, "Event").value_or("");
      const bool tls = name.find("TLS Negotiation Error") != std::string_view::npos;
      Event e = base_event(t, attrs_, line, line_no, tls ? EventKind::Tls : EventKind::CallEvent);
      // TLS errors name both ends; Src is the peer for inbound ones. Call events name the
      // peer that sent the call as Src.
      const std::string src =
          join_addr(tvcs_value(attrs_, "Src-ip"), tvcs_value(attrs_, "Src-port"));
      const std::string dst =
          join_addr(tvcs_value(attrs_, "Dst-ip"), tvcs_value(attrs_, "Dst-port"));
      if (tls && name.starts_with("Outbound")) {
        e.local = src;
        e.remote = dst;
        e.direction = Direction::Out;
      } else {
        if (tls) e.direction = Direction::In;
        e.local = dst;
        e.remote = src;
      }
      e.summary = std::string(name);
      if (auto d = tvcs_value(attrs_, "Detail")) e.summary += ": " + std::string(*d);
      if (auto r = tvcs_value(attrs_, "Reason")) e.summary += " (" + std::string(*r) + ")";
      emit(std::move(e));
      return;
    }
    const std::string_view module = tvcs_value(attrs_, "Module").value_or("");
    const std::string_view detail = tvcs_value(attrs_, "Detail").value_or("");
    if (module == "network.sip") {
      sip_line(t, line, line_no);
    } else if (module == "network.tcp") {
      const std::string_view reason = tvcs_value(attrs_, "Reason").value_or("");
      const bool failed = detail.find("Failed") != std::string_view::npos;
      const bool closed_with_reason =
          detail.find("Closed") != std::string_view::npos && !reason.empty();
      // "TCP Connecting": the Expressway opens a connection (Src is always the side that
      // connected): it ties a later outbound failure to the call that made it connect.
      const bool connecting = detail == "TCP Connecting";
      if (!failed && !closed_with_reason && !connecting) return;  // established / clean close
      Event e = base_event(t, attrs_, line, line_no,
                           is_tls_reason(reason) ? EventKind::Tls : EventKind::Tcp);
      e.local = join_addr(tvcs_value(attrs_, "Src-ip"), tvcs_value(attrs_, "Src-port"));
      e.remote = join_addr(tvcs_value(attrs_, "Dst-ip"), tvcs_value(attrs_, "Dst-port"));
      if (connecting || failed) e.direction = Direction::Out;
      e.summary = std::string(detail);
      if (!reason.empty()) e.summary += ": " + std::string(reason);
      emit(std::move(e));
    } else if (module == "developer.ssl") {
      const std::string_view level = tvcs_value(attrs_, "Level").value_or("");
      if (level != "ERROR" && level != "WARN" && level != "WARNING") return;
      Event e = base_event(t, attrs_, line, line_no, EventKind::Tls);
      if (auto a = tvcs_value(attrs_, "localAddress")) e.local = ssl_address(*a);
      if (auto a = tvcs_value(attrs_, "remoteAddress")) e.remote = ssl_address(*a);
      if (auto b = tvcs_value(attrs_, "bServer")) {
        e.direction = *b == "true" ? Direction::In : Direction::Out;
      }
      // The free text before the first pair says what failed.
      std::string_view msg = t.body;
      if (size_t colon = msg.find("\":  "); colon != std::string_view::npos)
        msg.remove_prefix(colon + 4);
      else if (size_t c2 = msg.find("\": "); c2 != std::string_view::npos)
        msg.remove_prefix(c2 + 3);
      if (size_t q = msg.find("=\""); q != std::string_view::npos) {
        size_t sp = msg.rfind(' ', q);
        msg = msg.substr(0, sp == std::string_view::npos ? 0 : sp);
      }
      e.summary = std::string(msg);
      if (auto r = tvcs_value(attrs_, "ssl_error_reason")) e.summary += ": " + std::string(*r);
      emit(std::move(e));
    } else if (module == "network.dns") {
      Event e = base_event(t, attrs_, line, line_no, EventKind::Dns);
      // "Resolved hostname to:  ['IPv4''TCP''198.51.100.5:5061'] ['IPv4''TCP''...']": the
      // addresses, the first as the remote end (the one the Expressway tries first).
      std::string addresses;
      for (size_t at = detail.find("['"); at != std::string_view::npos;
           at = detail.find("['", at + 2)) {
        const size_t end = detail.find("']", at);
        if (end == std::string_view::npos) break;
        const std::string a = ssl_address(detail.substr(at, end + 2 - at));
        if (e.remote.empty()) e.remote = a;
        addresses += (addresses.empty() ? "" : " ") + a;
      }
      if (!addresses.empty()) e.fields.emplace_back("addresses", addresses);
      e.summary = std::string(detail);
      if (auto n = tvcs_value(attrs_, "Name")) e.summary += " " + std::string(*n);
      emit(std::move(e));
    }
  }

  void sip_line(const TvcsLine& t, std::string_view line, uint64_t line_no) {
    const std::string_view action = tvcs_value(attrs_, "Action").value_or("");
    const std::string_view detail = tvcs_value(attrs_, "Detail").value_or("");
    const std::string_view hash = tvcs_value(attrs_, "Msg-Hash").value_or("");
    Event e = base_event(t, attrs_, line, line_no, EventKind::Sip);
    const auto src = join_addr(tvcs_value(attrs_, "Src-ip"), tvcs_value(attrs_, "Src-port"));
    const auto dst = join_addr(tvcs_value(attrs_, "Dst-ip"), tvcs_value(attrs_, "Dst-port"));
    const auto local = join_addr(tvcs_value(attrs_, "Local-ip"), tvcs_value(attrs_, "Local-port"));
    if (action == "Received" || (action.empty() && !src.empty())) {
      e.direction = Direction::In;
      e.remote = src;
    } else if (action == "Sent" || (action.empty() && !dst.empty())) {
      e.direction = Direction::Out;
      e.remote = dst;
    }
    e.local = local;

    if (!detail.empty() && (detail.starts_with("Receive ") || detail.starts_with("Sending "))) {
      // INFO summary: its DEBUG twin with the same Msg-Hash carries the whole message.
      std::string key = hash.empty() ? summary_hash(detail) : std::string(hash);
      if (twins_) {
        twins_->summary(std::move(e), std::string(detail), std::move(key), line_no);
      } else if (ctx_.events) {
        release_held();
        if (key.empty()) {
          emit_summary_marker(*ctx_.events, std::move(e), std::string(detail), std::move(key));
        } else {
          held_ = HeldSummary{std::move(e), std::string(detail), std::move(key)};
        }
      }
      return;
    }
    // DEBUG line: the SIPMSG block follows, either on this line (flattened) or below.
    if (!hash.empty()) {
      if (twins_) {
        twins_->twin(std::string(hash), line_no);
      } else if (ctx_.events) {
        if (held_ && held_->key == hash) {
          e.fields.emplace_back("summary_line", std::to_string(held_->event.origin.line));
          emit_paired_marker(*ctx_.events, held_->key, held_->event.origin.line);
          held_.reset();
        } else {
          release_held();
          emit_twin_marker(*ctx_.events, std::string(hash), line_no);
        }
      }
    }
    reset_block();
    block_.line = line_no;
    block_.event = std::move(e);
    const size_t inline_msg = t.body.find("SIPMSG:");
    if (inline_msg != std::string_view::npos) {
      std::string_view rest = t.body.substr(inline_msg + 7);
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      if (!rest.empty() && rest.front() == '|') rest.remove_prefix(1);
      if (!rest.empty() && rest.back() == '|') rest.remove_suffix(1);
      block_.text = unflatten_sip_message(rest);
      close_block(/*complete=*/true);
      return;
    }
    awaiting_sipmsg_ = true;
  }

  // Msg-Hash inside the Detail text ("..., Msg-Hash=1434..., ...").
  static std::string summary_hash(std::string_view detail) {
    const size_t p = detail.find("Msg-Hash=");
    if (p == std::string_view::npos) return {};
    size_t e = detail.find(',', p);
    if (e == std::string_view::npos) e = detail.size();
    return std::string(detail.substr(p + 9, e - p - 9));
  }

  // The log prints a message as " |" + text + "|", with one space after every line break,
  // so the line that closes the block tells how the message ended: " |" after a final CRLF,
  // a bare "|" (X7) or a "|" glued to the last line when it had none. The text is rebuilt
  // with CRLF so that bodies keep their Content-Length.
  void block_line(std::string_view line, uint64_t line_no) {
    (void)line_no;
    if (line == " |") {
      close_block(/*complete=*/true);
      return;
    }
    if (line == "|") {
      drop_trailing_crlf();
      close_block(/*complete=*/true);
      return;
    }
    std::string_view content = line;
    if (!content.empty() && content.front() == ' ') content.remove_prefix(1);
    bool closes = false;
    if (block_.text.empty() && !content.empty() && content.front() == '|') {
      content.remove_prefix(1);  // start line
    } else if (block_.in_body && !content.empty() && content.back() == '|') {
      content.remove_suffix(1);
      closes = true;
    }
    if (content.empty() && !block_.text.empty()) block_.in_body = true;
    if (!block_.truncated) {
      if (block_.text.size() + content.size() + 2 > kMaxBlockBytes) {
        block_.truncated = true;
        report(block_.line, "SIPMSG block larger than 1 MiB: the rest is ignored");
      } else {
        block_.text.append(content);
        block_.text += "\r\n";
      }
    }
    if (closes) {
      drop_trailing_crlf();
      close_block(/*complete=*/true);
    }
  }

  void drop_trailing_crlf() {
    if (block_.text.ends_with("\r\n")) block_.text.resize(block_.text.size() - 2);
  }

  void close_block(bool complete) {
    in_block_ = false;
    (void)complete;
    SipParseError err;
    auto msg = parse_sip_message(block_.text, &err);
    if (!msg) {
      report(block_.line, "SIPMSG block is not a SIP message: " + err.message);
      return;
    }
    Event e = std::move(block_.event);
    e.call_id = msg->call_id;
    e.cseq = msg->cseq();
    e.summary = msg->is_request ? msg->method + " " + msg->request_uri
                                : std::to_string(msg->status_code) + " " + msg->reason_phrase;
    // Exact capacity: events are held until the run ends, appends would leave up to 2x slack.
    e.raw.reserve(e.raw.size() + 10 + block_.text.size());
    e.raw += "\n SIPMSG:\n";
    e.raw += block_.text;
    e.sip = std::move(*msg);
    emit(std::move(e));
    reset_block();
  }

  // Keeps the text buffer: a block grows line by line, and reallocating it for every message
  // showed in the profile. A buffer grown by a huge block is given back.
  void reset_block() {
    std::string text = std::move(block_.text);
    text.clear();
    if (text.capacity() > (64 << 10)) text.shrink_to_fit();
    block_ = Block{};
    block_.text = std::move(text);
  }

  ParserContext ctx_;
  std::vector<TvcsAttribute> attrs_;  // reused per line: no per-line allocation once warm
  bool awaiting_sipmsg_ = false;
  bool in_block_ = false;
  Block block_;
  std::unique_ptr<SummaryTwins> twins_;  // null when reading a piece: the stitcher pairs them
  std::optional<HeldSummary> held_;
};

ExpresswayParser::ExpresswayParser(ParserContext context)
    : impl_(std::make_unique<Impl>(std::move(context))) {}
ExpresswayParser::~ExpresswayParser() = default;
void ExpresswayParser::feed(std::string_view line, uint64_t line_no) {
  impl_->feed(line, line_no);
}
void ExpresswayParser::finish() {
  impl_->finish();
}

}  // namespace fedtriage
