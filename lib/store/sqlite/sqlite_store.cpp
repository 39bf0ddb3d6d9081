#include "lib/store/sqlite/sqlite_store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>

#include <nlohmann/json.hpp>

#include <exception>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "lib/base/process_identity.h"
#include "lib/base/sys_error.h"
#include "lib/core/timestamp.h"
#include "lib/store/sqlite/conversation_tables.h"
#include "lib/store/sqlite/schema.h"
#include "lib/store/sqlite/source_files.h"
#include "lib/store/sqlite/sqlite_case_writer.h"
#include "lib/store/sqlite/sqlite_db.h"
#include "lib/store/sqlite/sqlite_reader.h"
#include "lib/store/sqlite/sqlite_writer.h"
#include "lib/store/write_guard.h"

namespace fedtriage {

namespace {

class SqliteStore final : public Store {
 public:
  SqliteStore(const std::string& p, sql::Db::Mode mode) : path(p), db(p, mode) {}

  std::string name() const override { return path; }
  int64_t begin_run(const std::vector<std::string>& args, std::string* error) override;
  bool finish_run(int64_t run_id, const std::string& status, std::string* error) override;
  std::unique_ptr<CaseWriter> begin_case(const std::string& case_name,
                                         const std::vector<RuleInfo>& rules,
                                         const WriteOptions& options, std::string* error) override;
  bool has_input(const std::string& sha256, std::string* error) override;
  bool has_source(const std::string& sha256, const std::string& case_name,
                  std::string* error) override;
  std::vector<uint64_t> source_sizes(std::string* error) override;
  bool replace_case(const std::string& name, std::string* error) override;
  std::vector<CaseInfo> list_cases(std::string* error) override;
  std::vector<CallSummary> list_calls(const CallQuery& query, std::string* error) override;
  std::optional<StoredCall> load_call(const std::string& call_id, const std::string& case_name,
                                      std::string* error) override;
  std::optional<StoredConversation> load_conversation(const std::string& id_or_call_id,
                                                      const std::string& case_name,
                                                      std::string* error) override;
  std::vector<std::string> list_conversation_ids(const std::string& case_name,
                                                 std::string* error) override;
  std::optional<StoreSummary> summary(const std::string& case_name, std::string* error) override;
  std::optional<CaseDigest> case_digest(std::string* error) override;
  std::optional<std::string> event_raw(int64_t event_id, std::string* error) override;

  // Runs `body`, turning any exception into `*error` prefixed with what was being done.
  template <typename F>
  bool guard(const char* what, std::string* error, F&& body) {
    return store_guard::run(
        what, path, error, [&] { db.rollback_quietly(); }, body);
  }

  // Reads in one snapshot: a concurrent writer's commit shows entirely or not at all.
  template <typename F>
  bool read(const char* what, std::string* error, F&& body) {
    return guard(what, error, [&] {
      db.retry_busy([&] {
        db.exec("BEGIN");
        body();
        db.exec("COMMIT");
      });
    });
  }

  std::string path;
  sql::Db db;
};

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const std::string& path, const StoreOptions& options,
                                         std::string* error) {
  // SQLite reads "" as a private temporary database (everything written would be lost) and
  // would put its "-journal" beside a device: a database is a regular file or a new one.
  struct stat st {};
  const char* why = path.empty() ? "no database file given (empty path)"
                    : ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)
                        ? "not a regular file (a device, FIFO or directory cannot hold a database)"
                        : nullptr;
  if (why != nullptr) {
    if (error) *error = path.empty() ? std::string(why) : path + ": " + why;
    return nullptr;
  }
  if ((options.read_only || !options.create) && ::stat(path.c_str(), &st) != 0) {
    if (error) *error = path + ": " + sys_error_message(errno) + " (analyze creates the database)";
    return nullptr;
  }
  using Mode = sql::Db::Mode;
  // `reading`: query_only, no migration (read commands).
  auto open = [&](Mode mode, bool reading) {
    std::unique_ptr<SqliteStore> store;
    try {
      store = std::make_unique<SqliteStore>(path, mode);
    } catch (const sql::Error& e) {
      throw sql::Error(e.code(), "cannot open " + path + ": " + e.what());
    }
    if (mode == Mode::Create || mode == Mode::ReadWrite) {
      if (store->db.read_only()) {
        if (reading) throw sql::Error(SQLITE_READONLY, "opened read-only");
        throw sql::Error(SQLITE_READONLY,
                         path +
                             " is read-only for this user (file permissions or a read-only "
                             "mount): this command writes the database; the read commands "
                             "(show, report, calls, cases, summary) still work on it");
      }
    }
    store->db.retry_busy(
        [&] { store_schema::prepare(store->db, path, options.busy_timeout_ms, reading); });
    if (reading) store->db.scalar_int("SELECT count(*) FROM cases");  // WAL: needs its -shm
    return store;
  };
  try {
    std::unique_ptr<SqliteStore> store;
    if (!options.read_only) {
      store = open(options.create ? Mode::Create : Mode::ReadWrite, false);
    } else {
      // Read commands prefer a connection that may write but does not (query_only): as the
      // last one out it removes the -wal and -shm files, as a writer would. Where the file or
      // its folder may not be written: read-only, and where even the -shm file cannot be
      // created, the file as it is (immutable: no writer can be at work from here).
      for (Mode mode : {Mode::ReadWrite, Mode::ReadOnly, Mode::Immutable}) {
        try {
          store = open(mode, true);
          break;
        } catch (const sql::Error& e) {
          const bool permission = e.code() == SQLITE_CANTOPEN || e.code() == SQLITE_READONLY ||
                                  e.code() == SQLITE_PERM || e.code() == SQLITE_IOERR;
          if (!permission || mode == Mode::Immutable) throw;
        }
      }
    }
    if (options.max_bytes) {
      int64_t page_size = store->db.scalar_int("PRAGMA page_size");
      int64_t pages = static_cast<int64_t>(options.max_bytes) / (page_size ? page_size : 4096);
      // SQLite never lowers the limit below the current size: the file stays usable.
      store->db.exec(("PRAGMA max_page_count = " + std::to_string(pages > 0 ? pages : 1)).c_str());
    }
    return store;
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return nullptr;
  }
}

int64_t SqliteStore::begin_run(const std::vector<std::string>& args, std::string* error) {
  int64_t id = 0;
  guard("cannot record run", error, [&] {
    nlohmann::json list = args;
    int64_t now = store_write::now_ms();
    std::string args_json = list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    db.write_transaction([&] {
      // Runs whose process died (killed, crashed) are marked now: no run stays `running`.
      std::vector<int64_t> gone;
      sql::Stmt& running = db.prepare("SELECT id, owner FROM runs WHERE status = 'running'");
      while (running.step()) {
        if (process_state(running.text(1)) == ProcessState::Gone) gone.push_back(running.int64(0));
      }
      running.reset();
      for (int64_t run : gone) {
        db.prepare(
              "UPDATE runs SET status = 'interrupted', finished_at = ?, finished_ms = ? "
              "WHERE id = ?")
            .bind_all(format_iso_utc(now), now, run)
            .run();
      }
      sql::Stmt& s = db.prepare(
          "INSERT INTO runs(started_at, started_ms, tool_version, args, status, owner) "
          "VALUES(?, ?, ?, ?, 'running', ?) RETURNING id");
      s.bind_all(format_iso_utc(now), now, FEDTRIAGE_VERSION, args_json,
                 current_process_identity());
      id = s.step() ? s.int64(0) : 0;
      s.run();
    });
  });
  return id;
}

bool SqliteStore::finish_run(int64_t run_id, const std::string& status, std::string* error) {
  return guard("cannot record run", error, [&] {
    int64_t now = store_write::now_ms();
    db.write_transaction([&] {
      db.prepare("UPDATE runs SET finished_at = ?, finished_ms = ?, status = ? WHERE id = ?")
          .bind_all(format_iso_utc(now), now, status, run_id)
          .run();
    });
  });
}

std::unique_ptr<CaseWriter> SqliteStore::begin_case(const std::string& case_name,
                                                    const std::vector<RuleInfo>& rules,
                                                    const WriteOptions& options,
                                                    std::string* error) {
  if (db.in_transaction()) {  // a CaseWriter is alive: leave its transaction alone
    if (error) *error = "cannot store analysis (" + path + "): another write is in progress";
    return nullptr;
  }
  std::unique_ptr<store_write::CaseWrite> write;
  bool ok = guard("cannot store analysis", error, [&] {
    db.retry_busy([&] {
      db.exec("BEGIN IMMEDIATE");
      write = std::make_unique<store_write::CaseWrite>(db, case_name, rules, options);
    });
  });
  if (!ok) return nullptr;
  return make_sqlite_case_writer(db, path, std::move(write));
}

bool SqliteStore::has_input(const std::string& sha256, std::string* error) {
  bool found = false;
  guard("cannot look up input", error, [&] {
    sql::Stmt& s = db.prepare("SELECT 1 FROM inputs WHERE sha256 = ? LIMIT 1");
    s.bind_all(sha256);
    found = s.step();
    s.reset();
  });
  return found;
}

bool SqliteStore::has_source(const std::string& sha256, const std::string& case_name,
                             std::string* error) {
  bool found = false;
  guard("cannot look up source file", error,
        [&] { found = store_sources::has(db, sha256, case_name); });
  return found;
}

std::vector<uint64_t> SqliteStore::source_sizes(std::string* error) {
  std::vector<uint64_t> sizes;
  guard("cannot look up source files", error, [&] { sizes = store_sources::sizes(db); });
  return sizes;
}

bool SqliteStore::replace_case(const std::string& name, std::string* error) {
  if (error) error->clear();
  bool existed = false;
  guard("cannot delete case", error, [&] {
    db.write_transaction([&] {
      sql::Stmt& s = db.prepare("DELETE FROM cases WHERE name = ? RETURNING id");
      s.bind_all(name);
      existed = s.step();
      s.run();
    });
  });
  return existed;
}

std::vector<CaseInfo> SqliteStore::list_cases(std::string* error) {
  std::vector<CaseInfo> out;
  read("cannot list cases", error, [&] { out = store_read::cases(db); });
  return out;
}

std::vector<CallSummary> SqliteStore::list_calls(const CallQuery& query, std::string* error) {
  std::vector<CallSummary> out;
  if (!read("cannot list calls", error, [&] { out = store_read::calls(db, query); })) {
    out.clear();
  }
  return out;
}

std::optional<StoredCall> SqliteStore::load_call(const std::string& call_id,
                                                 const std::string& case_name, std::string* error) {
  if (error) error->clear();
  std::optional<StoredCall> out;
  if (!read("cannot load call", error, [&] { out = store_read::call(db, call_id, case_name); })) {
    out.reset();
  }
  return out;
}

std::optional<StoredConversation> SqliteStore::load_conversation(const std::string& id_or_call_id,
                                                                 const std::string& case_name,
                                                                 std::string* error) {
  if (error) error->clear();
  std::optional<StoredConversation> out;
  if (!read("cannot load conversation", error,
            [&] { out = store_conversations::load(db, id_or_call_id, case_name); })) {
    out.reset();
  }
  return out;
}

std::vector<std::string> SqliteStore::list_conversation_ids(const std::string& case_name,
                                                            std::string* error) {
  std::vector<std::string> out;
  if (!read("cannot list conversations", error,
            [&] { out = store_conversations::ids(db, case_name); })) {
    out.clear();
  }
  return out;
}

std::optional<StoreSummary> SqliteStore::summary(const std::string& case_name, std::string* error) {
  std::optional<StoreSummary> out;
  if (!read("cannot summarise", error, [&] { out = store_read::summary(db, case_name); })) {
    out.reset();
  }
  return out;
}

std::optional<CaseDigest> SqliteStore::case_digest(std::string* error) {
  std::optional<CaseDigest> out;
  if (!read("cannot read cases", error, [&] { out = store_read::case_digest(db); })) out.reset();
  return out;
}

std::optional<std::string> SqliteStore::event_raw(int64_t event_id, std::string* error) {
  if (error) error->clear();
  std::optional<std::string> out;
  if (!read("cannot read event", error, [&] { out = store_read::event_raw(db, event_id); })) {
    out.reset();
  }
  return out;
}

int Store::schema_version() {
  return store_schema::kVersion;
}

}  // namespace fedtriage
