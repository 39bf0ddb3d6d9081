#include "lib/rules/rule_engine.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>

#include "lib/correlate/correlator.h"
#include "lib/correlate/event_sketch.h"
#include "lib/rules/rule_match.h"
#include "lib/rules/rule_model.h"
#include "lib/rules/template_text.h"

namespace fedtriage {
namespace {

struct Hit {
  size_t event = 0;
  Fields fields;  // extracted from this event alone
};

struct RuleHits {
  const rules::Rule* rule = nullptr;
  size_t order = 0;       // load order, the last tie-break
  std::vector<Hit> hits;  // time order
};

bool earlier(const std::vector<Event>& events, size_t a, size_t b) {
  if (events[a].ts_ms != events[b].ts_ms) return events[a].ts_ms < events[b].ts_ms;
  return a < b;
}

// Per field, the first non-empty value over the hits in time order.
Fields merge_fields(const std::vector<Hit>& hits) {
  Fields out;
  for (const Hit& h : hits) {
    for (const auto& [k, v] : h.fields) {
      if (!v.empty() && !find_field(out, k)) out.emplace_back(k, v);
    }
  }
  return out;
}

Evidence make_evidence(const std::vector<Event>& events, size_t index) {
  const Event& e = events[index];
  return Evidence{index, e.origin.file, e.origin.line + rules::evidence_line_offset(e),
                  rules::evidence_text(e), e.origin.line};
}

// The DNS answers linked to the call, each with the name queried (the correlator paired them).
struct ResolvedName {
  std::string name;                // the query
  std::vector<std::string> hosts;  // the answer's addresses, without ports
  size_t answer = 0;               // the answer event
};

std::vector<ResolvedName> resolved_names(const Call& call, const std::vector<Event>& events) {
  std::vector<ResolvedName> out;
  for (const CallLink& l : call.links) {
    if (l.kind != EventKind::Dns || l.event >= events.size() || l.query >= events.size()) continue;
    const std::string* name = find_field(events[l.query].fields, "name");
    const std::string* addresses = find_field(events[l.event].fields, "addresses");
    if (!name || !addresses) continue;
    std::vector<std::string> hosts;
    for (std::string_view rest = *addresses; !rest.empty();) {
      const size_t space = rest.find(' ');
      const std::string host = address_host(rest.substr(0, space));
      if (!host.empty() && std::find(hosts.begin(), hosts.end(), host) == hosts.end()) {
        hosts.push_back(host);
      }
      rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
    }
    out.push_back(ResolvedName{*name, std::move(hosts), l.event});
  }
  // In time order of the answers, as the links were before: the first that names the peer wins.
  std::sort(out.begin(), out.end(), [&events](const ResolvedName& a, const ResolvedName& b) {
    return earlier(events, a.answer, b.answer);
  });
  return out;
}

// Where the call's failure came from: the peer that sent the failure response, else the one
// the call's last request went to.
std::string failure_peer(const Call& call, const std::vector<Event>& events) {
  std::string sent_to;
  for (size_t i : call.events) {
    if (i >= events.size()) continue;
    const Event& e = events[i];
    if (!e.sip || e.remote.empty()) continue;
    if (!e.sip->is_request && e.direction == Direction::In &&
        e.sip->status_code == call.failure_status) {
      return address_host(e.remote);
    }
    if (e.sip->is_request && e.direction == Direction::Out) sent_to = address_host(e.remote);
  }
  return sent_to;
}

// What the call says of its own failure, for the failure finding's templates.
Fields call_fields(const Call& call) {
  Fields out;
  if (!call.failed()) return out;
  out.emplace_back("phase", std::string(to_string(call.phase)));
  if (!call.failure_method.empty()) out.emplace_back("failed_request", call.failure_method);
  if (call.failure_status) {
    out.emplace_back("answer", std::to_string(call.failure_status) +
                                   (call.failure_reason.empty() ? "" : " " + call.failure_reason));
  }
  if (std::find(call.sources.begin(), call.sources.end(), Source::Expressway) !=
      call.sources.end()) {
    out.emplace_back("expressway_seen", "yes");
  }
  if (call.phase == CallPhase::MidDialog) {
    const std::string domain = uri_domain(call.failure_request_uri);
    if (!domain.empty()) out.emplace_back("contact_domain", domain);
  }
  return out;
}

// Which member of a pool the call went to: an SRV record that resolved to several addresses,
// one of them the peer; an A/AAAA query that resolved to it names the server. The DNS answer
// that says so joins `evidence`.
void add_pool_member(const Call& call, const std::vector<Event>& events, Fields& out,
                     std::set<size_t>* evidence) {
  const std::string peer = failure_peer(call, events);
  if (peer.empty()) return;
  for (const ResolvedName& r : resolved_names(call, events)) {
    const std::string& name = r.name;
    const std::vector<std::string>& hosts = r.hosts;
    if (std::find(hosts.begin(), hosts.end(), peer) == hosts.end()) continue;
    evidence->insert(r.answer);
    if (name.starts_with("_")) {
      if (find_field(out, "peer_srv_record")) continue;
      std::string list;
      for (const std::string& h : hosts) list += (list.empty() ? "" : ", ") + h;
      out.emplace_back("peer_srv_record", name);
      out.emplace_back("peer_srv_addresses", list);
      out.emplace_back("peer_srv_count", std::to_string(hosts.size()));
      out.emplace_back("peer_address", peer);
    } else if (!find_field(out, "peer_name")) {
      out.emplace_back("peer_name", name);
      if (!find_field(out, "peer_address")) out.emplace_back("peer_address", peer);
    }
  }
}

Finding make_finding(const Call& call, const RuleHits& rh, const std::vector<Event>& events,
                     std::set<size_t> evidence, const Fields& from_call = {}) {
  const rules::Rule& r = *rh.rule;
  Finding f;
  f.call_id = call.call_id;
  f.rule_id = r.id;
  f.title = r.title;
  f.severity = r.severity;
  f.fields = merge_fields(rh.hits);
  rules::apply_compute(r, f.fields);
  for (const auto& [k, v] : from_call) {
    if (!find_field(f.fields, k)) f.fields.emplace_back(k, v);
  }
  f.root_cause = render_template(r.root_cause, f.fields);
  f.fix = render_template(r.fix, f.fields);
  for (const Hit& h : rh.hits) evidence.insert(h.event);
  std::vector<size_t> ordered(evidence.begin(), evidence.end());
  std::sort(ordered.begin(), ordered.end(),
            [&events](size_t a, size_t b) { return earlier(events, a, b); });
  for (size_t i : ordered) f.evidence.push_back(make_evidence(events, i));
  return f;
}

// The responses that carry the call's failure (e.g. the Expressway's bare 504): they belong
// to whatever explains it.
bool is_failure_response(const Call& call, const Event& e) {
  if (!e.sip || e.sip->is_request) return false;
  const int code = e.sip->status_code;
  if (code < 300 || code == 401 || code == 407) return false;
  if (call.failed()) return code == call.failure_status;
  return call.final_status == 0 && code >= 500;
}

// A transport failure tied to the call through a link (no Call-ID of its own).
bool linked_transport(const Call& call, const Event& e, size_t index) {
  if (e.kind != EventKind::Tls && e.kind != EventKind::Tcp) return false;
  return std::any_of(call.links.begin(), call.links.end(),
                     [index](const CallLink& l) { return l.event == index; });
}

// The link that tied a transport failure among `events` (its reason states the chain).
const CallLink* transport_link(const Call& call, const std::set<size_t>& events) {
  for (const CallLink& l : call.links) {
    if ((l.kind == EventKind::Tls || l.kind == EventKind::Tcp) && events.count(l.event)) return &l;
  }
  return nullptr;
}

// A call answered 2xx whose failure rule matched a line after that answer (the BYE that
// cleared it, an Expressway record of failed media checks): it failed in the dialog. A failure
// before the 2xx (one fork refused, another answered) leaves the call as it ended.
bool failed_after_success(const Call& call, const std::vector<Event>& events, size_t hit,
                          FailureVerdict* v) {
  if (call.failed() || call.final_status < 200 || call.final_status >= 300) return false;
  int64_t answered_ms = INT64_MAX;
  for (size_t i : call.events) {
    if (i >= events.size()) continue;
    const Event& e = events[i];
    if (e.sip && !e.sip->is_request && e.sip->status_code == call.final_status &&
        e.sip->cseq_method == call.method) {
      answered_ms = std::min(answered_ms, e.ts_ms);
    }
  }
  if (hit >= events.size() || events[hit].ts_ms < answered_ms) return false;
  const Event& e = events[hit];
  if (e.sip && e.sip->is_request) {
    v->method = e.sip->method;
    v->request_uri = e.sip->request_uri;
  }
  return true;
}

}  // namespace

std::vector<Finding> explain_call(const RuleSet& rule_set, const Call& call,
                                  const std::vector<Event>& events, FailureVerdict* verdict) {
  // A call that succeeded or ended as designed has no transport failure to explain.
  const bool settled = call.final_status != 0 && !call.failed();
  const auto& rules = rule_set.impl().rules;
  // Links may repeat what call_id already tied: each event once, in time order.
  std::vector<size_t> indices;
  for (size_t i : call.events) {
    if (i < events.size()) indices.push_back(i);
  }
  for (const CallLink& l : call.links) {
    if (l.event < events.size()) indices.push_back(l.event);
  }
  std::sort(indices.begin(), indices.end());
  indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
  std::sort(indices.begin(), indices.end(),
            [&events](size_t a, size_t b) { return earlier(events, a, b); });

  std::vector<RuleHits> matched;
  for (size_t r = 0; r < rules.size(); ++r) {
    RuleHits rh{&rules[r], r, {}};
    for (size_t i : indices) {
      if (settled && linked_transport(call, events[i], i)) continue;
      if (auto m = rules::match_rule(rules[r], events[i])) {
        rh.hits.push_back(Hit{i, rules::extract_fields(rules[r], events[i], *m)});
      }
    }
    if (!rh.hits.empty()) matched.push_back(std::move(rh));
  }

  std::vector<const RuleHits*> failure;
  std::vector<const RuleHits*> observations;
  for (const RuleHits& rh : matched) {
    (rh.rule->explains_failure ? failure : observations).push_back(&rh);
  }
  auto ranks_before = [&events](const RuleHits* a, const RuleHits* b) {
    if (a->rule->priority != b->rule->priority) return a->rule->priority > b->rule->priority;
    const size_t ea = a->hits.front().event;
    const size_t eb = b->hits.front().event;
    if (ea != eb) return earlier(events, ea, eb);
    return a->order < b->order;
  };
  std::sort(failure.begin(), failure.end(), ranks_before);
  std::sort(observations.begin(), observations.end(), ranks_before);

  std::vector<Finding> out;
  FailureVerdict v;
  v.explained = !failure.empty();
  if (!failure.empty()) {
    v.after_success = failed_after_success(call, events, failure.front()->hits.front().event, &v);
    // Its findings speak of the call as settle_outcome() will leave it.
    std::optional<Call> settled_copy;
    if (v.after_success) {
      settled_copy = call;
      settle_outcome(*settled_copy, v);
    }
    const Call& settled = settled_copy ? *settled_copy : call;
    std::set<size_t> evidence;
    for (size_t k = 1; k < failure.size(); ++k) {
      for (const Hit& h : failure[k]->hits) evidence.insert(h.event);
    }
    for (size_t i : indices) {
      if (is_failure_response(settled, events[i])) evidence.insert(i);
    }
    Fields from_call = call_fields(settled);
    if (settled.failed() && failure.front()->rule->names_pool_member) {
      add_pool_member(settled, events, from_call, &evidence);
    }
    std::set<size_t> all = evidence;
    for (const Hit& h : failure.front()->hits) all.insert(h.event);
    const CallLink* chain = transport_link(settled, all);
    if (chain) from_call.emplace_back("chain", chain->reason);
    Finding f = make_finding(settled, *failure.front(), events, std::move(evidence), from_call);
    for (size_t k = 1; k < failure.size(); ++k) f.related_rules.push_back(failure[k]->rule->id);
    if (chain && chain->reason.starts_with("ambiguous: ")) {
      // Not pinned on this call alone: say so before the cause.
      f.root_cause = "Ambiguous: " + chain->reason.substr(11) +
                     ". If this call's failure is that one: " + f.root_cause;
    }
    out.push_back(std::move(f));
  }
  if (verdict) *verdict = std::move(v);
  for (const RuleHits* rh : observations) out.push_back(make_finding(call, *rh, events, {}));
  return out;
}

void settle_outcome(Call& call, const FailureVerdict& verdict) {
  if (call.failed() || !verdict.explained) return;
  if (verdict.after_success) {
    call.outcome = Outcome::Failed;
    call.phase = CallPhase::MidDialog;
    call.failure_method = verdict.method;
    call.failure_request_uri = verdict.request_uri;
    return;
  }
  if (call.final_status != 0) return;
  call.outcome = Outcome::Failed;
  call.phase = CallPhase::Setup;
  call.failure_method = call.method;
  call.failure_request_uri = call.request_uri;
}

}  // namespace fedtriage
