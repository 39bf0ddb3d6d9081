#include "lib/store/postgresql/pg_store.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <exception>

#include "lib/base/process_identity.h"
#include "lib/core/timestamp.h"
#include "lib/store/open_store.h"
#include "lib/store/postgresql/pg_case_writer.h"
#include "lib/store/postgresql/pg_connection.h"
#include "lib/store/postgresql/pg_conversations.h"
#include "lib/store/postgresql/pg_reader.h"
#include "lib/store/postgresql/pg_schema.h"
#include "lib/store/write_guard.h"

namespace fedtriage {
namespace {

using pg::Params;

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

class PgStore final : public Store {
 public:
  PgStore(const std::string& url, const std::string& shown) : db(url, shown) {}

  std::string name() const override { return db.shown(); }

  int64_t begin_run(const std::vector<std::string>& args, std::string* error) override {
    int64_t id = 0;
    guard("cannot record run", error, [&] {
      nlohmann::json list = args;
      const int64_t now = now_ms();
      // A run holds a session lock on its id while its connection lives. A `running` run whose
      // lock is free lost its process (killed, crashed, its machine gone): mark it, from any
      // machine. The lock taken to test it is given back at once.
      db.exec(
          "UPDATE runs SET status = 'interrupted', finished_at = $1, finished_ms = $2 "
          "WHERE status = 'running' AND CASE WHEN pg_try_advisory_lock(hashtextextended('run ' "
          "|| id, 0)) THEN pg_advisory_unlock(hashtextextended('run ' || id, 0)) ELSE false END",
          Params().add(format_iso_utc(now)).add(now));
      pg::Result r = db.exec(
          "INSERT INTO runs(started_at, started_ms, tool_version, args, status, owner) "
          "VALUES($1, $2, $3, $4, 'running', $5) RETURNING id",
          Params()
              .add(format_iso_utc(now))
              .add(now)
              .add(FEDTRIAGE_VERSION)
              .add(list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
              .add(current_process_identity()));
      id = r.int64(0, 0);
      db.exec("SELECT pg_advisory_lock(hashtextextended('run ' || $1::text, 0))",
              Params().add(std::to_string(id)));
    });
    return id;
  }

  bool finish_run(int64_t run_id, const std::string& status, std::string* error) override {
    return guard("cannot record run", error, [&] {
      const int64_t now = now_ms();
      db.exec("UPDATE runs SET finished_at = $1, finished_ms = $2, status = $3 WHERE id = $4",
              Params().add(format_iso_utc(now)).add(now).add(status).add(run_id));
      db.exec("SELECT pg_advisory_unlock(hashtextextended('run ' || $1::text, 0))",
              Params().add(std::to_string(run_id)));
    });
  }

  std::unique_ptr<CaseWriter> begin_case(const std::string& case_name,
                                         const std::vector<RuleInfo>& rules,
                                         const WriteOptions& options, std::string* error) override {
    if (db.in_transaction()) {  // a CaseWriter is alive: leave its transaction alone
      if (error)
        *error = "cannot store analysis (" + db.shown() + "): another write is in progress";
      return nullptr;
    }
    std::unique_ptr<CaseWriter> writer;
    guard("cannot store analysis", error, [&] {
      // A case whose connection was cut off failed alone: the next one connects again (the
      // session's temporary tables went with the old one).
      if (db.lost()) {
        db.reconnect();
        cache.temp_tables = false;
      }
      writer = begin_pg_case(db, cache, case_name, rules, options);
    });
    return writer;
  }

  bool has_input(const std::string& sha256, std::string* error) override {
    bool found = false;
    guard("cannot look up input", error, [&] {
      found =
          db.exec("SELECT 1 FROM inputs WHERE sha256 = $1 LIMIT 1", Params().add(sha256)).rows() >
          0;
    });
    return found;
  }

  bool has_source(const std::string& sha256, const std::string& case_name,
                  std::string* error) override {
    bool found = false;
    guard("cannot look up source file", error, [&] {
      found = db.exec(
                    "SELECT 1 FROM source_files WHERE sha256 = $1 AND ($2 = '' OR case_id = "
                    "(SELECT id FROM cases WHERE name = $2)) LIMIT 1",
                    Params().add(sha256).add(case_name))
                  .rows() > 0;
    });
    return found;
  }

  std::vector<uint64_t> source_sizes(std::string* error) override {
    std::vector<uint64_t> sizes;
    guard("cannot look up source files", error, [&] {
      pg::Result r = db.exec("SELECT DISTINCT bytes FROM source_files ORDER BY bytes");
      for (int row = 0; row < r.rows(); ++row) {
        sizes.push_back(static_cast<uint64_t>(r.int64(row, 0)));
      }
    });
    return sizes;
  }

  bool replace_case(const std::string& name, std::string* error) override {
    if (error) error->clear();
    bool existed = false;
    guard("cannot delete case", error, [&] {
      existed = db.exec("DELETE FROM cases WHERE name = $1", Params().add(name)).affected() > 0;
    });
    return existed;
  }

  std::vector<CaseInfo> list_cases(std::string* error) override {
    std::vector<CaseInfo> out;
    if (!read("cannot list cases", error, [&] { out = pg_read::cases(db); })) out.clear();
    return out;
  }

  std::vector<CallSummary> list_calls(const CallQuery& query, std::string* error) override {
    std::vector<CallSummary> out;
    if (!read("cannot list calls", error, [&] { out = pg_read::calls(db, query); })) out.clear();
    return out;
  }

  std::optional<StoredCall> load_call(const std::string& call_id, const std::string& case_name,
                                      std::string* error) override {
    if (error) error->clear();
    std::optional<StoredCall> out;
    if (!read("cannot load call", error, [&] { out = pg_read::call(db, call_id, case_name); })) {
      out.reset();
    }
    return out;
  }

  std::optional<StoredConversation> load_conversation(const std::string& id_or_call_id,
                                                      const std::string& case_name,
                                                      std::string* error) override {
    if (error) error->clear();
    std::optional<StoredConversation> out;
    if (!read("cannot load conversation", error,
              [&] { out = pg_conversations::load(db, id_or_call_id, case_name); })) {
      out.reset();
    }
    return out;
  }
  std::vector<std::string> list_conversation_ids(const std::string& case_name,
                                                 std::string* error) override {
    std::vector<std::string> out;
    if (!read("cannot list conversations", error,
              [&] { out = pg_conversations::ids(db, case_name); })) {
      out.clear();
    }
    return out;
  }
  std::optional<StoreSummary> summary(const std::string& case_name, std::string* error) override {
    std::optional<StoreSummary> out;
    if (!read("cannot summarise", error, [&] { out = pg_read::summary(db, case_name); })) {
      out.reset();
    }
    return out;
  }

  std::optional<std::string> event_raw(int64_t event_id, std::string* error) override {
    if (error) error->clear();
    std::optional<std::string> out;
    if (!read("cannot read event", error, [&] { out = pg_read::event_raw(db, event_id); })) {
      out.reset();
    }
    return out;
  }

  std::optional<CaseDigest> case_digest(std::string* error) override {
    std::optional<CaseDigest> out;
    if (!read("cannot read cases", error, [&] { out = pg_read::case_digest(db); })) out.reset();
    return out;
  }

  template <typename F>
  bool guard(const char* what, std::string* error, F&& body) {
    return store_guard::run(
        what, db.shown(), error, [&] { db.rollback_quietly(); }, body);
  }

  // Reads in one snapshot: a concurrent writer's commit shows entirely or not at all.
  template <typename F>
  bool read(const char* what, std::string* error, F&& body) {
    return guard(what, error, [&] {
      db.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      body();
      db.exec("COMMIT");
    });
  }

  pg::Connection db;
  PgWriteCache cache;
};

}  // namespace

std::unique_ptr<Store> open_pg_store(const std::string& url, const StoreOptions& options,
                                     std::string* error) {
  try {
    auto store = std::make_unique<PgStore>(url, displayable_db(url));
    try {
      if (options.read_only) {
        // Every transaction of this session reads only: a read-only role suffices.
        store->db.exec("SET default_transaction_read_only = on");
      }
      pg_schema::prepare(store->db, options.create && !options.read_only, options.read_only);
    } catch (const pg::Error& e) {
      // The schema's own refusals name the server; a failed statement does not.
      const std::string what = e.what();
      if (what.starts_with(store->db.shown())) throw;
      throw pg::Error(store->db.shown() + ": cannot create the schema: " + what, e.sqlstate());
    }
    return store;
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return nullptr;
  }
}

bool pg_status(const std::string& url, std::string* report, std::string* error) {
  try {
    pg::Connection db(url, displayable_db(url));
    const pg_schema::Status s = pg_schema::inspect(db);
    pg::Result server = db.exec(
        "SELECT current_database(), current_user, "
        "current_setting('server_version')");
    std::string out = "database: " + db.shown() + "\n";
    out += "server: PostgreSQL " + server.text(0, 2) + ", database " + server.text(0, 0) +
           ", user " + server.text(0, 1) + ", schema " + s.schema + "\n";
    if (s.foreign) {
      out += "schema: none; " + std::to_string(s.other_tables) +
             " table(s) of another application: fedtriage refuses this database\n";
    } else if (!s.has_schema) {
      out += "schema: none yet (empty; `fedtriage db init` or the first analyze creates it)\n";
    } else {
      out += "schema: fedtriage version " + std::to_string(s.version) +
             " (this build: " + std::to_string(Store::schema_version()) + ")" +
             (s.version < Store::schema_version()   ? ", will be migrated on first use"
              : s.version > Store::schema_version() ? ", newer: use a newer fedtriage"
                                                    : "") +
             "\n";
      if (s.version >= 1 && s.version <= Store::schema_version()) {
        pg::Result n = db.exec(
            "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM inputs), "
            "(SELECT count(*) FROM events), (SELECT count(*) FROM calls), "
            "(SELECT count(*) FROM findings), (SELECT count(*) FROM runs)");
        out += "rows: " + n.text(0, 0) + " cases, " + n.text(0, 1) + " inputs, " + n.text(0, 2) +
               " events, " + n.text(0, 3) + " calls, " + n.text(0, 4) + " findings, " +
               n.text(0, 5) + " runs\n";
      }
    }
    *report = out;
    return !s.foreign && s.version <= Store::schema_version();
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return false;
  }
}

}  // namespace fedtriage
