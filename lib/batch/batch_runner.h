// A batch of cases into one database: hash every source file, skip content already stored,
// analyse the rest in parallel (one store connection and one transaction per case) and hand
// each case's outcome on in PATH order. An interrupted batch resumes by running it again:
// committed cases are skipped by hash, the case being written when it died is rolled back.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lib/analysis/analyzer.h"
#include "lib/batch/case_plan.h"
#include "lib/batch/progress.h"
#include "lib/batch/source_selection.h"
#include "lib/core/problem.h"
#include "lib/store/store_records.h"

namespace fedtriage {

class Store;

class RuleSet;

struct BatchSettings {
  std::string db_path;  // "" = no database: nothing skipped, nothing stored
  uint64_t db_max_bytes = 0;
  bool replace = false;  // re-read everything and replace each case (WriteOptions::replace_case)
  // Content counts as stored when in any case (""), or only when in the case being written
  // (the user named it: the same bundle may go into two named cases on purpose).
  bool skip_within_case_only = false;
  unsigned jobs = 1;
  int64_t run_id = 0;
  std::vector<RuleInfo> rules;
  IngestOptions ingest;
  // Hand each case's analysis (calls and findings, not events) to `done`, for a report.
  bool keep_analysis = false;
};

struct CaseOutcome {
  enum class State { Analysed, AlreadyStored, Failed };
  State state = State::Analysed;
  CaseSelection selection;
  std::vector<Problem> problems;   // reported while reading, in order
  std::vector<std::string> notes;  // analysis notes (client clock alignment)
  std::vector<InputRecord> inputs;
  uint64_t calls = 0, failed_calls = 0, findings = 0;
  std::optional<FindingSeverity> worst;  // of its findings
  // With BatchSettings::keep_analysis: the calls and findings (no events), until `done` returns.
  std::shared_ptr<const Analysis> analysis;
  std::string error;  // Failed: why (database unusable, write failed)
};

class BatchRunner {
 public:
  using Done = std::function<void(size_t index, const PlannedCase&, const CaseOutcome&)>;

  BatchRunner(std::vector<PlannedCase> cases, BatchSettings settings, const RuleSet& rules);

  const std::vector<PlannedCase>& cases() const { return cases_; }
  uint64_t total_files() const;
  uint64_t total_bytes() const;

  // Runs everything. `done` is called in case order, one at a time (a report printed there
  // streams from the analysis, never held whole in memory). Returns false with `*error` when
  // the database cannot be used at all.
  bool run(BatchProgress& progress, const Done& done, std::string* error);

 private:
  class StorePool;
  // Phase 1: hashes every file (in parallel) and decides, in case order, what each case reads.
  std::vector<CaseSelection> choose_files(Store* stored, BatchProgress& progress);
  // Phase 2, one case: analyses its new files and stores them (one transaction), or notes that
  // another process stored them meanwhile.
  CaseOutcome analyse_case(size_t index, CaseSelection selection, StorePool* stores,
                           BatchProgress& progress);

  std::vector<PlannedCase> cases_;
  BatchSettings settings_;
  const RuleSet& rules_;
};

}  // namespace fedtriage
