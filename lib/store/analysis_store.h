// The SQLite database `fedtriage analyze --db` writes and `fedtriage show` reads: inputs,
// events, calls, findings and their evidence, per case. Knows the normalized model only.
//
// One AnalysisStore is one connection: use it from one thread at a time. Any number of stores,
// in threads or processes, may share one file: writers queue on the lock (WAL, busy timeout,
// retry), readers are never blocked. The schema is described in docs/schema.md.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lib/core/event.h"
#include "lib/core/input_record.h"
#include "lib/correlate/call.h"
#include "lib/rules/finding.h"
#include "lib/store/case_writer.h"
#include "lib/store/source_files.h"
#include "lib/store/store_records.h"

namespace fedtriage {

struct StoreOptions {
  bool create = true;           // create the file when missing; false: it must exist
  int busy_timeout_ms = 10000;  // how long to wait for another writer, per attempt
  uint64_t max_bytes = 0;       // 0: no limit; else writes that would grow the file
                                // beyond fail (SQLITE_FULL) and roll back
};

struct WriteOptions {
  int64_t run_id = 0;         // from begin_run(), 0: not tied to a run
  bool replace_case = false;  // drop everything stored under the case first (same transaction)
  std::vector<SourceRecord> sources;  // files on disk read into the case (table source_files)
};

struct CallQuery {
  std::string case_name;  // "" = all cases
  bool failed_only = false;
  std::string rule_id;  // "" = any; else only calls with a finding of this rule
  uint64_t limit = 0;   // 0 = no limit
};

class AnalysisStore {
 public:
  // Opens or creates the database and brings its schema up to date. nullptr with `*error`
  // set when the file is not SQLite, belongs to another application, has a newer schema
  // than this build knows, or cannot be opened.
  static std::unique_ptr<AnalysisStore> open(const std::string& path, std::string* error);
  static std::unique_ptr<AnalysisStore> open(const std::string& path, const StoreOptions& options,
                                             std::string* error);
  ~AnalysisStore();
  AnalysisStore(const AnalysisStore&) = delete;
  AnalysisStore& operator=(const AnalysisStore&) = delete;

  static int schema_version();  // the version this build writes

  // A run: one invocation of the tool. Returns its id, 0 on error.
  int64_t begin_run(const std::vector<std::string>& args, std::string* error);
  bool finish_run(int64_t run_id, const std::string& status, std::string* error);

  // Stores one analysis under `case_name` in one transaction: all of it or nothing.
  // Re-writing the same inputs adds no copies: inputs, events, calls and findings are
  // upserted on their natural keys, and the calls and findings of every call id written are
  // replaced (see docs/schema.md, "Writes and re-runs"). Event indices in calls and findings
  // refer to `events`; an input re-written loses the events it no longer has. seq counts the
  // events of one input, line and kind in the order of `events` (origin.seq is not used).
  // Written through begin_case(): inputs, events, each call with its findings, then the
  // findings of call ids without a Call.
  bool write_analysis(const std::string& case_name, const std::vector<InputRecord>& inputs,
                      const std::vector<Event>& events, const std::vector<Call>& calls,
                      const std::vector<Finding>& findings, const std::vector<RuleInfo>& rules,
                      std::string* error);
  bool write_analysis(const std::string& case_name, const std::vector<InputRecord>& inputs,
                      const std::vector<Event>& events, const std::vector<Call>& calls,
                      const std::vector<Finding>& findings, const std::vector<RuleInfo>& rules,
                      const WriteOptions& options, std::string* error);

  // Streaming form of write_analysis for cases too large to hold in memory: everything from
  // begin_case() to CaseWriter::commit() is one transaction; nothing is stored unless commit()
  // succeeds (destroying an uncommitted writer rolls back). The store must not be used for
  // anything else while a CaseWriter is alive, and must outlive it. Takes the write lock
  // (BEGIN IMMEDIATE) with the same busy wait and retries as write_analysis, then upserts the
  // case (dropped first with options.replace_case) and `rules`. nullptr with `*error` set on
  // failure. See lib/store/case_writer.h for the pieces.
  std::unique_ptr<CaseWriter> begin_case(const std::string& case_name,
                                         const std::vector<RuleInfo>& rules,
                                         const WriteOptions& options, std::string* error);

  // True when an input with this content hash is stored, in any case: batch runs skip it.
  bool has_input(const std::string& sha256, std::string* error = nullptr);
  // True when a source file (WriteOptions::sources) with this content is stored in case
  // `case_name`, or in any case when "".
  bool has_source(const std::string& sha256, const std::string& case_name = "",
                  std::string* error = nullptr);

  // Deletes the case and everything stored under it. False with `*error` empty when there
  // was no such case.
  bool replace_case(const std::string& name, std::string* error);

  // Reads. On error they return empty / nullopt and set `*error`.
  std::vector<CaseInfo> list_cases(std::string* error);
  std::vector<CallSummary> list_calls(const CallQuery& query, std::string* error);
  // The call in `case_name`, or when "" in the case written last that has it. nullopt with
  // `*error` empty when not found.
  std::optional<StoredCall> load_call(const std::string& call_id, const std::string& case_name,
                                      std::string* error);
  std::optional<StoreSummary> summary(const std::string& case_name, std::string* error);

 private:
  struct Impl;
  explicit AnalysisStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fedtriage
