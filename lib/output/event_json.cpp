#include "lib/output/event_json.h"

#include <nlohmann/json.hpp>

#include "lib/core/timestamp.h"
#include "lib/output/json_support.h"

namespace fedtriage {

using nlohmann::ordered_json;

std::string event_to_json(const Event& e, const EventJsonOptions& options) {
  ordered_json j;
  j["ts"] = format_iso_utc(e.ts_ms);
  if (e.basis != TimeBasis::Utc) j["time_basis"] = to_string(e.basis);
  j["source"] = to_string(e.source);
  j["kind"] = to_string(e.kind);
  j["origin"] = {{"file", e.origin.file}, {"line", e.origin.line}};
  if (!e.host.empty()) j["host"] = e.host;
  j["call_id"] = e.call_id.empty() ? ordered_json(nullptr) : ordered_json(e.call_id);
  j["cseq"] = e.cseq.empty() ? ordered_json(nullptr) : ordered_json(e.cseq);
  if (e.sip) {
    const SipMessage& m = *e.sip;
    j["method"] = m.method;
    j["status"] = m.is_request ? ordered_json(nullptr) : ordered_json(m.status_code);
    if (!m.is_request) j["reason"] = m.reason_phrase;
    if (m.is_request) j["request_uri"] = m.request_uri;
    j["from"] = {{"display", m.from.display_name}, {"uri", m.from.uri}, {"tag", m.from.tag}};
    j["to"] = {{"display", m.to.display_name}, {"uri", m.to.uri}, {"tag", m.to.tag}};
    if (!m.server.empty()) j["server"] = m.server;
    if (!m.user_agent.empty()) j["user_agent"] = m.user_agent;
  }
  j["direction"] = to_string(e.direction);
  j["local"] = e.local.empty() ? ordered_json(nullptr) : ordered_json(e.local);
  j["remote"] = e.remote.empty() ? ordered_json(nullptr) : ordered_json(e.remote);
  if (e.sip) j["ms_diagnostics"] = ms_diagnostics_to_json(e.sip->ms_diagnostics);
  if (!e.summary.empty()) j["summary"] = e.summary;
  if (!e.fields.empty()) j["fields"] = fields_to_json(e.fields);
  if (options.include_raw) j["raw"] = e.raw;
  return dump_json(j);
}

}  // namespace fedtriage
