#include "lib/store/analysis_store.h"

#include <nlohmann/json.hpp>

#include <exception>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "lib/core/timestamp.h"
#include "lib/store/analysis_reader.h"
#include "lib/store/analysis_writer.h"
#include "lib/store/schema.h"
#include "lib/store/source_files.h"
#include "lib/store/sqlite_db.h"

namespace fedtriage {

struct AnalysisStore::Impl {
  Impl(const std::string& p, bool create) : path(p), db(p, create) {}
  std::string path;
  sql::Db db;

  // Runs `body`, turning any exception into `*error` prefixed with what was being done.
  template <typename F>
  bool guard(const char* what, std::string* error, F&& body) {
    try {
      body();
      return true;
    } catch (const std::exception& e) {
      db.rollback_quietly();
      if (error) *error = std::string(what) + " (" + path + "): " + e.what();
      return false;
    }
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
};

AnalysisStore::AnalysisStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AnalysisStore::~AnalysisStore() = default;

int AnalysisStore::schema_version() {
  return store_schema::kVersion;
}

std::unique_ptr<AnalysisStore> AnalysisStore::open(const std::string& path, std::string* error) {
  return open(path, StoreOptions{}, error);
}

std::unique_ptr<AnalysisStore> AnalysisStore::open(const std::string& path,
                                                   const StoreOptions& options,
                                                   std::string* error) {
  try {
    std::unique_ptr<Impl> impl;
    try {
      impl = std::make_unique<Impl>(path, options.create);
    } catch (const sql::Error& e) {
      throw sql::Error(e.code(), "cannot open " + path + ": " + e.what());
    }
    impl->db.retry_busy([&] { store_schema::prepare(impl->db, path, options.busy_timeout_ms); });
    if (options.max_bytes) {
      int64_t page_size = impl->db.scalar_int("PRAGMA page_size");
      int64_t pages = static_cast<int64_t>(options.max_bytes) / (page_size ? page_size : 4096);
      // SQLite never lowers the limit below the current size: the file stays usable.
      impl->db.exec(("PRAGMA max_page_count = " + std::to_string(pages > 0 ? pages : 1)).c_str());
    }
    return std::unique_ptr<AnalysisStore>(new AnalysisStore(std::move(impl)));
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return nullptr;
  }
}

int64_t AnalysisStore::begin_run(const std::vector<std::string>& args, std::string* error) {
  int64_t id = 0;
  impl_->guard("cannot record run", error, [&] {
    nlohmann::json list = args;
    int64_t now = store_write::now_ms();
    std::string args_json = list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    impl_->db.write_transaction([&] {
      sql::Stmt& s = impl_->db.prepare(
          "INSERT INTO runs(started_at, started_ms, tool_version, args, status) "
          "VALUES(?, ?, ?, ?, 'running') RETURNING id");
      s.bind_all(format_iso_utc(now), now, FEDTRIAGE_VERSION, args_json);
      id = s.step() ? s.int64(0) : 0;
      s.run();
    });
  });
  return id;
}

bool AnalysisStore::finish_run(int64_t run_id, const std::string& status, std::string* error) {
  return impl_->guard("cannot record run", error, [&] {
    int64_t now = store_write::now_ms();
    impl_->db.write_transaction([&] {
      impl_->db.prepare("UPDATE runs SET finished_at = ?, finished_ms = ?, status = ? WHERE id = ?")
          .bind_all(format_iso_utc(now), now, status, run_id)
          .run();
    });
  });
}

bool AnalysisStore::write_analysis(const std::string& case_name,
                                   const std::vector<InputRecord>& inputs,
                                   const std::vector<Event>& events, const std::vector<Call>& calls,
                                   const std::vector<Finding>& findings,
                                   const std::vector<RuleInfo>& rules, std::string* error) {
  return write_analysis(case_name, inputs, events, calls, findings, rules, WriteOptions{}, error);
}

bool AnalysisStore::write_analysis(const std::string& case_name,
                                   const std::vector<InputRecord>& inputs,
                                   const std::vector<Event>& events, const std::vector<Call>& calls,
                                   const std::vector<Finding>& findings,
                                   const std::vector<RuleInfo>& rules, const WriteOptions& options,
                                   std::string* error) {
  std::unique_ptr<CaseWriter> writer = begin_case(case_name, rules, options, error);
  if (!writer) return false;
  writer->count_seq_in_order();
  std::vector<int64_t> ids;
  if (!writer->write_inputs(inputs, error) || !writer->write_events(events, &ids, error)) {
    return false;
  }
  // Findings by call id, in their order; a call id's findings go with its first Call.
  std::unordered_map<std::string_view, std::vector<Finding>> by_call;
  std::vector<std::string_view> without_call;
  for (const Finding& f : findings) {
    auto [it, added] = by_call.try_emplace(f.call_id);
    if (added) without_call.push_back(f.call_id);
    it->second.push_back(f);
  }
  const std::vector<Finding> none;
  for (const Call& c : calls) {
    auto it = by_call.find(c.call_id);
    if (!writer->write_call(c, it == by_call.end() ? none : it->second, ids, error)) return false;
    if (it != by_call.end()) by_call.erase(it);
  }
  for (std::string_view call_id : without_call) {
    auto it = by_call.find(call_id);
    if (it == by_call.end()) continue;  // written with its Call
    if (!writer->write_findings(std::string(call_id), it->second, ids, error)) return false;
  }
  return writer->commit(error);
}

std::unique_ptr<CaseWriter> AnalysisStore::begin_case(const std::string& case_name,
                                                      const std::vector<RuleInfo>& rules,
                                                      const WriteOptions& options,
                                                      std::string* error) {
  sql::Db& db = impl_->db;
  if (db.in_transaction()) {  // a CaseWriter is alive: leave its transaction alone
    if (error) *error = "cannot store analysis (" + impl_->path + "): another write is in progress";
    return nullptr;
  }
  std::unique_ptr<store_write::CaseWrite> write;
  bool ok = impl_->guard("cannot store analysis", error, [&] {
    db.retry_busy([&] {
      db.exec("BEGIN IMMEDIATE");
      write = std::make_unique<store_write::CaseWrite>(db, case_name, rules, options);
    });
  });
  if (!ok) return nullptr;
  return CaseWriter::adopt(impl_->db, impl_->path, std::move(write));
}

bool AnalysisStore::has_input(const std::string& sha256, std::string* error) {
  bool found = false;
  impl_->guard("cannot look up input", error, [&] {
    sql::Stmt& s = impl_->db.prepare("SELECT 1 FROM inputs WHERE sha256 = ? LIMIT 1");
    s.bind_all(sha256);
    found = s.step();
    s.reset();
  });
  return found;
}

bool AnalysisStore::has_source(const std::string& sha256, const std::string& case_name,
                               std::string* error) {
  bool found = false;
  impl_->guard("cannot look up source file", error,
               [&] { found = store_sources::has(impl_->db, sha256, case_name); });
  return found;
}

bool AnalysisStore::replace_case(const std::string& name, std::string* error) {
  if (error) error->clear();
  bool existed = false;
  impl_->guard("cannot delete case", error, [&] {
    impl_->db.write_transaction([&] {
      sql::Stmt& s = impl_->db.prepare("DELETE FROM cases WHERE name = ? RETURNING id");
      s.bind_all(name);
      existed = s.step();
      s.run();
    });
  });
  return existed;
}

std::vector<CaseInfo> AnalysisStore::list_cases(std::string* error) {
  std::vector<CaseInfo> out;
  impl_->read("cannot list cases", error, [&] { out = store_read::cases(impl_->db); });
  return out;
}

std::vector<CallSummary> AnalysisStore::list_calls(const CallQuery& query, std::string* error) {
  std::vector<CallSummary> out;
  if (!impl_->read("cannot list calls", error,
                   [&] { out = store_read::calls(impl_->db, query); })) {
    out.clear();
  }
  return out;
}

std::optional<StoredCall> AnalysisStore::load_call(const std::string& call_id,
                                                   const std::string& case_name,
                                                   std::string* error) {
  if (error) error->clear();
  std::optional<StoredCall> out;
  if (!impl_->read("cannot load call", error,
                   [&] { out = store_read::call(impl_->db, call_id, case_name); })) {
    out.reset();
  }
  return out;
}

std::optional<StoreSummary> AnalysisStore::summary(const std::string& case_name,
                                                   std::string* error) {
  std::optional<StoreSummary> out;
  if (!impl_->read("cannot summarise", error,
                   [&] { out = store_read::summary(impl_->db, case_name); })) {
    out.reset();
  }
  return out;
}

}  // namespace fedtriage
