#include "lib/correlate/correlator.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "lib/core/ascii.h"

namespace fedtriage {
namespace {

// Host part of a SIP URI: "sip:user@skype.lab;transport=tls" -> "skype.lab".
std::string uri_domain(std::string_view uri) {
  size_t at = uri.find('@');
  size_t start = at == std::string_view::npos ? uri.find(':') : at;
  if (start == std::string_view::npos) return {};
  std::string_view rest = uri.substr(start + 1);
  const size_t end = rest.find_first_of(";:>?");
  return to_lower_ascii(rest.substr(0, end));
}

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

std::string where(const Event& e) {
  return e.origin.file + ":" + std::to_string(e.origin.line);
}

void add_unique(std::vector<std::string>& list, const std::string& value) {
  if (value.empty()) return;
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

// Fills first/last, parties, final status, sources, hosts and message sightings.
void summarize(Call& call, const std::vector<Event>& events) {
  std::sort(call.events.begin(), call.events.end(), [&](size_t a, size_t b) {
    return events[a].ts_ms != events[b].ts_ms ? events[a].ts_ms < events[b].ts_ms : a < b;
  });
  const Event* first_request = nullptr;
  for (size_t i : call.events) {
    const Event& e = events[i];
    if (e.sip && e.sip->is_request && e.sip->method != "ACK" && e.sip->method != "CANCEL") {
      if (!first_request || (first_request->sip->method != "INVITE" && e.sip->method == "INVITE")) {
        first_request = &e;
      }
    }
  }
  call.first_ms = call.events.empty() ? 0 : events[call.events.front()].ts_ms;
  call.last_ms = call.events.empty() ? 0 : events[call.events.back()].ts_ms;
  if (first_request) {
    const SipMessage& m = *first_request->sip;
    call.method = m.method;
    call.request_uri = m.request_uri;
    call.from_uri = m.from.uri;
    call.from_display = m.from.display_name;
    call.to_uri = m.to.uri;
  } else {
    // Only diagnostics saw the call (an Edge that refused to route it): their
    // SIP-Start-Line still names the request.
    for (size_t i : call.events) {
      const std::string* start = find_field(events[i].fields, "sip_start_line");
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
    const Event& e = events[i];
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
        (!first_request || (m.cseq_number == first_request->sip->cseq_number &&
                            m.cseq_method == first_request->sip->cseq_method))) {
      call.final_status = m.status_code;
      call.final_reason = m.reason_phrase;
    }
    const std::string key = transmission_key(e);
    auto [it, inserted] = sighting_of.emplace(key, call.messages.size());
    if (inserted) call.messages.push_back(MessageSighting{{}, key});
    call.messages[it->second].events.push_back(i);
  }
  std::sort(call.sources.begin(), call.sources.end());
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

std::vector<Call> correlate(const std::vector<Event>& events, const CorrelationOptions& options) {
  std::vector<Call> calls;
  std::unordered_map<std::string, size_t> call_of_id;
  std::unordered_map<std::string, std::pair<size_t, size_t>> call_of_proxy_id;  // -> call, event
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.call_id.empty()) continue;
    auto [it, inserted] = call_of_id.emplace(e.call_id, calls.size());
    if (inserted) {
      calls.emplace_back();
      calls.back().call_id = e.call_id;
    }
    calls[it->second].events.push_back(i);
    if (e.sip) {
      for (const Via& v : e.sip->vias) {
        if (!v.proxy_call_id.empty())
          call_of_proxy_id.emplace(v.proxy_call_id, std::pair{it->second, i});
      }
    }
  }
  for (Call& c : calls) summarize(c, events);

  // A failed call's Expressway peers: every (logging host, peer ip) its SIP messages crossed,
  // with the call's failing response. A TLS failure towards the Skype Edge often means the
  // INVITE never got an answer from it: the failure the Expressway logs is the one it sends
  // back to its own side, so the peer is matched on any message of the call, not only on the
  // failing response.
  struct Failure {
    int64_t ts_ms;  // of the failing response (it bounds the window)
    size_t call;
    size_t event;  // the failing response
  };
  // A request of a call leaving an Expressway, by "host|request domain".
  struct Departure {
    int64_t ts_ms;
    size_t call;
    size_t event;
  };
  // Indexed by "host|peer ip" and by "host|request domain", each list sorted by time, so a
  // transport failure or DNS query finds its calls by binary search: linking stays
  // O(n log n) however many calls share one peer or one domain.
  std::unordered_map<std::string, std::vector<Failure>> failures_by_peer;
  std::unordered_map<std::string, std::vector<Departure>> departures_by_domain;
  for (size_t c = 0; c < calls.size(); ++c) {
    const Event* failing = nullptr;
    for (size_t i : calls[c].events) {
      const Event& e = events[i];
      if (e.source == Source::Expressway && e.sip && !e.sip->is_request &&
          e.sip->status_code >= 300 && !failing) {
        failing = &e;
      }
    }
    if (failing) {
      const size_t failing_index = static_cast<size_t>(failing - events.data());
      std::vector<std::string> peers;
      for (size_t i : calls[c].events) {
        const Event& e = events[i];
        if (e.source != Source::Expressway || !e.sip || e.remote.empty()) continue;
        const std::string key = e.host + "|" + address_host(e.remote);
        if (std::find(peers.begin(), peers.end(), key) != peers.end()) continue;
        peers.push_back(key);
        failures_by_peer[key].push_back({failing->ts_ms, c, failing_index});
      }
    }
    const std::string domain = uri_domain(calls[c].request_uri);
    if (domain.empty()) continue;
    for (size_t i : calls[c].events) {
      const Event& s = events[i];
      if (!s.sip || !s.sip->is_request || s.direction != Direction::Out) continue;
      departures_by_domain[s.host + "|" + domain].push_back({s.ts_ms, c, i});
    }
  }
  auto by_time = [](const auto& a, const auto& b) {
    return a.ts_ms != b.ts_ms ? a.ts_ms < b.ts_ms : a.event < b.event;
  };
  for (auto& [key, list] : failures_by_peer) std::sort(list.begin(), list.end(), by_time);
  for (auto& [key, list] : departures_by_domain) std::sort(list.begin(), list.end(), by_time);

  auto link = [&](size_t call, size_t event, std::string reason) {
    Call& c = calls[call];
    for (const CallLink& l : c.links) {
      if (l.event == event) return;
    }
    c.links.push_back({event, std::move(reason)});
    c.events.push_back(event);
  };

  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (!e.call_id.empty()) continue;
    if (e.kind == EventKind::CallEvent || e.kind == EventKind::Tls) {
      if (const std::string* serial = find_field(e.fields, "call_serial_number")) {
        if (auto it = call_of_proxy_id.find(*serial); it != call_of_proxy_id.end()) {
          link(it->second.first, i,
               "Call-serial-number " + *serial + " = Via proxy-call-id of the message at " +
                   where(events[it->second.second]));
          continue;
        }
      }
    }
    if (e.kind == EventKind::Tls || e.kind == EventKind::Tcp) {
      const std::string peer = address_host(e.remote);
      if (peer.empty()) continue;
      auto found = failures_by_peer.find(e.host + "|" + peer);
      if (found == failures_by_peer.end()) continue;
      const std::vector<Failure>& list = found->second;
      auto f = std::lower_bound(list.begin(), list.end(), e.ts_ms - 1000,
                                [](const Failure& x, int64_t t) { return x.ts_ms < t; });
      for (; f != list.end() && f->ts_ms - e.ts_ms <= options.transport_failure_window_ms; ++f) {
        const Event& resp = events[f->event];
        const int64_t before = resp.ts_ms - e.ts_ms;
        link(f->call, i,
             std::string(e.kind == EventKind::Tls ? "TLS" : "TCP") + " failure on " + e.host +
                 " towards " + peer + ", " + std::to_string(before) + " ms before the " +
                 std::to_string(resp.sip->status_code) + " at " + where(resp));
      }
    } else if (e.kind == EventKind::Dns) {
      const std::string* name = find_field(e.fields, "name");
      if (!name) continue;
      const std::string qname = to_lower_ascii(*name);
      // "_sipfederationtls._tcp.skype.lab": try every suffix that starts after a dot. A call
      // is tied at its first request leaving this same Expressway shortly after the query.
      std::vector<size_t> linked;
      for (size_t dot = qname.find('.'); dot != std::string::npos; dot = qname.find('.', dot + 1)) {
        auto it = departures_by_domain.find(e.host + "|" + qname.substr(dot + 1));
        if (it == departures_by_domain.end()) continue;
        const std::vector<Departure>& list = it->second;
        auto d = std::lower_bound(list.begin(), list.end(), e.ts_ms,
                                  [](const Departure& x, int64_t t) { return x.ts_ms < t; });
        for (; d != list.end() && d->ts_ms - e.ts_ms <= options.dns_window_ms; ++d) {
          if (std::find(linked.begin(), linked.end(), d->call) != linked.end()) continue;
          linked.push_back(d->call);
          link(d->call, i,
               "DNS query for " + *name + " on " + e.host + ", " +
                   std::to_string(d->ts_ms - e.ts_ms) + " ms before the request at " +
                   where(events[d->event]));
        }
      }
    }
  }
  for (Call& c : calls) {
    std::sort(c.events.begin(), c.events.end(), [&](size_t a, size_t b) {
      return events[a].ts_ms != events[b].ts_ms ? events[a].ts_ms < events[b].ts_ms : a < b;
    });
  }
  std::stable_sort(calls.begin(), calls.end(),
                   [](const Call& a, const Call& b) { return a.first_ms < b.first_ms; });
  return calls;
}

}  // namespace fedtriage
