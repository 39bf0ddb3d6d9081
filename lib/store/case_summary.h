// Cross-case reads for batch triage (Store::case_digest) (`fedtriage cases`, `fedtriage summary`):
// every case with its counts, and every finding with the case it belongs to. Aggregation is
// lib/batch's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lib/core/event.h"
#include "lib/rules/finding.h"

namespace fedtriage {

struct CaseOverview {
  std::string name;
  std::string created_at;  // ISO UTC of the first write
  std::string updated_at;  // and of the last ("when analysed")
  uint64_t source_files = 0;
  uint64_t inputs = 0;
  uint64_t calls = 0;
  uint64_t failed_calls = 0;  // final status >= 300 or a finding, as the analyze report counts
  uint64_t findings = 0;
  uint64_t conversations = 0;            // every call is in one (a lone call: its own)
  uint64_t multi_leg_conversations = 0;  // of two legs or more (B2BUA hops)
};

struct CaseFinding {
  std::string case_name;
  std::string call_id;
  std::string rule_id;
  std::string title;
  FindingSeverity severity = FindingSeverity::Error;
  Fields fields;
};

struct CaseDigest {
  std::vector<CaseOverview> cases;    // by name
  std::vector<CaseFinding> findings;  // by case name, then as stored
};

}  // namespace fedtriage
