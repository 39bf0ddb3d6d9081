#include "lib/store/sqlite/sqlite_case_writer.h"

#include <exception>
#include <utility>

#include "lib/store/sqlite/sqlite_db.h"
#include "lib/store/sqlite/sqlite_writer.h"
#include "lib/store/write_guard.h"

namespace fedtriage {

namespace {

class SqliteCaseWriter final : public CaseWriter {
 public:
  SqliteCaseWriter(sql::Db& d, std::string p, std::unique_ptr<store_write::CaseWrite> w)
      : db(d), path(std::move(p)), write(std::move(w)) {}
  ~SqliteCaseWriter() override {
    if (state.open()) db.rollback_quietly();
  }

  bool write_inputs(const std::vector<InputRecord>& inputs, std::string* error) override {
    return step(error, [&] { write->inputs(inputs); });
  }
  bool pack_events(const EventRefs& events, store_cold::PackedEvents& out,
                   std::string* error) override {
    return store_guard::run(
        "cannot store analysis", path, error, [] {},
        [&] { out = store_write::CaseWrite::pack(packer, events); });
  }
  bool write_packed_events(const EventRefs& events, store_cold::PackedEvents packed,
                           std::vector<int64_t>* ids, std::string* error) override {
    return step(error, [&] { write->events(events, packed, ids); });
  }
  bool write_call(const Call& call, const std::vector<Finding>& findings,
                  const std::vector<int64_t>& event_ids, std::string* error) override {
    return step(error, [&] { write->call(call, findings, event_ids); });
  }
  bool write_findings(const std::string& call_id, const std::vector<Finding>& findings,
                      const std::vector<int64_t>& event_ids, std::string* error) override {
    return step(error, [&] { write->findings(call_id, findings, event_ids); });
  }
  bool write_conversations(const ConversationSet& set, std::string* error) override {
    return step(error, [&] { write->conversations(set); });
  }
  void release_memory() override { db.release_memory(); }
  bool commit(std::string* error) override {
    return step(error, [&] {
      write->finish();
      db.exec("COMMIT");
      state.committed();
      write.reset();
    });
  }

 private:
  // Runs `body` while the writer is open; any exception rolls back and closes it for good.
  template <typename F>
  bool step(std::string* error, F&& body) {
    return state.step(
        path, error,
        [&] {
          write.reset();
          db.rollback_quietly();
        },
        body);
  }

  sql::Db& db;
  std::string path;
  // Outside `write`, which an error on the writer's thread resets while a pack may run.
  store_cold::BatchPacker packer;
  std::unique_ptr<store_write::CaseWrite> write;
  store_guard::CaseWriteState state;
};

}  // namespace

std::unique_ptr<CaseWriter> make_sqlite_case_writer(sql::Db& db, const std::string& path,
                                                    std::unique_ptr<store_write::CaseWrite> write) {
  return std::make_unique<SqliteCaseWriter>(db, path, std::move(write));
}

}  // namespace fedtriage
