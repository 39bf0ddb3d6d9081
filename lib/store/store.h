// The analysis store: what `fedtriage analyze` writes (runs, cases, inputs, events, calls,
// findings with their evidence) and what `show`, `report`, `summary` and `cases` read. Knows
// the normalized model only, never a log format. The tables are described in docs/schema.md;
// every back end keeps the same tables and columns so that the same SQL works on each.
//
// Back ends live in lib/store/<name>/ (sqlite/ is the embedded default; see open_store.h for
// how `--db` picks one). One Store is one connection: use it from one thread at a time. Any
// number of stores, in threads or processes, may share one database.
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
#include "lib/store/case_summary.h"
#include "lib/store/case_writer.h"
#include "lib/store/source_files.h"
#include "lib/store/store_records.h"

namespace fedtriage {

struct StoreOptions {
  bool create = true;  // create the database (file or schema) when missing
  // Read commands: never write (no schema change, no lock file beside it), so that a database
  // on a read-only mount or owned by another user can be read. Implies create = false.
  bool read_only = false;
  int busy_timeout_ms = 10000;  // how long to wait for another writer, per attempt
  uint64_t max_bytes = 0;       // SQLite: 0 no limit; else writes that would grow the file
                                // beyond fail (disk full) and roll back
};

struct WriteOptions {
  int64_t run_id = 0;         // from begin_run(), 0: not tied to a run
  bool replace_case = false;  // drop everything stored under the case first (same transaction)
  std::vector<SourceRecord> sources;  // files on disk read into the case (table source_files)
  // seq counts the events of one (input, line, kind) in the order written instead of taking
  // origin.seq (write_analysis sets it).
  bool seq_in_write_order = false;
  // Batch runs: when every file in `sources` is already stored in the case (another process
  // sharing the database wrote it since the run looked), store nothing and commit() answers
  // true. Back ends that serialise whole cases anyway (SQLite) may ignore it.
  bool skip_stored_sources = false;
  // Where the case's bundle lives (its full path): a case holds one bundle. The write fails
  // when the case already holds another origin; "" (stdin, `--case NAME`) merges on purpose.
  std::string case_origin;
};

struct CallQuery {
  std::string case_name;  // "" = all cases
  bool failed_only = false;
  std::string rule_id;  // "" = any; else only calls with a finding of this rule
  uint64_t limit = 0;   // 0 = no limit
};

class Store {
 public:
  virtual ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // The schema version this build writes (docs/schema.md), the same on every back end.
  static int schema_version();

  // Where the data lives, for messages: a file path, or a server URL without its password.
  virtual std::string name() const = 0;

  // A run: one invocation of the tool. Returns its id, 0 on error.
  virtual int64_t begin_run(const std::vector<std::string>& args, std::string* error) = 0;
  virtual bool finish_run(int64_t run_id, const std::string& status, std::string* error) = 0;

  // Writes one case piece by piece in one transaction (see case_writer.h): takes the write
  // lock, upserts the case (dropped first with options.replace_case) and `rules`. nullptr with
  // `*error` set on failure. The store must outlive the writer and must not be used for
  // anything else while it is alive.
  virtual std::unique_ptr<CaseWriter> begin_case(const std::string& case_name,
                                                 const std::vector<RuleInfo>& rules,
                                                 const WriteOptions& options,
                                                 std::string* error) = 0;

  // Stores one whole analysis under `case_name` through begin_case(): all of it or nothing.
  // Re-writing the same inputs adds no copies: inputs, events, calls and findings are
  // upserted on their natural keys, and the calls and findings of every call id written are
  // replaced (docs/schema.md, "Writes and re-runs"). Event indices in calls and findings
  // refer to `events`; seq counts the events of one input, line and kind in the order of
  // `events`.
  bool write_analysis(const std::string& case_name, const std::vector<InputRecord>& inputs,
                      const std::vector<Event>& events, const std::vector<Call>& calls,
                      const std::vector<Finding>& findings, const std::vector<RuleInfo>& rules,
                      WriteOptions options, std::string* error);
  bool write_analysis(const std::string& case_name, const std::vector<InputRecord>& inputs,
                      const std::vector<Event>& events, const std::vector<Call>& calls,
                      const std::vector<Finding>& findings, const std::vector<RuleInfo>& rules,
                      std::string* error);

  // True when an input with this content hash is stored, in any case: batch runs skip it.
  virtual bool has_input(const std::string& sha256, std::string* error) = 0;
  // True when a source file (WriteOptions::sources) with this content is stored in case
  // `case_name`, or in any case when "".
  virtual bool has_source(const std::string& sha256, const std::string& case_name,
                          std::string* error) = 0;
  // The sizes of the source files stored, in any case, ascending and distinct. A file of
  // another size cannot be one of them: batch runs then need not hash it before reading it.
  // Empty with `*error` set on failure.
  virtual std::vector<uint64_t> source_sizes(std::string* error) = 0;

  // Deletes the case and everything stored under it. False with `*error` empty when there
  // was no such case.
  virtual bool replace_case(const std::string& name, std::string* error) = 0;

  // Reads, each in one snapshot. On error they return empty / nullopt and set `*error`.
  virtual std::vector<CaseInfo> list_cases(std::string* error) = 0;
  virtual std::vector<CallSummary> list_calls(const CallQuery& query, std::string* error) = 0;
  // The call in `case_name`, or when "" in the case written last that has it. nullopt with
  // `*error` empty when not found.
  virtual std::optional<StoredCall> load_call(const std::string& call_id,
                                              const std::string& case_name, std::string* error) = 0;
  // The conversation whose id is `id_or_call_id`, or the one of the call with that Call-ID,
  // in `case_name` or when "" in the case written last that has it. nullopt with `*error`
  // empty when not found.
  virtual std::optional<StoredConversation> load_conversation(const std::string& id_or_call_id,
                                                              const std::string& case_name,
                                                              std::string* error) = 0;
  // Every conversation id stored (in `case_name`, or in every case when ""), for prefixes.
  virtual std::vector<std::string> list_conversation_ids(const std::string& case_name,
                                                         std::string* error) = 0;
  virtual std::optional<StoreSummary> summary(const std::string& case_name, std::string* error) = 0;
  // Every case with its counts and every finding with its case (batch triage).
  virtual std::optional<CaseDigest> case_digest(std::string* error) = 0;
  // The raw text of event `event_id` (events.id), exact bytes, decompressed. nullopt with
  // `*error` empty when there is no such event.
  virtual std::optional<std::string> event_raw(int64_t event_id, std::string* error) = 0;

 protected:
  Store() = default;
};

}  // namespace fedtriage
