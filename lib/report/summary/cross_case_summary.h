// `fedtriage summary`: which misconfiguration is behind most failures across many customers'
// cases, and which cases have it. Pure aggregation of what the store read.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "lib/core/event.h"
#include "lib/rules/finding.h"
#include "lib/store/case_summary.h"

namespace fedtriage {

struct RuleTotal {
  std::string rule_id;
  std::string title;
  FindingSeverity severity = FindingSeverity::Error;
  uint64_t findings = 0;
  uint64_t cases = 0;
};

// Findings of one rule that name the same place: e.g. srv-domain-mismatch with
// domain=acano.steven.lab fqdn=vcse.steven.lab, seen in 40 cases.
struct PlaceTotal {
  std::string rule_id;
  Fields key;  // the rule's grouping fields, in group_fields() order
  uint64_t findings = 0;
  std::vector<std::string> cases;  // sorted
};

struct CaseTotal {
  CaseOverview overview;
  std::vector<std::pair<std::string, uint64_t>> root_causes;  // rule id, findings; most first
};

struct CrossCaseSummary {
  uint64_t calls = 0, failed_calls = 0, findings = 0;
  uint64_t conversations = 0, multi_leg_conversations = 0;
  std::vector<RuleTotal> rules;    // most findings first, then rule id
  std::vector<PlaceTotal> places;  // most cases first, then findings, rule id, key
  std::vector<CaseTotal> cases;    // by name
};

// The finding fields that say where a rule's problem is (domain, FQDN, certificate name, peer):
// srv-domain-mismatch groups by domain and fqdn, cert-fqdn-mismatch by expected_fqdn and
// cert_name, and so on; rules not known here by the first of the common place fields they have.
std::vector<std::string> group_fields(const std::string& rule_id);

CrossCaseSummary summarize_cases(const CaseDigest& digest);

}  // namespace fedtriage
