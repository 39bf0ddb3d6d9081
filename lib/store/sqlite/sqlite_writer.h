// The engine behind the SQLite CaseWriter: writes one case piece by piece inside the caller's
// write transaction. Private to lib/store/sqlite.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lib/core/event.h"
#include "lib/core/input_record.h"
#include "lib/correlate/call.h"
#include "lib/rules/finding.h"
#include "lib/store/event_refs.h"
#include "lib/store/event_text.h"
#include "lib/store/sqlite/sqlite_db.h"
#include "lib/store/store.h"

namespace fedtriage::store_write {

// Every method throws sql::Error, std::invalid_argument (a call naming an event index outside
// `event_ids`) or std::logic_error (misuse); the caller then rolls the transaction back.
class CaseWrite {
 public:
  // Upserts the case (dropping it first with options.replace_case) and the rules.
  CaseWrite(sql::Db& db, const std::string& case_name, const std::vector<RuleInfo>& rules,
            const WriteOptions& options);
  ~CaseWrite();
  CaseWrite(const CaseWrite&) = delete;
  CaseWrite& operator=(const CaseWrite&) = delete;

  void inputs(const std::vector<InputRecord>& inputs);
  // `packed` is pack(events) (packing needs no database; see CaseWriter::pack_events).
  static store_cold::PackedEvents pack(store_cold::BatchPacker& packer, const EventRefs& events);
  void events(const EventRefs& events, const store_cold::PackedEvents& packed,
              std::vector<int64_t>* ids);
  void call(const Call& call, const std::vector<Finding>& findings,
            const std::vector<int64_t>& event_ids);
  void findings(const std::string& call_id, const std::vector<Finding>& findings,
                const std::vector<int64_t>& event_ids);
  void conversations(const ConversationSet& set);
  // Drops stale events of re-written inputs and writes the source files (not the COMMIT).
  void finish();

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// Milliseconds since the epoch, now.
int64_t now_ms();

}  // namespace fedtriage::store_write
