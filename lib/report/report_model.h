// The read-only model a report reads: one case (or every case) as its counts, the list of its
// calls, and each call in full only when asked for, one at a time, so that a report of a large
// case never holds more than one call's events; and each case's counts and findings for the
// cross-case summary. Two adapters fill it: from the store
// (store_report_model.h) and from an analysis still in memory (analysis_report_model.h).
// Its values are the plain records of lib/store/store_records.h and lib/store/case_summary.h
// (no database types).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lib/store/case_summary.h"
#include "lib/store/store_records.h"

namespace fedtriage {

class ReportModel {
 public:
  virtual ~ReportModel() = default;

  // The case the report is of; "" for every case.
  virtual const std::string& case_name() const = 0;
  // Counts and findings by rule. nullopt with `*error` set when they cannot be read.
  virtual std::optional<StoreSummary> summary(std::string* error) = 0;
  // One row per call (only the failed ones with `failed_only`), earliest first. Empty with
  // `*error` set when they cannot be read.
  virtual std::vector<CallSummary> calls(bool failed_only, std::string* error) = 0;
  // The call of `row` with its events (time order) and findings (the failure finding first).
  // nullopt with `*error` empty when it is no longer there, set when it cannot be read.
  virtual std::optional<StoredCall> call(const CallSummary& row, std::string* error) = 0;
  // The conversation `row` is a leg of. nullopt with `*error` empty when none is known.
  virtual std::optional<StoredConversation> conversation(const CallSummary& row,
                                                         std::string* error) = 0;
  // Each case with its counts and every finding with its fields (report/summary/), cases and
  // findings in the order people read case names ("input~2" before "input~10"). nullopt with
  // `*error` set when they cannot be read.
  virtual std::optional<CaseDigest> digest(std::string* error) = 0;
};

}  // namespace fedtriage
