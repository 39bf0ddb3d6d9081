// Error handling every store back end shares: a database call that throws rolls back and
// becomes "WHAT (WHERE): why" for the user; a case writer that failed once stays failed.
#pragma once

#include <exception>
#include <string>

namespace fedtriage::store_guard {

// Runs `body`; on an exception runs `rollback` and sets `*error` to "what (where): why".
template <typename Rollback, typename F>
bool run(const char* what, const std::string& where, std::string* error, Rollback&& rollback,
         F&& body) {
  try {
    body();
    return true;
  } catch (const std::exception& e) {
    rollback();
    if (error) *error = std::string(what) + " (" + where + "): " + e.what();
    return false;
  }
}

// The life of a CaseWriter: open until commit() or the first failure, which rolls back and
// closes it for good ("cannot store analysis (WHERE): ...").
class CaseWriteState {
 public:
  bool open() const { return state_ == State::Open; }
  void committed() { state_ = State::Committed; }
  void failed() { state_ = State::Failed; }

  template <typename Rollback, typename F>
  bool step(const std::string& where, std::string* error, Rollback&& rollback, F&& body) {
    if (state_ != State::Open) {
      if (error) {
        *error = "cannot store analysis (" + where + "): " +
                 (state_ == State::Failed ? "an earlier write of this case failed"
                                          : "the case is already committed");
      }
      return false;
    }
    return run(
        "cannot store analysis", where, error,
        [&] {
          state_ = State::Failed;
          rollback();
        },
        body);
  }

 private:
  enum class State { Open, Failed, Committed };
  State state_ = State::Open;
};

}  // namespace fedtriage::store_guard
