#include "lib/report/ladder/conversation_view.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "lib/analysis/conversation_findings.h"
#include "lib/base/json_dump.h"
#include "lib/core/timestamp.h"
#include "lib/report/json_support.h"
#include "lib/report/ladder/call_json.h"
#include "lib/report/terminal_text.h"

namespace fedtriage {
namespace {

// Leg index of each merged event, by its Call-ID (events tied without one go with the leg
// they were stored with: merge_legs keeps that order).
std::vector<size_t> legs_of_events(const std::vector<StoredCall>& legs, const StoredCall& merged) {
  std::unordered_map<int64_t, size_t> leg_of_event;
  for (size_t k = 0; k < legs.size(); ++k) {
    for (const StoredEvent& e : legs[k].events) leg_of_event.emplace(e.id, k);
  }
  std::vector<size_t> out;
  out.reserve(merged.events.size());
  for (const StoredEvent& e : merged.events) {
    auto it = leg_of_event.find(e.id);
    out.push_back(it == leg_of_event.end() ? 0 : it->second);
  }
  return out;
}

std::string leg_tag(size_t k) {
  return "[" + std::to_string(k + 1) + "]";
}

std::string status_of(const CallSummary& c) {
  return c.final_status ? std::to_string(c.final_status) + " " + c.final_reason
                        : std::string("no final response seen");
}

// What conversation_findings() reads of a stored leg.
CallKeys leg_keys(const StoredCall& leg) {
  CallKeys k;
  k.call_id = leg.call.call_id;
  k.method = leg.call.method;
  k.first_ms = leg.call.first_ms;
  k.final_status = leg.call.final_status;
  k.final_reason = leg.call.final_reason;
  k.request_uri = leg.call.request_uri;
  for (const StoredEvent& e : leg.events) {
    if (e.status >= 300 && !e.ms_diagnostics.empty()) {
      k.ms_diagnostic = e.ms_diagnostics.front().code;
      break;
    }
  }
  return k;
}

// The root cause said once for the conversation (lib/analysis/conversation_findings.h), from
// what the store kept of each leg.
std::vector<ConversationFinding> findings_of(const StoredConversation& cv,
                                             const std::vector<StoredCall>& legs) {
  std::vector<CallKeys> keys;
  std::vector<LegFinding> leg_findings;
  Conversation c{cv.id, {}, {}};
  for (const StoredCall& leg : legs) {
    keys.push_back(leg_keys(leg));
    c.call_ids.push_back(leg.call.call_id);
    const StoredFinding* best = nullptr;
    for (const StoredFinding& f : leg.findings) {
      if (!best || f.severity > best->severity) best = &f;
    }
    if (best) leg_findings.push_back({leg.call.call_id, best->rule_id, best->title});
  }
  ConversationSet set;
  set.conversations.push_back(std::move(c));
  return conversation_findings(set, keys, leg_findings);
}

}  // namespace

StoredCall merge_legs(const std::vector<StoredCall>& legs) {
  StoredCall out;
  if (legs.empty()) return out;
  out.call = legs.front().call;
  std::set<int64_t> seen;
  for (const StoredCall& leg : legs) {
    for (const StoredEvent& e : leg.events) {
      if (seen.insert(e.id).second) out.events.push_back(e);
    }
    for (const StoredFinding& f : leg.findings) out.findings.push_back(f);
    out.call.first_ms = std::min(out.call.first_ms, leg.call.first_ms);
    out.call.last_ms = std::max(out.call.last_ms, leg.call.last_ms);
  }
  std::stable_sort(out.events.begin(), out.events.end(),
                   [](const StoredEvent& a, const StoredEvent& b) { return a.ts_ms < b.ts_ms; });
  return out;
}

Ladder build_conversation_ladder(const std::vector<StoredCall>& legs, const StoredCall& merged) {
  Ladder ladder = build_ladder(merged);
  const std::vector<size_t> leg_of = legs_of_events(legs, merged);
  for (LadderArrow& a : ladder.arrows) {
    if (a.events.empty()) continue;
    const size_t k = leg_of[a.events.front()];
    a.label = leg_tag(k) + " " + a.label;
    const CallSummary& c = legs[k].call;
    a.failing = !a.request && a.status >= 300 && a.status == c.final_status &&
                (c.method.empty() || a.method == c.method);
  }
  return ladder;
}

std::vector<B2buaHop> b2bua_hops(const std::vector<StoredCall>& legs, const StoredCall& merged,
                                 const Ladder& ladder) {
  const std::vector<size_t> leg_of = legs_of_events(legs, merged);
  // Per leg: the columns its requests reach and the columns that send its requests.
  std::vector<std::set<size_t>> receives(legs.size()), sends(legs.size());
  for (const LadderArrow& a : ladder.arrows) {
    if (!a.request || a.events.empty() || a.method == "ACK") continue;
    const size_t k = leg_of[a.events.front()];
    receives[k].insert(a.to);
    sends[k].insert(a.from);
  }
  std::vector<B2buaHop> out;
  for (size_t in = 0; in < legs.size(); ++in) {
    for (size_t column : receives[in]) {
      if (sends[in].count(column)) continue;  // forwards the same leg: a proxy
      for (size_t leg_out = 0; leg_out < legs.size(); ++leg_out) {
        // The outgoing leg starts after the incoming one: the B2BUA answers one with the other.
        if (leg_out != in && sends[leg_out].count(column) &&
            legs[leg_out].call.first_ms >= legs[in].call.first_ms) {
          out.push_back({column, in, leg_out});
        }
      }
    }
  }
  return out;
}

std::string conversation_to_text(const StoredConversation& cv, const std::vector<StoredCall>& legs,
                                 const LadderTextOptions& options) {
  const auto bold = [&](const std::string& t) {
    return options.color ? "\x1b[1m" + t + "\x1b[0m" : t;
  };
  std::unordered_map<std::string, size_t> leg_number;
  for (size_t k = 0; k < legs.size(); ++k) leg_number.emplace(legs[k].call.call_id, k);
  const auto tag_of = [&](const std::string& call_id) {
    auto it = leg_number.find(call_id);
    return it == leg_number.end() ? std::string("[?]") : leg_tag(it->second);
  };
  std::string out = bold("Conversation " + terminal_safe(cv.id)) +
                    (cv.case_name.empty() ? "" : "  (case " + terminal_safe(cv.case_name) + ")") +
                    "  " + std::to_string(legs.size()) + " leg" + (legs.size() == 1 ? "" : "s") +
                    "\n";
  for (size_t k = 0; k < legs.size(); ++k) {
    const CallSummary& c = legs[k].call;
    out += "  " + leg_tag(k) + " " + terminal_safe(c.call_id) + "\n";
    out += "      " + terminal_safe(c.method + " " + c.request_uri) + "  " +
           format_iso_utc(c.first_ms) + "  -> " + terminal_safe(status_of(c)) +
           (c.failed() ? "  FAILED" : "") + "\n";
  }
  if (!cv.links.empty()) out += "  Tied by:\n";
  for (const StoredConversationLink& l : cv.links) {
    out += "    " + tag_of(l.call_a) + "-" + tag_of(l.call_b) + "  " + terminal_safe(l.key) + " " +
           terminal_safe(l.value) + "\n";
  }
  const StoredCall merged = merge_legs(legs);
  const Ladder ladder = build_conversation_ladder(legs, merged);
  for (const B2buaHop& h : b2bua_hops(legs, merged, ladder)) {
    out += "  B2BUA hop: " + terminal_safe(ladder.columns[h.column].label) + " ends leg " +
           leg_tag(h.leg_in) + " and starts leg " + leg_tag(h.leg_out) + "\n";
  }
  out += "\n" + ladder_to_text(ladder, options);

  out += "\n" + bold("Findings") + "\n";
  for (const ConversationFinding& f : findings_of(cv, legs)) {
    out += "  " + terminal_safe(f.rule_id) + ": " + terminal_safe(f.text) + "\n";
  }
  bool any = false;
  for (size_t k = 0; k < legs.size(); ++k) {
    for (const StoredFinding& f : legs[k].findings) {
      any = true;
      out += "  " + leg_tag(k) + " " + terminal_safe(f.rule_id + ": " + f.title) + "\n";
      out += "      Root cause: " + terminal_safe(f.root_cause) + "\n";
    }
  }
  if (!any) out += "  none\n";
  return out;
}

std::string conversation_to_json(const StoredConversation& cv,
                                 const std::vector<StoredCall>& legs) {
  using nlohmann::ordered_json;
  ordered_json links = ordered_json::array();
  for (const StoredConversationLink& l : cv.links) {
    links.push_back({{"call_ids", {l.call_a, l.call_b}}, {"key", l.key}, {"value", l.value}});
  }
  const StoredCall merged = merge_legs(legs);
  const Ladder ladder = build_conversation_ladder(legs, merged);
  ordered_json hops = ordered_json::array();
  for (const B2buaHop& h : b2bua_hops(legs, merged, ladder)) {
    hops.push_back({{"host", ladder.columns[h.column].label},
                    {"ends", legs[h.leg_in].call.call_id},
                    {"starts", legs[h.leg_out].call.call_id}});
  }
  ordered_json finding = nullptr;
  for (const ConversationFinding& f : findings_of(cv, legs)) {
    ordered_json explains = ordered_json::array();
    for (const auto& [call_id, status] : f.explains) {
      explains.push_back({{"call_id", call_id}, {"final_status", status}});
    }
    finding = {{"rule", f.rule_id},
               {"title", f.title},
               {"leg", f.root_call_id},
               {"explains", std::move(explains)},
               {"text", f.text}};
  }
  ordered_json j = {{"id", cv.id},    {"case", cv.case_name}, {"call_ids", cv.call_ids},
                    {"links", links}, {"b2bua_hops", hops},   {"finding", finding}};
  j["legs"] = ordered_json::array();
  for (const StoredCall& leg : legs) j["legs"].push_back(ordered_json::parse(call_to_json(leg)));
  return dump_json(j, 2) + "\n";
}

}  // namespace fedtriage
