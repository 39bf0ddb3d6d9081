// The streaming form of AnalysisStore::write_analysis: one case written piece by piece (inputs,
// events, one call at a time) inside one transaction, for cases too large to hold in memory.
// Obtained from AnalysisStore::begin_case().
//
// Everything from begin_case() to commit() is one transaction: nothing is stored unless
// commit() succeeds, and destroying a writer that was not committed rolls back. A call that
// fails (returns false, `*error` set) rolls back at once and leaves the writer unusable: every
// later call fails; only destruction remains. Errors read like write_analysis's:
// "cannot store analysis (PATH): what".
//
// The writer holds the database's write lock and uses the store's connection: the store must
// outlive it and must not be used for anything else while it is alive.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lib/core/event.h"
#include "lib/core/input_record.h"
#include "lib/correlate/call.h"
#include "lib/rules/finding.h"

namespace fedtriage {

namespace sql {
class Db;
}
namespace store_write {
class CaseWrite;
}

class CaseWriter {
 public:
  ~CaseWriter();  // rolls back unless committed
  CaseWriter(const CaseWriter&) = delete;
  CaseWriter& operator=(const CaseWriter&) = delete;

  // Once, before any event: the inputs of this write (as write_analysis takes them). An input
  // written again is described by this write alone: its problems are replaced, and at
  // commit() the events it no longer yields are deleted.
  bool write_inputs(const std::vector<InputRecord>& inputs, std::string* error);

  // Upserts `events` on (input, line, kind, seq) with seq = event.origin.seq; appends their
  // row ids to `ids` in order. An event's input is the one named origin.file: one of
  // write_inputs, else one stored earlier in the case, else a placeholder input.
  bool write_events(const std::vector<Event>& events, std::vector<int64_t>* ids,
                    std::string* error);

  // One call and its findings. Event indices in `call` (events, links) and in the findings'
  // evidence are indices into `event_ids` (the row ids write_events returned). Replaces the
  // findings stored for call.call_id in this case (those written earlier in this same write
  // stay). A call index outside `event_ids` fails; an evidence index outside it is stored
  // without an event, keeping its file, line and text.
  bool write_call(const Call& call, const std::vector<Finding>& findings,
                  const std::vector<int64_t>& event_ids, std::string* error);

  // Findings for a call id that has no Call (replaces that call id's findings, as write_call).
  bool write_findings(const std::string& call_id, const std::vector<Finding>& findings,
                      const std::vector<int64_t>& event_ids, std::string* error);

  // Drops events the re-written inputs no longer yield, writes the source files
  // (WriteOptions::sources), commits.
  bool commit(std::string* error);

 private:
  friend class AnalysisStore;
  struct Impl;
  explicit CaseWriter(std::unique_ptr<Impl> impl);
  // Takes over a write begun (BEGIN IMMEDIATE, case and rules written) on `db`.
  static std::unique_ptr<CaseWriter> adopt(sql::Db& db, const std::string& path,
                                           std::unique_ptr<store_write::CaseWrite> write);
  // write_analysis: seq counts events per (input, line, kind) in the order given, instead of
  // taking origin.seq.
  void count_seq_in_order();

  std::unique_ptr<Impl> impl_;
};

}  // namespace fedtriage
