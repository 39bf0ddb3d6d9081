#include "lib/store/sqlite/source_files.h"

#include "lib/store/sqlite/sqlite_db.h"

namespace fedtriage::store_sources {

void write(sql::Db& db, int64_t case_id, const std::vector<SourceRecord>& sources,
           std::optional<int64_t> run_id, const std::string& now_iso) {
  for (const SourceRecord& s : sources) {
    db.prepare(
          "INSERT INTO source_files(case_id, name, sha256, bytes, stored_at, run_id) "
          "VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(case_id, sha256, name) DO UPDATE SET "
          "bytes = excluded.bytes, stored_at = excluded.stored_at, "
          "run_id = coalesce(excluded.run_id, run_id)")
        .bind_all(case_id, s.name, s.sha256, s.bytes, now_iso, run_id)
        .run();
  }
}

bool has(sql::Db& db, const std::string& sha256, const std::string& case_name) {
  sql::Stmt& s = db.prepare(
      "SELECT 1 FROM source_files WHERE sha256 = ?1 AND (?2 = '' OR case_id = "
      "(SELECT id FROM cases WHERE name = ?2)) LIMIT 1");
  s.bind_all(sha256, case_name);
  const bool found = s.step();
  s.reset();
  return found;
}

std::vector<uint64_t> sizes(sql::Db& db) {
  std::vector<uint64_t> out;
  sql::Stmt& s = db.prepare("SELECT DISTINCT bytes FROM source_files ORDER BY bytes");
  while (s.step()) out.push_back(static_cast<uint64_t>(s.int64(0)));
  s.reset();
  return out;
}

}  // namespace fedtriage::store_sources
