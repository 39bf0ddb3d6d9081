#include "parsers/expressway/summary_twins.h"

#include <algorithm>
#include <cstdlib>
#include <string_view>
#include <utility>
#include <vector>

#include "lib/sip/sip_message.h"
#include "parsers/expressway/tvcs_line.h"

namespace fedtriage {
namespace {

// INFO summary lines wait this many lines for their DEBUG SIPMSG twin (same Msg-Hash).
constexpr uint64_t kSummaryHorizonLines = 20000;

// Marker fields, last in a marker event; no log key starts with a control character.
constexpr std::string_view kSummaryKey = "\x01summary-key";
constexpr std::string_view kSummaryDetail = "\x01summary-detail";
constexpr std::string_view kTwinKey = "\x01twin-key";
constexpr std::string_view kPairedKey = "\x01paired-key";

// A summary whose twin never came (INFO-only logging) still tells that a message passed: a
// SIP event built from the Detail text.
Event summary_event(Event&& event, std::string_view d) {
  Event e = std::move(event);
  auto get = [&](std::string_view key) -> std::string {
    std::string pat = std::string(key) + "=";
    size_t pos = 0;
    while ((pos = d.find(pat, pos)) != std::string_view::npos) {
      if (pos == 0 || d[pos - 1] == ' ' || d[pos - 1] == ',') break;
      ++pos;
    }
    if (pos == std::string_view::npos) return {};
    size_t s = pos + pat.size();
    size_t end = d.find(", ", s);
    if (end == std::string_view::npos) end = d.size();
    return std::string(d.substr(s, end - s));
  };
  SipMessage m;
  const bool response = d.find("Response Code=") != std::string_view::npos;
  m.is_request = !response;
  m.method = get("Method");
  m.call_id = get("Call-ID");
  m.cseq_method = m.method;
  const std::string cseq = get("CSeq");
  m.cseq_number = static_cast<uint32_t>(std::strtoul(cseq.c_str(), nullptr, 10));
  if (response) m.status_code = std::atoi(get("Code").c_str());
  m.request_uri = get("Request-URI");
  m.to.uri = get("To");
  m.from.tag = get("From-Tag");
  m.to.tag = get("To-Tag");
  e.call_id = m.call_id;
  e.cseq = m.cseq();
  e.summary = response ? std::to_string(m.status_code) + " (" + m.method + ")"
                       : m.method + " " + m.request_uri;
  e.fields.emplace_back("from_summary_only", "true");
  // RFC 7989 UUIDs as the Expressway saw them: they tie B2BUA legs into one conversation.
  for (const char* key : {"Local-SessionID", "Remote-SessionID"}) {
    std::string v = get(key);
    if (!v.empty()) e.fields.emplace_back(normalize_tvcs_key(key), std::move(v));
  }
  e.sip = std::move(m);
  return e;
}

class ExpresswayStitcher : public EventStitcher {
 public:
  explicit ExpresswayStitcher(EventSink* out) : twins_(out) {}
  void on_event(Event&& e) override {
    if (!e.fields.empty() && e.fields.back().first == kSummaryKey) {
      std::string key = std::move(e.fields.back().second);
      e.fields.pop_back();
      std::string detail = std::move(e.fields.back().second);
      e.fields.pop_back();
      const uint64_t line = e.origin.line;
      twins_.summary(std::move(e), std::move(detail), std::move(key), line);
    } else if (!e.fields.empty() && e.fields.back().first == kTwinKey) {
      twins_.twin(e.fields.back().second, e.origin.line);
    } else if (!e.fields.empty() && e.fields.back().first == kPairedKey) {
      twins_.paired(e.fields.back().second, e.origin.line);
    } else {
      twins_.event(std::move(e));
    }
  }
  void finish() override { twins_.finish(); }

 private:
  SummaryTwins twins_;
};

}  // namespace

void SummaryTwins::summary(Event&& e, std::string detail, std::string key, uint64_t line) {
  if (!key.empty()) pending_[std::move(key)] = Pending{std::move(e), std::move(detail)};
  flush(line);
}

void SummaryTwins::twin(const std::string& key, uint64_t line) {
  twin_line_ = line;
  twin_summary_line_.clear();
  if (auto it = pending_.find(key); it != pending_.end()) {
    twin_summary_line_ = std::to_string(it->second.event.origin.line);
    pending_.erase(it);
  }
}

void SummaryTwins::paired(const std::string& key, uint64_t line) {
  // The summary replaced any older one with its key, and its twin took it out again.
  pending_.erase(key);
  twin_line_ = 0;
  twin_summary_line_.clear();
  flush(line);
}

void SummaryTwins::event(Event&& e) {
  if (!twin_summary_line_.empty() && e.origin.line == twin_line_ && e.kind == EventKind::Sip) {
    e.fields.emplace_back("summary_line", std::move(twin_summary_line_));
    twin_summary_line_.clear();
  }
  if (out_) out_->on_event(std::move(e));
}

void SummaryTwins::finish() {
  flush(UINT64_MAX);
}

// Due summaries go out in line order (not the hash map's): the same order however the file was
// read.
void SummaryTwins::flush(uint64_t now_line) {
  std::vector<std::unordered_map<std::string, Pending>::iterator> due;
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    if (now_line == UINT64_MAX || now_line - it->second.event.origin.line >= kSummaryHorizonLines) {
      due.push_back(it);
    }
  }
  if (due.empty()) return;
  std::sort(due.begin(), due.end(), [](const auto& a, const auto& b) {
    return a->second.event.origin.line < b->second.event.origin.line;
  });
  for (auto it : due) {
    Event e = summary_event(std::move(it->second.event), it->second.detail);
    if (out_) out_->on_event(std::move(e));
    pending_.erase(it);
  }
}

void emit_summary_marker(EventSink& out, Event&& e, std::string detail, std::string key) {
  e.fields.emplace_back(kSummaryDetail, std::move(detail));
  e.fields.emplace_back(kSummaryKey, std::move(key));
  out.on_event(std::move(e));
}

void emit_twin_marker(EventSink& out, const std::string& key, uint64_t line) {
  Event e;
  e.origin.line = line;
  e.fields.emplace_back(kTwinKey, key);
  out.on_event(std::move(e));
}

void emit_paired_marker(EventSink& out, const std::string& key, uint64_t line) {
  Event e;
  e.origin.line = line;
  e.fields.emplace_back(kPairedKey, key);
  out.on_event(std::move(e));
}

bool is_expressway_stitch_marker(const Event& e) {
  if (e.fields.empty()) return false;
  const std::string& key = e.fields.back().first;
  return key == kSummaryKey || key == kTwinKey || key == kPairedKey;
}

std::unique_ptr<EventStitcher> make_expressway_stitcher(ParserContext context) {
  return std::make_unique<ExpresswayStitcher>(context.events);
}

}  // namespace fedtriage
