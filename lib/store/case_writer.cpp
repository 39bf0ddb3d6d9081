#include "lib/store/case_writer.h"

#include <exception>
#include <utility>

#include "lib/store/analysis_writer.h"
#include "lib/store/sqlite_db.h"

namespace fedtriage {

struct CaseWriter::Impl {
  enum class State { Open, Failed, Committed };

  Impl(sql::Db& d, std::string p) : db(d), path(std::move(p)) {}
  ~Impl() {
    if (state == State::Open) db.rollback_quietly();
  }

  // Runs `body` while the writer is open; any exception rolls back and closes it for good.
  template <typename F>
  bool step(std::string* error, F&& body) {
    if (state != State::Open) {
      if (error) {
        *error = "cannot store analysis (" + path + "): " +
                 (state == State::Failed ? "an earlier write of this case failed"
                                         : "the case is already committed");
      }
      return false;
    }
    try {
      body();
      return true;
    } catch (const std::exception& e) {
      state = State::Failed;
      write.reset();
      db.rollback_quietly();
      if (error) *error = "cannot store analysis (" + path + "): " + e.what();
      return false;
    }
  }

  sql::Db& db;
  std::string path;
  std::unique_ptr<store_write::CaseWrite> write;
  State state = State::Open;
};

CaseWriter::CaseWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CaseWriter::~CaseWriter() = default;

std::unique_ptr<CaseWriter> CaseWriter::adopt(sql::Db& db, const std::string& path,
                                              std::unique_ptr<store_write::CaseWrite> write) {
  auto impl = std::make_unique<Impl>(db, path);
  impl->write = std::move(write);
  return std::unique_ptr<CaseWriter>(new CaseWriter(std::move(impl)));
}

void CaseWriter::count_seq_in_order() {
  if (impl_->write) impl_->write->count_seq_in_order();
}

bool CaseWriter::write_inputs(const std::vector<InputRecord>& inputs, std::string* error) {
  return impl_->step(error, [&] { impl_->write->inputs(inputs); });
}

bool CaseWriter::write_events(const std::vector<Event>& events, std::vector<int64_t>* ids,
                              std::string* error) {
  return impl_->step(error, [&] { impl_->write->events(events, ids); });
}

bool CaseWriter::write_call(const Call& call, const std::vector<Finding>& findings,
                            const std::vector<int64_t>& event_ids, std::string* error) {
  return impl_->step(error, [&] { impl_->write->call(call, findings, event_ids); });
}

bool CaseWriter::write_findings(const std::string& call_id, const std::vector<Finding>& findings,
                                const std::vector<int64_t>& event_ids, std::string* error) {
  return impl_->step(error, [&] { impl_->write->findings(call_id, findings, event_ids); });
}

bool CaseWriter::commit(std::string* error) {
  return impl_->step(error, [&] {
    impl_->write->finish();
    impl_->db.exec("COMMIT");
    impl_->state = Impl::State::Committed;
    impl_->write.reset();
  });
}

}  // namespace fedtriage
