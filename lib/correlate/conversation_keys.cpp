#include "lib/correlate/conversation_keys.h"

#include <algorithm>

#include "lib/base/ascii.h"
#include "lib/correlate/conversation_linker.h"

namespace fedtriage {
namespace {

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// "c6a7...;remote=0000..." -> the local and the remote UUID.
void add_session_id_header(std::string_view value, std::vector<LinkKey>& keys) {
  size_t semi = value.find(';');
  if (std::string uuid = session_uuid(value.substr(0, semi)); !uuid.empty()) {
    keys.push_back({"session-id", std::move(uuid)});
  }
  while (semi != std::string_view::npos) {
    value.remove_prefix(semi + 1);
    semi = value.find(';');
    const std::string_view param = trim_ascii(value.substr(0, semi));
    const size_t eq = param.find('=');
    if (eq == std::string_view::npos || !iequals(trim_ascii(param.substr(0, eq)), "remote")) {
      continue;
    }
    if (std::string uuid = session_uuid(param.substr(eq + 1)); !uuid.empty()) {
      keys.push_back({"session-id", std::move(uuid)});
    }
  }
}

// An identifier longer than this is no identifier (a hostile or broken header): never a key.
constexpr size_t kMaxKeyBytes = 256;

void add_value(std::string kind, std::string_view value, std::vector<LinkKey>& keys) {
  value = trim_ascii(value);
  if (value.empty() || value.size() > kMaxKeyBytes) return;
  keys.push_back({std::move(kind), std::string(value)});
}

void sip_keys(const SipMessage& m, const std::vector<std::string>& extra,
              std::vector<LinkKey>& keys) {
  for (const Via& v : m.vias) {
    if (!v.proxy_call_id.empty()) add_value("call-serial-number", v.proxy_call_id, keys);
  }
  for (const SipHeader& h : m.headers) {
    const std::string_view name = trim_ascii(h.name);
    if (iequals(name, "Session-ID")) {
      add_session_id_header(h.value, keys);
    } else if (iequals(name, "X-TAATag")) {
      add_value("x-taatag", to_lower_ascii(trim_ascii(h.value)), keys);
    } else if (iequals(name, "Ms-Conversation-ID")) {
      add_value("ms-conversation-id", h.value, keys);
    } else if (iequals(name, "X-CID")) {
      add_value("x-cid", h.value, keys);
    } else if (iequals(name, "X-Call-ID")) {
      add_value("x-call-id", h.value, keys);
    } else {
      for (const std::string& x : extra) {
        if (iequals(name, x)) add_value(to_lower_ascii(x), h.value, keys);
      }
    }
  }
}

}  // namespace

std::string session_uuid(std::string_view text) {
  text = trim_ascii(text);
  if (!text.empty() && text.front() == '"' && text.back() == '"' && text.size() >= 2) {
    text = text.substr(1, text.size() - 2);
  }
  // RFC 7989: 32 hex digits; allow a little either side, never a runaway value.
  if (text.size() > 64) return {};
  std::string out;
  bool nonzero = false;
  for (char c : text) {
    if (c == '-') continue;
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!is_hex(c)) return {};
    nonzero = nonzero || c != '0';
    out += c;
  }
  return nonzero && out.size() >= 16 ? out : std::string();
}

CallKeys call_link_keys(const Call& call, const std::function<const Event&(size_t)>& event,
                        const std::vector<std::string>& extra_headers) {
  CallKeys k;
  k.call_id = call.call_id;
  k.method = call.method;
  k.first_ms = call.first_ms;
  k.final_status = call.final_status;
  k.final_reason = call.final_reason;
  k.request_uri = call.request_uri;
  // Presence and registration dialogs tie nothing (conversation_linker.h): no keys to keep.
  const bool keyed = links_conversations(call.method);
  for (size_t i : call.events) {
    const Event& e = event(i);
    if (e.kind == EventKind::CallEvent && keyed) {
      // Tied to this call through Call-serial-number = Via proxy-call-id: its Tag is the
      // X-TAATag the Expressway puts on the call's messages.
      if (const std::string* tag = find_field(e.fields, "tag")) {
        add_value("x-taatag", to_lower_ascii(*tag), k.keys);
      }
      continue;
    }
    if (e.kind != EventKind::Sip || !e.sip) continue;
    const SipMessage& m = *e.sip;
    if (k.ms_diagnostic == 0 && !m.is_request && m.status_code >= 300 &&
        !m.ms_diagnostics.empty()) {
      k.ms_diagnostic = m.ms_diagnostics.front().code;
    }
    if (!keyed) continue;
    // The Expressway's INFO summary of a message (kept when its full twin was not logged).
    for (const char* field : {"local_sessionid", "remote_sessionid"}) {
      if (const std::string* v = find_field(e.fields, field)) {
        if (std::string uuid = session_uuid(*v); !uuid.empty()) {
          k.keys.push_back({"session-id", std::move(uuid)});
        }
      }
    }
    sip_keys(m, extra_headers, k.keys);
  }
  std::sort(k.keys.begin(), k.keys.end());
  k.keys.erase(std::unique(k.keys.begin(), k.keys.end()), k.keys.end());
  // Every message pushed its keys: without this the capacity of all of them stays, for every
  // call of the analysis until the conversations are linked.
  k.keys.shrink_to_fit();
  return k;
}

}  // namespace fedtriage
