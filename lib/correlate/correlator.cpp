#include "lib/correlate/correlator.h"

#include <algorithm>
#include <deque>
#include <string>
#include <unordered_map>

#include "lib/base/ascii.h"
#include "lib/core/product.h"
#include "lib/correlate/outcome.h"

namespace fedtriage {
namespace {

// One transmission of a SIP message has the same top Via at the sender (out) and at the
// receiver (in): each hop adds (requests) or removes (responses) its own.
std::string transmission_key(const Event& e) {
  const SipMessage& m = *e.sip;
  std::string key = e.call_id + "|" + std::to_string(m.cseq_number) + " " + m.cseq_method + "|" +
                    std::to_string(m.status_code) + "|";
  if (!m.vias.empty() && !m.vias.front().branch.empty()) {
    key += m.vias.front().branch;
  } else {
    // No Via branch to go by: every sighting stands alone.
    key += "@" + e.origin.file + ":" + std::to_string(e.origin.line);
  }
  return key;
}

void add_unique(std::vector<std::string>& list, const std::string& value) {
  if (value.empty()) return;
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

uint64_t pair_key(uint32_t a, uint32_t b) {
  return (static_cast<uint64_t>(a) << 32) | b;
}

// The request that names the call: its first INVITE, else its first request other than
// ACK/CANCEL. Index into the plan's events, or npos.
template <typename IsRequest, typename IsInvite>
size_t first_request(const std::vector<uint32_t>& events, IsRequest is_request,
                     IsInvite is_invite) {
  size_t best = std::string::npos;
  for (size_t k = 0; k < events.size(); ++k) {
    if (!is_request(events[k])) continue;
    if (best == std::string::npos || (!is_invite(events[best]) && is_invite(events[k]))) best = k;
  }
  return best;
}

// Outcome and phase from the call's SIP messages (events carrying the Call-ID, time order):
// the first request's final response says whether setup failed; after a 2xx, the first failing
// final response to a later request (re-INVITE, UPDATE, BYE, ...) is a mid-dialog failure.
void settle_outcome(Call& call, const std::function<const Event&(size_t)>& event,
                    const Event* request) {
  if (call.final_status == 0) return;  // nothing seen: the rules may still find a failure
  const SipMessage* first = request ? &*request->sip : nullptr;
  const std::string method = first ? first->method : call.method;
  bool cancelled = false;
  for (size_t i : call.events) {
    const Event& e = event(i);
    if (e.sip && e.sip->is_request && e.sip->method == "CANCEL" &&
        (!first || e.sip->cseq_number == first->cseq_number)) {
      cancelled = true;
    }
  }
  auto fail = [&](CallPhase phase, const SipMessage& m, std::string failed_method,
                  std::string uri) {
    call.outcome = Outcome::Failed;
    call.phase = phase;
    call.failure_status = m.status_code;
    call.failure_reason = m.reason_phrase;
    call.failure_method = std::move(failed_method);
    call.failure_request_uri = std::move(uri);
  };
  // A request of the call by CSeq, for the request-URI of a failed one.
  auto request_uri_of = [&](const SipMessage& response) -> std::string {
    for (size_t i : call.events) {
      const Event& e = event(i);
      if (e.sip && e.sip->is_request && e.sip->cseq_number == response.cseq_number &&
          e.sip->method == response.cseq_method) {
        return e.sip->request_uri;
      }
    }
    return {};
  };
  const int status = call.final_status;
  if (status == 401 || status == 407) {
    // A challenge: the retry (same method, higher CSeq) says how it ended.
    const SipMessage* retry = nullptr;
    for (size_t i : call.events) {
      const Event& e = event(i);
      if (e.sip && !e.sip->is_request && e.sip->status_code >= 200 && first &&
          e.sip->cseq_method == first->cseq_method && e.sip->cseq_number > first->cseq_number) {
        retry = &*e.sip;
      }
    }
    if (retry && !ends_as_designed(retry->status_code, retry->cseq_method, true)) {
      fail(CallPhase::Setup, *retry, retry->cseq_method, request_uri_of(*retry));
    } else {
      call.outcome = Outcome::Normal;
    }
    return;
  }
  if (status >= 300) {
    if (ends_as_designed(status, method, cancelled)) {
      call.outcome = Outcome::Normal;
      return;
    }
    call.outcome = Outcome::Failed;
    call.phase = CallPhase::Setup;
    call.failure_status = status;
    call.failure_reason = call.final_reason;
    call.failure_method = method;
    call.failure_request_uri = call.request_uri;
    return;
  }
  if (status < 200 || !first) return;
  // Set up: look for a request inside the dialog that failed.
  for (size_t i : call.events) {
    const Event& e = event(i);
    if (!e.sip || e.sip->is_request || e.sip->status_code < 300) continue;
    const SipMessage& m = *e.sip;
    if (m.cseq_number == first->cseq_number && m.cseq_method == first->cseq_method) continue;
    if (m.cseq_method == "ACK" || m.cseq_method == "CANCEL" || e.ts_ms < request->ts_ms) continue;
    if (ends_as_designed(m.status_code, m.cseq_method, true)) continue;
    fail(CallPhase::MidDialog, m, m.cseq_method == "INVITE" ? "re-INVITE" : m.cseq_method,
         request_uri_of(m));
    return;
  }
}

// Fills first/last, parties, final status, sources, hosts and message sightings from the
// events carrying the Call-ID (links come after).
void summarize(Call& call, const std::function<const Event&(size_t)>& event) {
  auto is_request = [&](size_t i) {
    const Event& e = event(i);
    return e.sip && e.sip->is_request && e.sip->method != "ACK" && e.sip->method != "CANCEL";
  };
  auto is_invite = [&](size_t i) { return event(i).sip->method == "INVITE"; };
  std::vector<uint32_t> ids(call.events.begin(), call.events.end());
  const size_t first = first_request(ids, is_request, is_invite);
  const Event* request = first == std::string::npos ? nullptr : &event(ids[first]);
  call.first_ms = call.events.empty() ? 0 : event(call.events.front()).ts_ms;
  call.last_ms = call.events.empty() ? 0 : event(call.events.back()).ts_ms;
  if (request) {
    const SipMessage& m = *request->sip;
    call.method = m.method;
    call.request_uri = m.request_uri;
    call.from_uri = m.from.uri;
    call.from_display = m.from.display_name;
    call.to_uri = m.to.uri;
  } else {
    // Only diagnostics saw the call (an Edge that refused to route it): their
    // SIP-Start-Line still names the request.
    for (size_t i : call.events) {
      const std::string* start = find_field(event(i).fields, "sip_start_line");
      if (!start) continue;
      const size_t sp = start->find(' ');
      if (sp == std::string::npos) continue;
      const size_t sp2 = start->find(' ', sp + 1);
      call.method = start->substr(0, sp);
      call.request_uri = start->substr(sp + 1, sp2 == std::string::npos ? sp2 : sp2 - sp - 1);
      break;
    }
  }
  std::unordered_map<std::string, size_t> sighting_of;
  for (size_t i : call.events) {
    const Event& e = event(i);
    if (std::find(call.sources.begin(), call.sources.end(), e.source) == call.sources.end()) {
      call.sources.push_back(e.source);
    }
    add_unique(call.hosts, e.host);
    add_unique(call.hosts, address_host(e.remote));
    if (!e.sip) continue;
    const SipMessage& m = *e.sip;
    if (call.from_uri.empty()) {
      call.from_uri = m.from.uri;
      call.from_display = m.from.display_name;
      call.to_uri = m.to.uri;
    }
    // Final status: the last final response to the call's first request.
    if (!m.is_request && m.status_code >= 200 &&
        (!request || (m.cseq_number == request->sip->cseq_number &&
                      m.cseq_method == request->sip->cseq_method))) {
      call.final_status = m.status_code;
      call.final_reason = m.reason_phrase;
    }
    const std::string key = transmission_key(e);
    auto [it, inserted] = sighting_of.emplace(key, call.messages.size());
    if (inserted) call.messages.push_back(MessageSighting{{}, key});
    call.messages[it->second].events.push_back(i);
  }
  std::sort(call.sources.begin(), call.sources.end());
  settle_outcome(call, event, request);
}

}  // namespace

std::string address_host(std::string_view address) {
  if (address.empty()) return {};
  if (address.front() == '[') {
    const size_t close = address.find(']');
    return std::string(
        address.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1));
  }
  const size_t colon = address.find(':');
  if (colon != std::string_view::npos && address.find(':', colon + 1) == std::string_view::npos) {
    return std::string(address.substr(0, colon));
  }
  return std::string(address);  // bare host or bare IPv6
}

namespace {

// plan_calls in three named steps over one read's sketches.
class CallPlanner {
 public:
  CallPlanner(const SketchSet& set, const CorrelationOptions& options)
      : set(set), options(options), ev(set.events), str(set.strings) {}

  // Every event with a Call-ID joins its call's plan; Via proxy-call-ids are remembered for the
  // Expressway's Event= lines that name them.
  // Tables by string id (ids are dense): a few bytes a string, where hash maps cost ~40 an entry.
  void group_by_call_id() {
    std::vector<uint32_t> plan_of_call(str.size(), kNone);  // Call-ID -> plan
    proxy_of.assign(str.size(), {kNone, 0});
    for (uint32_t i = 0; i < ev.size(); ++i) {
      const EventSketch& e = ev[i];
      if (!e.call) continue;
      uint32_t& plan = plan_of_call[e.call];
      if (plan == kNone) {
        plan = static_cast<uint32_t>(events_of.size());
        events_of.emplace_back();
        call_of.push_back(e.call);
        links_of.emplace_back();
      }
      events_of[plan].push_back(i);
      for (uint32_t p : e.proxy) {
        if (p && proxy_of[p].first == kNone) proxy_of[p] = {plan, i};  // the first sighting
      }
    }
  }

  // Each failed call's (Expressway, peer) pairs, the calls each Expressway answered itself
  // (pending), and each call's requests leaving an Expressway towards its domain, sorted by time
  // for the binary searches of link_events_without_call_id.
  void index_failures_and_departures() {
    auto is_request = [&](uint32_t i) {
      return ev[i].has(EventSketch::kRequest) && !ev[i].has(EventSketch::kAckOrCancel);
    };
    auto is_invite = [&](uint32_t i) { return ev[i].has(EventSketch::kInvite); };
    for (uint32_t c = 0; c < events_of.size(); ++c) {
      const std::vector<uint32_t>& events = events_of[c];
      // The call's domain: of its naming request, else of the first SIP-Start-Line.
      uint32_t domain = 0;
      const size_t request = first_request(events, is_request, is_invite);
      if (request != std::string::npos) {
        domain = ev[events[request]].domain;
      } else {
        for (uint32_t i : events) {
          if (ev[i].has(EventSketch::kStartLine)) {
            domain = ev[i].start_domain;
            break;
          }
        }
      }
      // The Expressway answered the call itself: it may never have reached the peer, whose
      // transport failure then shows only on the Expressway (see link_pending).
      for (uint32_t a : events) {
        const EventSketch& own = ev[a];
        if (!own.has(EventSketch::kOwnAnswer) || !is_local_failure(own.status)) continue;
        // A response without a Server header that came in from the next hop was relayed.
        const bool relayed = std::any_of(events.begin(), events.end(), [&](uint32_t i) {
          return ev[i].host == own.host && ev[i].direction == Direction::In &&
                 ev[i].status == own.status && ev[i].ts_ms <= own.ts_ms &&
                 !ev[i].has(EventSketch::kRequest);
        });
        if (relayed) break;
        for (uint32_t i : events) {
          const EventSketch& e = ev[i];
          if (e.ts_ms > own.ts_ms) break;
          if (e.host != own.host || !is_request(i) || e.direction != Direction::In) continue;
          pending_by_host[e.host].push_back({e.ts_ms, own.ts_ms, c, i, a, domain});
          break;
        }
        break;
      }
      if (!domain) continue;
      for (uint32_t i : events) {
        const EventSketch& s = ev[i];
        if (!s.has(EventSketch::kRequest) || s.direction != Direction::Out) continue;
        departures_by_domain[pair_key(s.host, domain)].push_back({s.ts_ms, c, i});
      }
    }
    // What the Expressways resolved and where they connected, for the chains of pending calls.
    for (uint32_t i = 0; i < ev.size(); ++i) {
      const EventSketch& e = ev[i];
      if (e.call) continue;
      if (e.kind == EventKind::Dns) dns_by_host[e.host].push_back(i);
      if (e.has(EventSketch::kConnect) && e.peer) connects[pair_key(e.host, e.peer)].push_back(i);
    }
    pair_dns_answers();
    auto by_time = [](const auto& a, const auto& b) {
      return a.ts_ms != b.ts_ms ? a.ts_ms < b.ts_ms : a.event < b.event;
    };
    for (auto& [key, list] : departures_by_domain) std::sort(list.begin(), list.end(), by_time);
    for (auto& [key, list] : pending_by_host) {
      std::sort(list.begin(), list.end(), [](const Pending& a, const Pending& b) {
        return a.arrival_ms != b.arrival_ms ? a.arrival_ms < b.arrival_ms : a.plan < b.plan;
      });
    }
  }

  // Event= lines, TLS/TCP failures and DNS queries carry no Call-ID: tie each to the calls it
  // explains, with the reason stated.
  void link_events_without_call_id() {
    struct Answer {
      uint32_t plan, answer, query;
    };
    std::vector<Answer> answers;
    for (uint32_t i = 0; i < ev.size(); ++i) {
      const EventSketch& e = ev[i];
      if (e.call) continue;
      if ((e.kind == EventKind::CallEvent || e.kind == EventKind::Tls) && e.name) {
        if (const auto& [plan, message] = proxy_of[e.name]; plan != kNone) {
          link(plan, {i, message, Reason::kSerial});
          continue;
        }
      }
      if (e.kind == EventKind::Tls || e.kind == EventKind::Tcp) {
        // Inbound failures (a peer or a scanner connecting to the Expressway) explain no call.
        if (!e.peer || e.has(EventSketch::kConnect) || e.direction == Direction::In) continue;
        link_pending(i);
      } else if (e.kind == EventKind::Dns && e.name) {
        const std::string name(str.at(e.name));
        const std::string qname = to_lower_ascii(name);
        // "_sipfederationtls._tcp.skype.lab": try every suffix that starts after a dot. A call
        // is tied at its first request leaving this same Expressway shortly after the query.
        std::vector<uint32_t> linked;
        for (size_t dot = qname.find('.'); dot != std::string::npos;
             dot = qname.find('.', dot + 1)) {
          const uint32_t domain = set.strings.find(std::string_view(qname).substr(dot + 1));
          if (!domain) continue;
          auto it = departures_by_domain.find(pair_key(e.host, domain));
          if (it == departures_by_domain.end()) continue;
          const std::vector<Departure>& list = it->second;
          auto d = std::lower_bound(list.begin(), list.end(), e.ts_ms,
                                    [](const Departure& x, int64_t t) { return x.ts_ms < t; });
          for (; d != list.end() && d->ts_ms - e.ts_ms <= options.dns_window_ms; ++d) {
            if (std::find(linked.begin(), linked.end(), d->plan) != linked.end()) continue;
            linked.push_back(d->plan);
            link(d->plan, {i, d->event, Reason::kDnsQuery});
          }
        }
        // Its answer names the addresses, e.g. every member of an Edge pool: which one the
        // call went to is what a reader needs to collect the right server's log.
        // Linked last, so that a transport failure's chain, which says more, names it first.
        if (auto a = answer_of.find(i); a != answer_of.end()) {
          for (uint32_t plan : linked) answers.push_back({plan, a->second, i});
        }
      }
    }
    for (const Answer& a : answers) {
      link(a.plan, {a.answer, a.query, Reason::kDnsAnswer, a.query});
    }
  }

  // Plan c, with its Call-ID and its links in words: handed over one at a time, so that only
  // the links of one plan are ever written out in memory.
  CallPlan take(uint32_t c) {
    CallPlan p;
    p.events = std::move(events_of[c]);
    p.call_id = str.at(call_of[c]);
    p.links.reserve(links_of[c].size());
    for (const PlannedLink& l : links_of[c]) {
      const EventSketch& e = ev[l.event];
      CallLink& added =
          p.links.emplace_back(l.event, reason_text(l), set.files[e.file], e.line, e.kind);
      if (l.query != UINT32_MAX) added.query = l.query;
    }
    std::vector<PlannedLink>().swap(links_of[c]);
    return p;
  }

  std::vector<std::vector<uint32_t>> events_of;  // plan -> its events, until take()

 private:
  // What an Expressway answers when it could not reach the next hop itself.
  static bool is_local_failure(int status) {
    return status == 503 || status == 408 || status == 480 || status == 504;
  }

  // Ties outbound transport failure `f` to the calls that were waiting for it on the same
  // Expressway: the call's request arrived, the Expressway resolved the call's domain to the
  // failing address and/or connected to it, the failure followed, and the Expressway answered
  // the call itself. Several such calls: each is told the failure is ambiguous. False when no
  // call's chain holds.
  bool link_pending(uint32_t f) {
    const EventSketch& e = ev[f];
    auto hp = pending_by_host.find(e.host);
    if (hp == pending_by_host.end()) return false;
    struct Chain {
      const Pending* pending;
      uint32_t query = UINT32_MAX, answer = UINT32_MAX, connect = UINT32_MAX, sent = UINT32_MAX;
    };
    std::vector<Chain> chains;
    const std::vector<Pending>& pending = hp->second;
    // A call waits at most about the INVITE timeout: start two windows back.
    auto from = std::lower_bound(pending.begin(), pending.end(),
                                 e.ts_ms - 2 * options.transport_failure_window_ms,
                                 [](const Pending& x, int64_t t) { return x.arrival_ms < t; });
    for (auto it = from; it != pending.end(); ++it) {
      const Pending& p = *it;
      if (p.arrival_ms > e.ts_ms) break;
      if (e.ts_ms > p.answer_ms + 1000 ||
          p.answer_ms - e.ts_ms > options.transport_failure_window_ms) {
        continue;
      }
      Chain c{&p};
      bool elsewhere = false;
      if (auto dh = dns_by_host.find(e.host); dh != dns_by_host.end() && p.domain) {
        const std::string domain(str.at(p.domain));
        const std::vector<uint32_t>& dns = dh->second;
        const size_t first = static_cast<size_t>(
            std::lower_bound(dns.begin(), dns.end(), p.arrival_ms,
                             [&](uint32_t x, int64_t t) { return ev[x].ts_ms < t; }) -
            dns.begin());
        for (size_t k = first; k < dns.size() && ev[dns[k]].ts_ms <= e.ts_ms; ++k) {
          const EventSketch& q = ev[dns[k]];
          if (q.ts_ms < p.arrival_ms || q.ts_ms > e.ts_ms || !q.name) continue;
          const std::string name = to_lower_ascii(str.at(q.name));
          if (name != domain && !name.ends_with("." + domain)) continue;
          // Its answer: the next DNS line of this host that names an address.
          for (size_t a = k + 1; a < dns.size() && ev[dns[a]].ts_ms <= e.ts_ms; ++a) {
            const EventSketch& ans = ev[dns[a]];
            if (ans.name) break;  // the next query: this one had no address line
            if (!ans.peer) continue;
            if (ans.peer == e.peer) {
              c.query = dns[k];
              c.answer = dns[a];
            } else {
              elsewhere = true;
            }
            break;
          }
          if (c.answer != UINT32_MAX) break;
        }
      }
      if (auto cn = connects.find(pair_key(e.host, e.peer)); cn != connects.end()) {
        auto k = std::lower_bound(cn->second.begin(), cn->second.end(), p.arrival_ms,
                                  [&](uint32_t x, int64_t t) { return ev[x].ts_ms < t; });
        if (k != cn->second.end() && ev[*k].ts_ms <= e.ts_ms) c.connect = *k;
      }
      // The call's own request sent to that address (over a connection that then failed).
      for (uint32_t k : events_of[p.plan]) {
        const EventSketch& r = ev[k];
        if (r.ts_ms > e.ts_ms) break;
        if (r.host == e.host && r.peer == e.peer && r.direction == Direction::Out &&
            r.has(EventSketch::kRequest) && r.ts_ms >= p.arrival_ms) {
          c.sent = k;
          break;
        }
      }
      if (c.answer == UINT32_MAX && c.sent == UINT32_MAX &&
          (c.connect == UINT32_MAX || elsewhere)) {
        continue;
      }
      chains.push_back(c);
    }
    if (chains.empty()) return false;
    const std::string host(str.at(e.host));
    const std::string peer(str.at(e.peer));
    const std::string what = std::string(e.kind == EventKind::Tls ? "TLS" : "TCP");
    for (const Chain& c : chains) {
      const Pending& p = *c.pending;
      const EventSketch& arrival = ev[p.arrival];
      const EventSketch& answer = ev[p.answer];
      std::string reason;
      if (chains.size() > 1) {
        reason = "ambiguous: " + std::to_string(chains.size()) + " calls were waiting on " + host +
                 " when its outbound " + what + " to " + peer + " failed; this is one of them: ";
      } else {
        reason = "outbound " + what + " failure on " + host + " towards " + peer + ": ";
      }
      reason += std::string(arrival.has(EventSketch::kInvite) ? "the INVITE" : "the request") +
                " arrived at " + set.where(arrival);
      if (c.answer != UINT32_MAX) {
        reason += ", " + host + " resolved " + std::string(str.at(ev[c.query].name)) + " to " +
                  peer + " at " + set.where(ev[c.answer]);
      }
      if (c.connect != UINT32_MAX) {
        reason += ", connected to " + peer + " at " + set.where(ev[c.connect]);
      }
      if (c.sent != UINT32_MAX) {
        reason += ", sent the call's request to " + peer + " at " + set.where(ev[c.sent]);
      }
      reason += ", the " + what + " failure followed at " + set.where(e) + ", and " + host +
                " answered the call itself with " + std::to_string(answer.status) + " at " +
                set.where(answer);
      link(p.plan, f, reason);
      if (chains.size() == 1) {
        const std::string step =
            "step of the chain of the outbound " + what + " failure at " + set.where(e);
        if (c.query != UINT32_MAX) link(p.plan, c.query, "DNS query, " + step);
        if (c.answer != UINT32_MAX) link(p.plan, c.answer, "DNS answer, " + step, c.query);
        if (c.connect != UINT32_MAX) link(p.plan, c.connect, "TCP Connecting, " + step);
      }
    }
    return true;
  }

  // Each DNS query's answer line on the same Expressway: the log names no query id, so answers
  // are paired first in, first out, within the DNS window. The answer's link carries its query
  // (CallLink::query), so nothing downstream pairs them again.
  void pair_dns_answers() {
    for (const auto& [host, list] : dns_by_host) {
      std::deque<uint32_t> waiting;
      for (uint32_t i : list) {
        const EventSketch& e = ev[i];
        if (e.name) {
          waiting.push_back(i);
          continue;
        }
        while (!waiting.empty() && e.ts_ms - ev[waiting.front()].ts_ms > options.dns_window_ms) {
          waiting.pop_front();
        }
        if (!e.peer || waiting.empty()) continue;
        answer_of.emplace(waiting.front(), i);
        waiting.pop_front();
      }
    }
  }

  // A link as planned: its reason is written out by take(), from the sketches, when the plan
  // is handed over (most reasons are one of three sentences about one or two events).
  enum class Reason : uint8_t {
    kText,       // texts[arg]
    kSerial,     // a Call-serial-number (event) = the Via proxy-call-id of message `arg`
    kDnsQuery,   // a DNS query (event) shortly before the call's request `arg`
    kDnsAnswer,  // the answer (event) to DNS query `arg`
  };
  struct PlannedLink {
    uint32_t event;
    uint32_t arg;
    Reason reason;
    uint32_t query = UINT32_MAX;  // for a DNS answer: its query (CallLink::query)
  };

  std::string reason_text(const PlannedLink& l) const {
    const EventSketch& e = ev[l.event];
    switch (l.reason) {
      case Reason::kSerial:
        return "Call-serial-number " + std::string(str.at(e.name)) +
               " = Via proxy-call-id of the message at " + set.where(ev[l.arg]);
      case Reason::kDnsQuery:
        return "DNS query for " + std::string(str.at(e.name)) + " on " +
               std::string(str.at(e.host)) + ", " + std::to_string(ev[l.arg].ts_ms - e.ts_ms) +
               " ms before the request at " + set.where(ev[l.arg]);
      case Reason::kDnsAnswer:
        return "DNS answer to the query for " + std::string(str.at(ev[l.arg].name)) + " at " +
               set.where(ev[l.arg]);
      case Reason::kText:
        break;
    }
    return texts[l.arg];
  }

  // Ties `l.event` to the plan, once (the first reason stays). A query's link must come
  // before its answer's: a capped call keeps a prefix of its links (analyzer.cpp, cap_call), so
  // an answer kept always has its query.
  bool link(uint32_t plan, PlannedLink l) {
    for (const PlannedLink& k : links_of[plan]) {
      if (k.event == l.event) return false;
    }
    links_of[plan].push_back(l);
    return true;
  }
  void link(uint32_t plan, uint32_t event, std::string reason, uint32_t query = UINT32_MAX) {
    if (link(plan, {event, static_cast<uint32_t>(texts.size()), Reason::kText, query})) {
      texts.push_back(std::move(reason));
    }
  }

  // A request of a call leaving an Expressway.
  struct Departure {
    int64_t ts_ms;
    uint32_t plan;
    uint32_t event;
  };
  // A call that an Expressway answered itself (503/408/480/504, its own Server header or none).
  struct Pending {
    int64_t arrival_ms;  // its request arrived on that Expressway
    int64_t answer_ms;
    uint32_t plan;
    uint32_t arrival;  // the request
    uint32_t answer;   // the Expressway's own failure response
    uint32_t domain;   // of the call's request-URI
  };
  // Pending calls by host and departures by (host, request domain), each list sorted by time,
  // so a transport failure or DNS query finds its calls by binary search: linking stays
  // O(n log n) however many calls share one Expressway or one domain.

  const SketchSet& set;
  const CorrelationOptions& options;
  const std::vector<EventSketch>& ev;
  const StringTable& str;
  std::vector<uint32_t> call_of;                   // plan -> Call-ID
  std::vector<std::vector<PlannedLink>> links_of;  // plan -> its links
  std::vector<std::string> texts;                  // reasons said in full
  static constexpr uint32_t kNone = UINT32_MAX;
  std::vector<std::pair<uint32_t, uint32_t>> proxy_of;  // proxy-call-id -> plan, event (or kNone)
  std::unordered_map<uint64_t, std::vector<Departure>> departures_by_domain;
  std::unordered_map<uint32_t, std::vector<Pending>> pending_by_host;
  std::unordered_map<uint32_t, std::vector<uint32_t>> dns_by_host;  // DNS events, time order
  std::unordered_map<uint32_t, uint32_t> answer_of;                 // DNS query -> its answer
  std::unordered_map<uint64_t, std::vector<uint32_t>> connects;     // (host, peer) -> events
};

}  // namespace

void plan_calls(const SketchSet& set, const CorrelationOptions& options,
                const std::function<void(CallPlan&&)>& each) {
  CallPlanner planner(set, options);
  planner.group_by_call_id();
  planner.index_failures_and_departures();
  planner.link_events_without_call_id();
  for (uint32_t c = 0; c < planner.events_of.size(); ++c) each(planner.take(c));
}

std::vector<CallPlan> plan_calls(const SketchSet& set, const CorrelationOptions& options) {
  std::vector<CallPlan> plans;
  plan_calls(set, options, [&](CallPlan&& p) { plans.push_back(std::move(p)); });
  return plans;
}

Call assemble_call(const CallPlan& plan, const SketchSet& sketches,
                   const std::function<const Event&(size_t)>& event) {
  const std::vector<EventSketch>& ev = sketches.events;
  return assemble_call(
      plan, [&](size_t i) { return ev[i].ts_ms; }, event);
}

Call assemble_call(const CallPlan& plan, const std::function<int64_t(size_t)>& ts_ms,
                   const std::function<const Event&(size_t)>& event) {
  Call call;
  call.call_id = plan.call_id;
  auto by_time = [&](size_t a, size_t b) {
    const int64_t ta = ts_ms(a), tb = ts_ms(b);
    return ta != tb ? ta < tb : a < b;
  };
  call.events.assign(plan.events.begin(), plan.events.end());
  std::sort(call.events.begin(), call.events.end(), by_time);
  summarize(call, event);
  call.links = plan.links;
  for (const CallLink& l : plan.links) call.events.push_back(l.event);
  std::sort(call.events.begin(), call.events.end(), by_time);
  call.count_lists();
  return call;
}

std::vector<Call> correlate(const std::vector<Event>& events, const CorrelationOptions& options) {
  SketchSet sketches;
  sketches.events.reserve(events.size());
  for (const Event& e : events) sketches.add(e);
  std::vector<Call> calls;
  const std::vector<CallPlan> plans = plan_calls(sketches, options);
  calls.reserve(plans.size());
  auto event = [&](size_t i) -> const Event& { return events[i]; };
  for (const CallPlan& p : plans) calls.push_back(assemble_call(p, sketches, event));
  std::stable_sort(calls.begin(), calls.end(),
                   [](const Call& a, const Call& b) { return a.first_ms < b.first_ms; });
  return calls;
}

}  // namespace fedtriage
