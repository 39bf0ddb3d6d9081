#include "lib/report/ladder/in_memory_call.h"

namespace fedtriage {

CallSummary to_call_summary(const Call& call, const std::vector<Finding>& findings,
                            const std::string& case_name) {
  CallSummary c;
  static_cast<CallHeadline&>(c) = call;
  c.case_name = case_name;
  c.event_count = call.events.size();
  for (const Finding& f : findings) {
    if (f.call_id == call.call_id) c.rule_ids.push_back(f.rule_id);
  }
  return c;
}

StoredCall to_stored_call(const Call& call, const std::vector<Event>& events,
                          const std::vector<Finding>& findings, const std::string& case_name) {
  StoredCall out;
  out.call = to_call_summary(call, findings, case_name);
  for (size_t index : call.events) {
    const Event& e = events[index];
    StoredEvent s;
    s.id = static_cast<int64_t>(index) + 1;
    s.ts_ms = e.ts_ms;
    s.basis = e.basis;
    s.source = e.source;
    s.kind = e.kind;
    s.origin = e.origin;
    s.input_name = e.origin.file;
    s.host = e.host;
    s.call_id = e.call_id;
    s.cseq = e.cseq;
    if (e.sip) {
      s.method = e.sip->method;
      s.status = e.sip->is_request ? 0 : e.sip->status_code;
      s.reason_phrase = e.sip->reason_phrase;
      s.request_uri = e.sip->request_uri;
      s.ms_diagnostics = e.sip->ms_diagnostics;
    }
    s.direction = e.direction;
    s.local = e.local;
    s.remote = e.remote;
    s.summary = e.summary;
    s.fields = e.fields;
    s.raw = e.raw;
    for (const CallLink& l : call.links) {
      if (l.event == index) s.link_reason = l.reason;
    }
    out.events.push_back(std::move(s));
  }
  for (const Finding& f : findings) {
    if (f.call_id != call.call_id) continue;
    StoredFinding s;
    s.call_id = f.call_id;
    s.rule_id = f.rule_id;
    s.title = f.title;
    s.severity = f.severity;
    s.fields = f.fields;
    s.root_cause = f.root_cause;
    s.fix = f.fix;
    for (const Evidence& ev : f.evidence) {
      s.evidence.push_back({static_cast<int64_t>(ev.event) + 1, ev.file, ev.line, ev.text});
    }
    out.findings.push_back(std::move(s));
  }
  return out;
}

}  // namespace fedtriage
