#include "lib/report/summary/cross_case_summary.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace fedtriage {
namespace {

// Fields that name a place, for rules without an entry in group_fields().
constexpr const char* kPlaceFields[] = {"domain",      "fqdn", "expected_fqdn", "cert_name",
                                        "peer_server", "peer", "server",        "result_name"};

}  // namespace

std::vector<std::string> group_fields(const std::string& rule_id) {
  if (rule_id == "srv-domain-mismatch") return {"domain", "fqdn"};
  if (rule_id == "srv-record-missing") return {"domain"};
  if (rule_id == "cert-fqdn-mismatch") return {"expected_fqdn", "cert_name"};
  if (rule_id == "tls-negotiation-failure") return {"peer"};
  if (rule_id == "unexplained-504") return {"peer"};
  if (rule_id == "edge-diagnostic") return {"result_name"};
  if (rule_id.starts_with("ms-diag-")) return {"domain", "peer_server"};
  return {};
}

CrossCaseSummary summarize_cases(const CaseDigest& digest) {
  CrossCaseSummary out;
  struct RuleAcc {
    RuleTotal total;
    std::set<std::string> cases;
  };
  std::map<std::string, RuleAcc> rules;
  std::map<std::pair<std::string, Fields>, std::pair<uint64_t, std::set<std::string>>> places;
  std::map<std::string, std::map<std::string, uint64_t>> per_case;
  for (const CaseFinding& f : digest.findings) {
    RuleAcc& r = rules[f.rule_id];
    r.total.rule_id = f.rule_id;
    if (r.total.findings == 0) {
      r.total.title = f.title;
      r.total.severity = f.severity;
    }
    r.total.severity = std::max(r.total.severity, f.severity);
    ++r.total.findings;
    r.cases.insert(f.case_name);
    ++per_case[f.case_name][f.rule_id];

    std::vector<std::string> keys = group_fields(f.rule_id);
    if (keys.empty()) {
      for (const char* k : kPlaceFields) {
        if (find_field(f.fields, k)) {
          keys.push_back(k);
          break;
        }
      }
    }
    Fields key;
    for (const std::string& k : keys) {
      const std::string* v = find_field(f.fields, k);
      if (v && !v->empty()) key.emplace_back(k, *v);
    }
    if (key.empty()) continue;  // nothing says where: counted under its rule only
    auto& p = places[{f.rule_id, key}];
    ++p.first;
    p.second.insert(f.case_name);
  }
  for (auto& [id, acc] : rules) {
    acc.total.cases = acc.cases.size();
    out.rules.push_back(acc.total);
  }
  std::sort(out.rules.begin(), out.rules.end(), [](const RuleTotal& a, const RuleTotal& b) {
    return std::tie(b.findings, a.rule_id) < std::tie(a.findings, b.rule_id);
  });
  for (auto& [k, v] : places) {
    out.places.push_back({k.first, k.second, v.first, {v.second.begin(), v.second.end()}});
  }
  std::sort(out.places.begin(), out.places.end(), [](const PlaceTotal& a, const PlaceTotal& b) {
    const size_t ac = a.cases.size(), bc = b.cases.size();
    return std::tie(bc, b.findings, a.rule_id, a.key) < std::tie(ac, a.findings, b.rule_id, b.key);
  });
  for (const CaseOverview& c : digest.cases) {
    CaseTotal t;
    t.overview = c;
    for (const auto& [rule, n] : per_case[c.name]) t.root_causes.emplace_back(rule, n);
    std::stable_sort(t.root_causes.begin(), t.root_causes.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    out.calls += c.calls;
    out.conversations += c.conversations;
    out.multi_leg_conversations += c.multi_leg_conversations;
    out.failed_calls += c.failed_calls;
    out.findings += c.findings;
    out.cases.push_back(std::move(t));
  }
  return out;
}

}  // namespace fedtriage
