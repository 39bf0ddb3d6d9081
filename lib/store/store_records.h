// Plain values that go into the analysis store beside the core model, and what its read
// queries return. No database types here: reports and the CLI use these as they are.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lib/core/call_headline.h"
#include "lib/core/event.h"
#include "lib/rules/finding.h"
#include "lib/sip/ms_diagnostic.h"

namespace fedtriage {

// A rule as used by a run; `sha256` of its definition text tells two versions apart.
struct RuleInfo {
  std::string id;  // rule_id, as in Finding::rule_id
  std::string title;
  FindingSeverity severity = FindingSeverity::Error;
  std::string file;  // where the definition came from, e.g. "rules/srv-record-missing.yaml"
  std::string sha256;
};

// One row of a call listing: the call's headline (lib/core/call_headline.h) and what the
// store adds.
struct CallSummary : CallHeadline {
  std::string case_name;
  uint64_t event_count = 0;
  std::vector<std::string> rule_ids;  // of its findings, sorted
  std::string conversation;           // the id of the conversation it is a leg of ("" if none)
  std::string outcome;                // "ok", "normal", "failed"; "" in rows of schema < 3

  bool failed() const { return outcome.empty() ? final_status >= 300 : outcome == "failed"; }
};

struct StoredEvent {
  int64_t id = 0;  // events.id
  int64_t ts_ms = 0;
  TimeBasis basis = TimeBasis::Utc;
  Source source = Source::Expressway;
  EventKind kind = EventKind::Sip;
  Origin origin;
  std::string input_name;  // the input it was read from (usually origin.file)
  std::string host;
  std::string call_id;
  std::string cseq;
  std::string method;
  int status = 0;  // SIP responses only
  std::string reason_phrase;
  std::string request_uri;
  Direction direction = Direction::Unknown;
  std::string local;
  std::string remote;
  std::string summary;
  Fields fields;
  std::vector<MsDiagnostic> ms_diagnostics;
  std::string raw;
  std::string link_reason;  // why it belongs to the call when it lacks the Call-ID, else ""
};

struct StoredEvidence {
  int64_t event_id = 0;  // events.id, 0 when the evidence names no stored event
  std::string file;
  uint64_t line = 0;
  std::string text;
};

struct StoredFinding {
  int64_t id = 0;  // findings.id
  std::string call_id;
  std::string rule_id;
  std::string title;
  FindingSeverity severity = FindingSeverity::Error;
  Fields fields;
  std::string root_cause;
  std::string fix;
  std::vector<std::string> related_rules;  // rules that gave way to this one
  std::vector<StoredEvidence> evidence;    // in the order the rule gave them
};

// Everything `fedtriage show CALL-ID` prints.
struct StoredCall {
  CallSummary call;
  std::vector<StoredEvent> events;  // time order
  std::vector<StoredFinding> findings;
};

// The conversation a stored call belongs to: its legs (first-seen order) and what ties them
// (tables conversations and conversation_links).
struct StoredConversationLink {
  std::string call_a, call_b;
  std::string key;  // "session-id", "x-taatag", ...
  std::string value;
};

struct StoredConversation {
  std::string case_name;
  std::string id;                     // "cv-…"
  std::vector<std::string> call_ids;  // legs, first-seen order
  std::vector<StoredConversationLink> links;
};

struct CaseInfo {
  int64_t id = 0;
  std::string name;
  std::string created_at;  // ISO UTC
  std::string updated_at;
  uint64_t inputs = 0;
  uint64_t calls = 0;
  std::string origin;  // the bundle the case was read from (full path), "" when not known
};

struct RuleCount {
  std::string rule_id;
  std::string title;
  uint64_t findings = 0;
};

struct StoreSummary {
  uint64_t cases = 0;
  uint64_t inputs = 0;
  uint64_t skipped_inputs = 0;
  uint64_t inputs_with_problems = 0;
  uint64_t events = 0;
  uint64_t calls = 0;
  uint64_t failed_calls = 0;
  uint64_t findings = 0;
  std::vector<RuleCount> findings_by_rule;  // most findings first
  uint64_t conversations = 0;
  uint64_t multi_leg_conversations = 0;  // of two legs or more
};

}  // namespace fedtriage
