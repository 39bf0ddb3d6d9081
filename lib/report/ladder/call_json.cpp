#include "lib/report/ladder/call_json.h"

#include "lib/core/timestamp.h"
#include "lib/report/json_support.h"

namespace fedtriage {

std::string call_to_json(const StoredCall& stored) {
  using nlohmann::ordered_json;
  const CallSummary& c = stored.call;
  ordered_json sources = ordered_json::array();
  for (Source s : c.sources) sources.push_back(std::string(to_string(s)));
  ordered_json j;
  ordered_json call = {{"case", c.case_name},
                       {"call_id", c.call_id},
                       {"first", format_iso_utc(c.first_ms)},
                       {"last", format_iso_utc(c.last_ms)}};
  add_call_ends_json(call, c);
  call["failed"] = c.failed();
  call["sources"] = sources;
  call["hosts"] = c.hosts;
  call["rules"] = c.rule_ids;
  j["call"] = std::move(call);
  j["events"] = ordered_json::array();
  for (const StoredEvent& e : stored.events) {
    ordered_json ev = {{"ts", format_iso_utc(e.ts_ms)},
                       {"basis", std::string(to_string(e.basis))},
                       {"source", std::string(to_string(e.source))},
                       {"kind", std::string(to_string(e.kind))},
                       {"file", e.origin.file},
                       {"line", e.origin.line},
                       {"input", e.input_name},
                       {"host", e.host},
                       {"call_id", e.call_id},
                       {"cseq", e.cseq},
                       {"method", e.method},
                       {"status", e.status},
                       {"reason", e.reason_phrase},
                       {"request_uri", e.request_uri},
                       {"direction", std::string(to_string(e.direction))},
                       {"local", e.local},
                       {"remote", e.remote},
                       {"summary", e.summary},
                       {"fields", fields_to_json(e.fields)},
                       {"ms_diagnostics", ms_diagnostics_to_json(e.ms_diagnostics)},
                       {"link_reason", e.link_reason},
                       {"raw", e.raw}};
    j["events"].push_back(std::move(ev));
  }
  j["findings"] = ordered_json::array();
  for (const StoredFinding& f : stored.findings) {
    ordered_json evidence = ordered_json::array();
    for (const StoredEvidence& ev : f.evidence) {
      evidence.push_back({{"file", ev.file}, {"line", ev.line}, {"text", ev.text}});
    }
    j["findings"].push_back({{"rule_id", f.rule_id},
                             {"title", f.title},
                             {"severity", std::string(to_string(f.severity))},
                             {"root_cause", f.root_cause},
                             {"fix", f.fix},
                             {"fields", fields_to_json(f.fields)},
                             {"related_rules", f.related_rules},
                             {"evidence", evidence}});
  }
  return dump_json(j, 2) + "\n";
}

}  // namespace fedtriage
