#include "lib/report/summary/summary_report.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>
#include <string_view>

#include "lib/base/json_dump.h"
#include "lib/report/csv_cell.h"
#include "lib/report/terminal_text.h"

namespace fedtriage {
namespace {

std::string pad(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string lpad(const std::string& s, size_t width) {
  return s.size() < width ? std::string(width - s.size(), ' ') + s : s;
}

std::string num(uint64_t n) {
  return std::to_string(n);
}

std::string root_causes_text(const CaseTotal& c) {
  std::string out;
  for (const auto& [rule, n] : c.root_causes) {
    if (!out.empty()) out += ", ";
    out += rule + " " + num(n);
  }
  return out.empty() ? "-" : out;
}

}  // namespace

std::string place_text(const Fields& key) {
  std::string out;
  for (const auto& [k, v] : key) {
    if (!out.empty()) out += ' ';
    out += k + "=" + v;
  }
  return out;
}

std::string summary_to_text(const CrossCaseSummary& s) {
  std::ostringstream o;
  o << "fedtriage summary: " << s.cases.size() << " case(s), " << s.calls << " calls, "
    << s.failed_calls << " failed, " << s.findings << " findings, " << s.conversations
    << " conversations (" << s.multi_leg_conversations << " of several legs)\n";
  if (!s.rules.empty()) {
    size_t w = 4;
    for (const RuleTotal& r : s.rules) w = std::max(w, r.rule_id.size());
    o << "\nFindings by rule\n  " << pad("rule", w) << "  findings  cases  title\n";
    for (const RuleTotal& r : s.rules) {
      o << "  " << pad(terminal_safe(r.rule_id), w) << "  " << lpad(num(r.findings), 8) << "  "
        << lpad(num(r.cases), 5) << "  " << terminal_safe(r.title) << "\n";
    }
  }
  if (!s.places.empty()) {
    o << "\nWhere (domains, FQDNs, certificate names, peers)\n";
    for (const PlaceTotal& p : s.places) {
      o << "  " << terminal_safe(p.rule_id) << "  " << terminal_safe(place_text(p.key)) << "\n"
        << "    " << p.findings << " finding(s) in " << p.cases.size() << " case(s): ";
      for (size_t i = 0; i < p.cases.size(); ++i) o << (i ? ", " : "") << terminal_safe(p.cases[i]);
      o << "\n";
    }
  }
  if (!s.cases.empty()) {
    size_t w = 4;
    for (const CaseTotal& c : s.cases) w = std::max(w, c.overview.name.size());
    o << "\nCases\n  " << pad("case", w) << "  calls  failed  root causes\n";
    for (const CaseTotal& c : s.cases) {
      o << "  " << pad(terminal_safe(c.overview.name), w) << "  " << lpad(num(c.overview.calls), 5)
        << "  " << lpad(num(c.overview.failed_calls), 6) << "  "
        << terminal_safe(root_causes_text(c)) << "\n";
    }
  }
  return o.str();
}

std::string summary_to_json(const CrossCaseSummary& s) {
  using nlohmann::ordered_json;
  ordered_json j;
  j["cases"] = s.cases.size();
  j["calls"] = s.calls;
  j["failed_calls"] = s.failed_calls;
  j["findings"] = s.findings;
  j["conversations"] = s.conversations;
  j["multi_leg_conversations"] = s.multi_leg_conversations;
  j["rules"] = ordered_json::array();
  for (const RuleTotal& r : s.rules) {
    j["rules"].push_back({{"rule_id", r.rule_id},
                          {"title", r.title},
                          {"severity", std::string(to_string(r.severity))},
                          {"findings", r.findings},
                          {"cases", r.cases}});
  }
  j["places"] = ordered_json::array();
  for (const PlaceTotal& p : s.places) {
    ordered_json key = ordered_json::object();
    for (const auto& [k, v] : p.key) key[k] = v;
    j["places"].push_back({{"rule_id", p.rule_id},
                           {"fields", key},
                           {"findings", p.findings},
                           {"cases", p.cases.size()},
                           {"case_names", p.cases}});
  }
  j["per_case"] = ordered_json::array();
  for (const CaseTotal& c : s.cases) {
    ordered_json causes = ordered_json::object();
    for (const auto& [rule, n] : c.root_causes) causes[rule] = n;
    j["per_case"].push_back({{"case", c.overview.name},
                             {"inputs", c.overview.inputs},
                             {"calls", c.overview.calls},
                             {"failed_calls", c.overview.failed_calls},
                             {"findings", c.overview.findings},
                             {"conversations", c.overview.conversations},
                             {"root_causes", causes}});
  }
  return dump_json(j, 2) + "\n";
}

std::string summary_to_csv(const CrossCaseSummary& s) {
  std::ostringstream o;
  o << "section,rule_id,title,place,case,calls,failed_calls,findings,cases\n";
  o << "total,,,,," << s.calls << "," << s.failed_calls << "," << s.findings << ","
    << s.cases.size() << "\n";
  for (const RuleTotal& r : s.rules) {
    o << "rule," << csv_cell(r.rule_id) << "," << csv_cell(r.title) << ",,,,," << r.findings << ","
      << r.cases << "\n";
  }
  for (const PlaceTotal& p : s.places) {
    for (const std::string& c : p.cases) {
      o << "place," << csv_cell(p.rule_id) << ",," << csv_cell(place_text(p.key)) << ","
        << csv_cell(c) << ",,," << p.findings << "," << p.cases.size() << "\n";
    }
  }
  for (const CaseTotal& c : s.cases) {
    o << "case,,,," << csv_cell(c.overview.name) << "," << c.overview.calls << ","
      << c.overview.failed_calls << "," << c.overview.findings << ",\n";
    for (const auto& [rule, n] : c.root_causes) {
      o << "root_cause," << csv_cell(rule) << ",,," << csv_cell(c.overview.name) << ",,," << n
        << ",\n";
    }
  }
  return o.str();
}

std::string cases_to_text(const std::vector<CaseOverview>& cases) {
  size_t w = 4;
  for (const CaseOverview& c : cases) w = std::max(w, c.name.size());
  std::ostringstream o;
  o << pad("case", w) << "  files  inputs  calls  failed  findings  analysed\n";
  for (const CaseOverview& c : cases) {
    o << pad(terminal_safe(c.name), w) << "  " << lpad(num(c.source_files), 5) << "  "
      << lpad(num(c.inputs), 6) << "  " << lpad(num(c.calls), 5) << "  "
      << lpad(num(c.failed_calls), 6) << "  " << lpad(num(c.findings), 8) << "  " << c.updated_at
      << "\n";
  }
  return o.str();
}

}  // namespace fedtriage
