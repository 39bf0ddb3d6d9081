#include "lib/report/event_json.h"

#include <string_view>

#include "lib/core/timestamp.h"
#include "lib/report/json_support.h"

namespace fedtriage {
namespace {

// The JSON text is written directly (no tree): keys, order and omissions are those of the
// object the nlohmann version built; strings go through append_json_string, which prints
// them byte for byte as dump_json did.

void key(std::string& out, std::string_view k) {
  out += '"';
  out += k;
  out += "\":";
}

// `,"k":"value"` when the value is not empty (the member is left out otherwise).
void member_if_set(std::string& out, std::string_view k, const std::string& value) {
  if (value.empty()) return;
  out += ',';
  key(out, k);
  append_json_string(out, value);
}

void string_or_null(std::string& out, const std::string& s) {
  if (s.empty()) {
    out += "null";
  } else {
    append_json_string(out, s);
  }
}

// True when `k` appeared before index `end` (ordered_json: a repeated key keeps its first value).
template <typename Pairs>
bool seen_before(const Pairs& pairs, size_t end, const std::string& k) {
  for (size_t i = 0; i < end; ++i) {
    if (pairs[i].first == k) return true;
  }
  return false;
}

template <typename Pairs>
void object_first_wins(std::string& out, const Pairs& pairs) {
  out += '{';
  bool first = true;
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (seen_before(pairs, i, pairs[i].first)) continue;
    if (!first) out += ',';
    first = false;
    append_json_string(out, pairs[i].first);
    out += ':';
    append_json_string(out, pairs[i].second);
  }
  out += '}';
}

void party(std::string& out, const NameAddr& p) {
  out += "{\"display\":";
  append_json_string(out, p.display_name);
  out += ",\"uri\":";
  append_json_string(out, p.uri);
  out += ",\"tag\":";
  append_json_string(out, p.tag);
  out += '}';
}

void ms_diagnostics(std::string& out, const std::vector<MsDiagnostic>& diags) {
  out += '[';
  for (size_t i = 0; i < diags.size(); ++i) {
    const MsDiagnostic& d = diags[i];
    if (i > 0) out += ',';
    out += "{\"code\":";
    append_json_int(out, d.code);
    out += ",\"reason\":";
    append_json_string(out, d.reason);
    out += ",\"params\":";
    object_first_wins(out, d.params);
    if (d.sub_code >= 0) {
      out += ",\"sub_code\":";
      append_json_int(out, d.sub_code);
    }
    if (d.is_public) out += ",\"public\":true";
    out += '}';
  }
  out += ']';
}

}  // namespace

void append_event_json(std::string& out, const Event& e, const EventJsonOptions& options) {
  out += "{\"ts\":\"";
  out += format_iso_utc(e.ts_ms);  // digits, '-', ':', '.', 'T', 'Z': nothing to escape
  out += '"';
  if (e.basis != TimeBasis::Utc) {
    out += ",\"time_basis\":";
    append_json_string(out, to_string(e.basis));
  }
  out += ",\"source\":";
  append_json_string(out, to_string(e.source));
  out += ",\"kind\":";
  append_json_string(out, to_string(e.kind));
  out += ",\"origin\":{\"file\":";
  append_json_string(out, e.origin.file);
  out += ",\"line\":";
  append_json_uint(out, e.origin.line);
  out += '}';
  member_if_set(out, "host", e.host);
  out += ',';
  key(out, "call_id");
  string_or_null(out, e.call_id);
  out += ',';
  key(out, "cseq");
  string_or_null(out, e.cseq);
  if (e.sip) {
    const SipMessage& m = *e.sip;
    out += ",\"method\":";
    append_json_string(out, m.method);
    out += ",\"status\":";
    if (m.is_request) {
      out += "null,\"request_uri\":";
      append_json_string(out, m.request_uri);
    } else {
      append_json_int(out, m.status_code);
      out += ",\"reason\":";
      append_json_string(out, m.reason_phrase);
    }
    out += ",\"from\":";
    party(out, m.from);
    out += ",\"to\":";
    party(out, m.to);
    member_if_set(out, "server", m.server);
    member_if_set(out, "user_agent", m.user_agent);
  }
  out += ",\"direction\":";
  append_json_string(out, to_string(e.direction));
  out += ',';
  key(out, "local");
  string_or_null(out, e.local);
  out += ',';
  key(out, "remote");
  string_or_null(out, e.remote);
  if (e.sip) {
    out += ",\"ms_diagnostics\":";
    ms_diagnostics(out, e.sip->ms_diagnostics);
  }
  member_if_set(out, "summary", e.summary);
  if (!e.fields.empty()) {
    out += ",\"fields\":";
    object_first_wins(out, e.fields);
  }
  if (options.include_raw) {
    out += ",\"raw\":";
    append_json_string(out, e.raw);
  }
  out += '}';
}

std::string event_to_json(const Event& e, const EventJsonOptions& options) {
  std::string out;
  out.reserve(512 + e.summary.size() + (options.include_raw ? e.raw.size() + e.raw.size() / 8 : 0));
  append_event_json(out, e, options);
  return out;
}

}  // namespace fedtriage
