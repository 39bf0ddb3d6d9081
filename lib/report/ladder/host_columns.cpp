// Host merging heuristic. Every name or address an event mentions is a key (lower case, port
// dropped); a logging host is the key "log:<source>:<host>". Keys are merged (union-find) when
// the data says they are one machine:
//   1. a logging host and its own name and local address (Expressway host "vcse" with local
//      ip 10.48.36.47);
//   2. one transmission logged by its sender (out, to address R) and by its receiver (in, from
//      address R'): R is the receiver and R' the sender (the Expressway sends to 10.48.36.6,
//      the Edge logs the same message from vcse.steven.lab:25002);
//   3. the top Via: its sent-by (and received=) names the sender of a request and the receiver
//      of a response, so it is tied to that end;
//   4. a dotted name whose first label is the short name of a logging host ("vcse.steven.lab"
//      and the Expressway that calls itself "vcse"). This can merge two machines that share a
//      short name in different domains; within one call that is rare.
//   5. a response or request the Skype client received over its TLS-DSK connection names the
//      server that signed it: Authentication-Info targetname= is the peer's FQDN (the client
//      dials the pool at 10.48.36.6, the Edge logs the same pool as sfbfe.skype.lab);
//   6. an Edge diagnostic's Data: certName= is the name in the certificate its Peer presented.
// Roles of hosts that wrote no log, strongest evidence first: a Via the host wrote with an
// egress-zone parameter (only an Expressway names its zones); User-Agent of a request with one
// Via (the sender made it); Server of a response it sent (a proxy passes on the UAS's Server,
// so this is the weakest); the first of the strongest kind wins, whatever the message order.
#include "lib/report/ladder/host_columns.h"

#include "lib/base/ascii.h"

#include <algorithm>
#include <map>

#include "lib/core/product.h"
#include "lib/correlate/correlator.h"

namespace fedtriage {
namespace {

bool contains(std::string_view hay, std::string_view needle) {
  return to_lower_ascii(hay).find(to_lower_ascii(needle)) != std::string::npos;
}

bool is_ip(std::string_view s) {
  if (s.find(':') != std::string_view::npos) return true;  // IPv6
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

class UnionFind {
 public:
  size_t id(const std::string& key) {
    auto [it, inserted] = ids_.emplace(key, parent_.size());
    if (inserted) {
      parent_.push_back(parent_.size());
      keys_.push_back(key);
    }
    return it->second;
  }
  size_t root(size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void same(const std::string& a, const std::string& b) {
    if (a.empty() || b.empty()) return;
    const size_t ra = root(id(a)), rb = root(id(b));
    // The earlier key stays the root, so that the result does not depend on merge order.
    if (ra != rb) parent_[std::max(ra, rb)] = std::min(ra, rb);
  }
  size_t size() const { return parent_.size(); }
  const std::string& key(size_t i) const { return keys_[i]; }

 private:
  std::map<std::string, size_t> ids_;
  std::vector<size_t> parent_;
  std::vector<std::string> keys_;
};

std::string logging_key(const StoredEvent& e) {
  std::string who = to_lower_ascii(e.host);
  if (who.empty()) who = address_host(e.local);
  if (who.empty()) who = e.origin.file;
  return "log:" + std::string(to_string(e.source)) + ":" + who;
}

std::string peer_key(const StoredEvent& e) {
  return to_lower_ascii(address_host(e.remote));
}

std::string via_host(const Via& v) {
  return to_lower_ascii(address_host(v.sent_by));
}

bool has_param(const Via& v, std::string_view key) {
  return std::any_of(v.params.begin(), v.params.end(),
                     [&](const auto& p) { return to_lower_ascii(p.first) == key; });
}

// targetname="SfBFE.skype.lab" of an Authentication-Info header, lower case; empty if none.
std::string auth_target(const SipMessage& m) {
  const SipHeader* h = m.header("Authentication-Info");
  if (!h) return "";
  const std::string lower = to_lower_ascii(h->value);
  size_t at = lower.find("targetname=");
  if (at == std::string::npos) return "";
  at += 11;
  if (at < lower.size() && lower[at] == '"') ++at;
  const size_t end = lower.find_first_of("\", ;", at);
  return lower.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

// How sure a role is (see the heading comment); higher wins.
enum class RoleEvidence : uint8_t { Server = 1, UserAgent = 2, Zone = 3 };

HostRole role_of_source(Source s) {
  const ProductInfo* product = find_product(s);
  return product ? host_role_from(product->host_role) : HostRole::Unknown;
}

std::string role_prefix(HostRole r) {
  switch (r) {
    case HostRole::Expressway:
      return "Expressway ";
    case HostRole::Edge:
      return "Edge ";
    case HostRole::Client:
      return "Skype client ";
    case HostRole::SkypeServer:
      return "Skype server ";
    case HostRole::Cms:
      return "CMS ";
    case HostRole::Endpoint:
      return "Endpoint ";
    case HostRole::Unknown:
      break;
  }
  return "";
}

}  // namespace

HostRole role_from_agent(std::string_view agent) {
  if (agent.empty()) return HostRole::Unknown;
  if (contains(agent, "UCCAPI") || contains(agent, "RTCC/") ||
      contains(agent, "Skype for Business") || contains(agent, "Microsoft Lync") ||
      contains(agent, "OC/")) {
    return HostRole::Client;
  }
  if (contains(agent, "RTC/")) return HostRole::SkypeServer;
  if (contains(agent, "Acano") || contains(agent, "CallBridge") ||
      contains(agent, "Meeting Server")) {
    return HostRole::Cms;
  }
  // Expressway / VCS: product id 4352 and an X version ("TANDBERG/4352 (X8.9.1)").
  if (contains(agent, "TANDBERG/4352") || contains(agent, "(X") || contains(agent, "Expressway")) {
    return HostRole::Expressway;
  }
  if (contains(agent, "TANDBERG") || contains(agent, "Cisco")) return HostRole::Endpoint;
  return HostRole::Unknown;
}

HostColumns resolve_hosts(const std::vector<StoredEvent>& events,
                          const std::vector<std::optional<SipMessage>>& sip,
                          const std::vector<std::vector<size_t>>& transmissions) {
  UnionFind uf;
  std::vector<std::string> short_names;  // of logging hosts without a dot
  for (size_t i = 0; i < events.size(); ++i) {
    const StoredEvent& e = events[i];
    const std::string self = logging_key(e);
    uf.id(self);
    if (!e.host.empty()) {
      uf.same(self, to_lower_ascii(e.host));  // rule 1
      if (e.host.find('.') == std::string::npos) short_names.push_back(to_lower_ascii(e.host));
    }
    uf.same(self, to_lower_ascii(address_host(e.local)));
    const std::string peer = peer_key(e);
    if (!peer.empty()) uf.id(peer);
    // Rule 6: an Edge diagnostic names the certificate its Peer presented (Data: certName=).
    for (const auto& [k, v] : e.fields) {
      if (!peer.empty() && to_lower_ascii(k) == "data.certname") {
        uf.same(peer, to_lower_ascii(address_host(v)));
      }
    }
    if (!sip[i] || sip[i]->vias.empty()) continue;
    // Rule 3: who put the top Via there.
    const Via& top = sip[i]->vias.front();
    const bool sent_by_self = (e.direction == Direction::Out) == sip[i]->is_request;
    if (e.direction == Direction::Unknown) continue;
    const std::string& owner = sent_by_self ? self : peer;
    uf.same(owner, via_host(top));
    if (!sent_by_self) uf.same(owner, to_lower_ascii(top.received));
    // Rule 5.
    if (e.source == Source::Client && e.direction == Direction::In) {
      uf.same(peer, auth_target(*sip[i]));
    }
  }
  // Rule 2.
  for (const auto& group : transmissions) {
    for (size_t a : group) {
      if (events[a].direction != Direction::Out) continue;
      for (size_t b : group) {
        if (events[b].direction != Direction::In) continue;
        if (logging_key(events[a]) == logging_key(events[b])) continue;
        uf.same(peer_key(events[a]), logging_key(events[b]));
        uf.same(peer_key(events[b]), logging_key(events[a]));
      }
    }
  }
  // Rule 4.
  for (size_t k = 0; k < uf.size(); ++k) {
    const std::string key = uf.key(k);
    const size_t dot = key.find('.');
    if (key.rfind("log:", 0) == 0 || dot == std::string::npos || is_ip(key)) continue;
    const std::string first = key.substr(0, dot);
    if (std::find(short_names.begin(), short_names.end(), first) != short_names.end()) {
      uf.same(first, key);
    }
  }

  // One column per group that an event uses.
  HostColumns out;
  std::map<size_t, size_t> column_of_root;
  std::map<size_t, std::pair<RoleEvidence, HostRole>> agent_roles;  // by column, strongest
  auto evidence = [&](size_t column, RoleEvidence how, HostRole r) {
    if (r == HostRole::Unknown) return;
    auto it = agent_roles.find(column);
    if (it == agent_roles.end() || it->second.first < how) agent_roles[column] = {how, r};
  };
  auto column_for = [&](const std::string& key) {
    const size_t root = uf.root(uf.id(key));
    auto [it, inserted] = column_of_root.emplace(root, out.columns.size());
    if (inserted) out.columns.emplace_back();
    return it->second;
  };
  out.self.resize(events.size(), HostColumns::kNone);
  out.peer.resize(events.size(), HostColumns::kNone);
  for (size_t i = 0; i < events.size(); ++i) {
    const StoredEvent& e = events[i];
    out.self[i] = column_for(logging_key(e));
    LadderColumn& self = out.columns[out.self[i]];
    if (!self.logged) {
      self.logged = true;
      self.role = role_of_source(e.source);
      self.label = logging_host_label(e.source, e.host);
    }
    const std::string peer = peer_key(e);
    if (peer.empty()) continue;
    out.peer[i] = column_for(peer);
    if (sip[i] && e.direction == Direction::In) {
      const SipMessage& m = *sip[i];
      if (!m.is_request) {
        HostRole r = role_from_agent(m.server);
        if (r == HostRole::Unknown) r = role_from_agent(m.user_agent);
        evidence(out.peer[i], RoleEvidence::Server, r);
      }
      if (m.is_request && m.vias.size() <= 1) {
        evidence(out.peer[i], RoleEvidence::UserAgent, role_from_agent(m.user_agent));
      }
    }
  }
  // A Via with an egress-zone was written by an Expressway, wherever it sits in the list.
  for (size_t i = 0; i < events.size(); ++i) {
    if (!sip[i]) continue;
    for (const Via& v : sip[i]->vias) {
      if (v.sent_by.empty() || !has_param(v, "egress-zone")) continue;
      auto it = column_of_root.find(uf.root(uf.id(via_host(v))));
      if (it != column_of_root.end())
        evidence(it->second, RoleEvidence::Zone, HostRole::Expressway);
    }
  }
  // Aliases, and names for the columns no log was written on.
  for (size_t k = 0; k < uf.size(); ++k) {
    auto it = column_of_root.find(uf.root(k));
    if (it == column_of_root.end() || uf.key(k).rfind("log:", 0) == 0) continue;
    out.columns[it->second].aliases.push_back(uf.key(k));
  }
  for (size_t c = 0; c < out.columns.size(); ++c) {
    LadderColumn& col = out.columns[c];
    std::sort(col.aliases.begin(), col.aliases.end());
    if (col.logged) continue;
    // A name reads better than an address; the longest name is the most specific.
    std::string name;
    for (const std::string& a : col.aliases) {
      if (!is_ip(a) && (name.empty() || is_ip(name) || a.size() > name.size())) name = a;
      if (name.empty()) name = a;
    }
    auto role = agent_roles.find(c);
    col.role = role == agent_roles.end() ? HostRole::Unknown : role->second.second;
    col.label = role_prefix(col.role) + (name.empty() ? "?" : name);
  }
  return out;
}

}  // namespace fedtriage
