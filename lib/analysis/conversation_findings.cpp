#include "lib/analysis/conversation_findings.h"

#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "lib/correlate/event_sketch.h"

namespace fedtriage {
namespace {

std::string status_text(const CallKeys& leg) {
  std::string s = leg.final_status ? std::to_string(leg.final_status) : "no final response";
  if (leg.ms_diagnostic) s += " with ms-diagnostics " + std::to_string(leg.ms_diagnostic);
  return s;
}

// "the leg to skype.lab (7f3a…)": legs are told apart by where they went.
std::string leg_name(const CallKeys& leg) {
  const std::string domain = uri_domain(leg.request_uri);
  return "the leg " + (domain.empty() ? std::string() : "to " + domain + " ") + "(" + leg.call_id +
         ")";
}

}  // namespace

std::vector<ConversationFinding> conversation_findings(const ConversationSet& set,
                                                       const std::vector<CallKeys>& legs,
                                                       const std::vector<LegFinding>& findings) {
  // Only the legs of conversations of several calls are looked up: indexed by views of their
  // Call-IDs (a large read has hundreds of thousands of calls, most of them alone).
  std::unordered_set<std::string_view> linked;
  for (const Conversation& c : set.conversations) {
    if (c.call_ids.size() >= 2) linked.insert(c.call_ids.begin(), c.call_ids.end());
  }
  std::unordered_map<std::string_view, const CallKeys*> leg_of;
  for (const CallKeys& l : legs) {
    if (linked.count(l.call_id)) leg_of.emplace(l.call_id, &l);
  }
  std::unordered_map<std::string_view, const LegFinding*> finding_of;
  for (const LegFinding& f : findings) finding_of.emplace(f.call_id, &f);
  std::vector<ConversationFinding> out;
  for (const Conversation& c : set.conversations) {
    if (c.call_ids.size() < 2) continue;
    const CallKeys* root = nullptr;
    for (const std::string& id : c.call_ids) {
      auto l = leg_of.find(id);
      if (l == leg_of.end() || !finding_of.count(id)) continue;
      if (!root || l->second->first_ms >= root->first_ms) root = l->second;
    }
    if (!root) continue;
    const LegFinding& f = *finding_of.at(root->call_id);
    ConversationFinding cf{c.id, root->call_id, f.rule_id, f.title, {}, {}};
    const CallKeys* caller = nullptr;
    for (const std::string& id : c.call_ids) {
      auto l = leg_of.find(id);
      if (l == leg_of.end() || l->second == root) continue;
      if (l->second->final_status < 300) continue;
      cf.explains.emplace_back(id, l->second->final_status);
      if (!caller || l->second->first_ms < caller->first_ms) caller = l->second;
    }
    if (caller) {
      cf.text = "the caller (" + caller->call_id + ") got " + status_text(*caller) + " because " +
                leg_name(*root) + " got " + status_text(*root) + ": " + f.title;
    } else {
      cf.text = leg_name(*root) + " got " + status_text(*root) + ": " + f.title;
    }
    out.push_back(std::move(cf));
  }
  return out;
}

}  // namespace fedtriage
