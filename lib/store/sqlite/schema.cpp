#include "lib/store/sqlite/schema.h"

#include <sqlite3.h>

#include <string>
#include <vector>

#include "lib/store/schema_ddl.h"

namespace fedtriage::store_schema {
namespace {

// How SQLite spells what the shared schema text leaves open (schema_ddl.h).
constexpr schema_ddl::SqlDialect kSqlite = {"INTEGER PRIMARY KEY", "INTEGER",   "TEXT", "BLOB",
                                            " WITHOUT ROWID",      "ADD COLUMN"};

const std::vector<std::string>& steps() {
  static const std::vector<std::string> all = schema_ddl::migrations(kSqlite);
  return all;
}

int64_t table_count(sql::Db& db) {
  return db.scalar_int("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'");
}

void set_meta(sql::Db& db, const char* key, const std::string& value) {
  db.prepare(
        "INSERT INTO meta(key, value) VALUES(?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .bind_all(key, value)
      .run();
}

// Applies the missing steps in one transaction; re-checks under the write lock because
// another process may have created or migrated the file meanwhile.
void migrate(sql::Db& db, const std::string& path) {
  db.write_transaction([&] {
    int64_t app_id = db.scalar_int("PRAGMA application_id");
    int version = stored_version(db);
    if (version == 0 && (app_id != 0 || table_count(db) != 0) && app_id != kApplicationId) {
      throw sql::Error(SQLITE_MISMATCH, path + " is an SQLite database of another application");
    }
    if (version > kVersion) {
      throw sql::Error(SQLITE_MISMATCH, path + " has schema version " + std::to_string(version) +
                                            ", newer than this fedtriage supports (" +
                                            std::to_string(kVersion) + ")");
    }
    for (int v = version; v < kVersion; ++v) db.exec(steps()[static_cast<size_t>(v)].c_str());
    if (version == kVersion) return;
    db.exec(("PRAGMA application_id = " + std::to_string(kApplicationId)).c_str());
    set_meta(db, "schema_version", std::to_string(kVersion));
    set_meta(db, version == 0 ? "created_by" : "migrated_by", FEDTRIAGE_VERSION);
  });
}

}  // namespace

int stored_version(sql::Db& db) {
  if (db.scalar_int("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'meta'") ==
      0) {
    return 0;
  }
  sql::Stmt& s = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'");
  std::string text = s.step() ? s.text(0) : std::string();
  s.reset();
  int version = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || version > 100000) return -1;
    version = version * 10 + (c - '0');
  }
  return text.empty() ? -1 : version;
}

void prepare(sql::Db& db, const std::string& path, int busy_timeout_ms, bool read_only) {
  sqlite3_busy_timeout(db.handle(), busy_timeout_ms);
  int64_t app_id = 0;
  try {
    app_id = db.scalar_int("PRAGMA application_id");  // reads the header: fails on non-SQLite
  } catch (const sql::Error& e) {
    if (e.code() == SQLITE_NOTADB) {
      throw sql::Error(e.code(), path + " is not an SQLite database");
    }
    throw sql::Error(e.code(), path + ": " + e.what());
  }
  // Look before changing anything: a foreign database must be left exactly as it was.
  if (app_id != kApplicationId && (app_id != 0 || table_count(db) != 0)) {
    throw sql::Error(SQLITE_MISMATCH, path +
                                          " is an SQLite database of another application "
                                          "(no fedtriage schema): refusing to use it");
  }
  int version = app_id == kApplicationId ? stored_version(db) : 0;
  if (version < 0) {
    throw sql::Error(SQLITE_CORRUPT, path + ": fedtriage schema_version is missing or damaged");
  }
  if (version > kVersion) {
    throw sql::Error(SQLITE_MISMATCH, path + " has schema version " + std::to_string(version) +
                                          ", newer than this fedtriage supports (" +
                                          std::to_string(kVersion) + "): use a newer fedtriage");
  }
  // A read command on a file of an older version that it may write migrates it (a user who
  // upgraded fedtriage just runs `show`); on a file it may not write it says what would.
  const bool migrate_for_reader =
      read_only && version < kVersion && app_id == kApplicationId && !db.read_only();
  if (read_only && !migrate_for_reader) {
    if (app_id != kApplicationId) {
      throw sql::Error(SQLITE_MISMATCH, path + " holds no fedtriage data yet");
    }
    if (version < kVersion) {
      throw sql::Error(SQLITE_MISMATCH,
                       path + " has schema version " + std::to_string(version) +
                           ", older than this fedtriage's (" + std::to_string(kVersion) +
                           "): a command that writes (e.g. `fedtriage db status`) migrates it");
    }
    db.exec("PRAGMA query_only = ON");
    db.exec("PRAGMA cache_size = -65536");
    return;
  }
  db.exec("PRAGMA foreign_keys = ON");
  // Events carry their raw text (1-3 KB): larger pages keep most rows off overflow pages.
  // Only a new, empty file takes it (before WAL mode fixes the size).
  if (app_id == 0 && table_count(db) == 0) db.exec("PRAGMA page_size = 16384");
  db.exec("PRAGMA journal_mode = WAL");    // readers never block the writer, nor it them
  db.exec("PRAGMA synchronous = NORMAL");  // in WAL: durable at checkpoints, always consistent
  // 64 MiB: the index B-trees of a multi-GB case stay in memory (4 GB bundle: 27.9 s with
  // 32 MiB, 25.0 s with 64 MiB, for 37 MB more peak RSS).
  db.exec("PRAGMA cache_size = -65536");
  if (version < kVersion) migrate(db, path);
  if (read_only) db.exec("PRAGMA query_only = ON");
}

}  // namespace fedtriage::store_schema
