// The PostgreSQL CaseWriter: one case in one transaction, events through COPY. Private to
// lib/store/postgresql.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lib/store/case_writer.h"
#include "lib/store/store.h"

namespace fedtriage {

namespace pg {
class Connection;
}

// What a connection keeps between case writes.
struct PgWriteCache {
  bool temp_tables = false;  // the session's staging tables exist
  int64_t stage_next = 0;    // `ord` of the next staged event: grows for the connection's life
  int64_t stage_rows = 0;    // rows staged since the staging table was last emptied
  std::map<std::string, int64_t> rule_rows;           // rule_id + "\n" + sha256 -> rules.id
  std::map<int64_t, std::vector<int64_t>> run_rules;  // run id -> rule rows recorded
};

// Begins the case: rules first in their own short transactions (so that workers never wait on
// each other's rule rows), then BEGIN, the case's claim (advisory locks on its name and the
// content of its source files, so that workers given the same bundle store it once) and the
// case row. With options.skip_stored_sources, when another worker stored the same sources in
// this case meanwhile, the writer stores nothing and its commit() answers true. Throws
// pg::Error.
std::unique_ptr<CaseWriter> begin_pg_case(pg::Connection& db, PgWriteCache& cache,
                                          const std::string& case_name,
                                          const std::vector<RuleInfo>& rules,
                                          const WriteOptions& options);

}  // namespace fedtriage
