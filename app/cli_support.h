// What every subcommand shares: logging set-up, problem reporting to stderr, option helpers.
#pragma once

#include <string>
#include <vector>

#include "lib/core/problem.h"

namespace fedtriage::cli {

struct GlobalOptions {
  int verbosity = 0;  // -1 quiet, 0 normal, 1 verbose (-v), 2 debug (-vv)
};

// Sets spdlog's level and pattern from the verbosity; logs go to stderr.
void setup_logging(const GlobalOptions& options);

// Prints input problems to stderr as they happen ("warning: file:line: message"); notes only
// at -v. Log content is made terminal-safe. Counts what it saw for the exit status.
class StderrProblemReporter : public ProblemSink {
 public:
  explicit StderrProblemReporter(const GlobalOptions& options) : options_(options) {}
  void on_problem(Problem problem) override;
  int warnings() const { return warnings_; }
  int errors() const { return errors_; }

 private:
  GlobalOptions options_;
  int warnings_ = 0;
  int errors_ = 0;
};

using Args = std::vector<std::string>;

int run_events(const Args& args, const GlobalOptions& global);
int run_analyze(const Args& args, const GlobalOptions& global);
int run_show(const Args& args, const GlobalOptions& global);
int run_calls(const Args& args, const GlobalOptions& global);  // command_calls.cpp
int run_report(const Args& args, const GlobalOptions& global);
int run_rules(const Args& args, const GlobalOptions& global);
int run_check(const Args& args, const GlobalOptions& global);  // command_check.cpp
int run_redact(const Args& args, const GlobalOptions& global);
int run_db(const Args& args, const GlobalOptions& global);

}  // namespace fedtriage::cli

namespace fedtriage {
struct InputRecord;
class RuleSet;
}  // namespace fedtriage

namespace fedtriage::cli {

// kPartialInput when any input was unreadable or had warnings, kFatal when nothing at all
// could be read, else kOk.
int input_exit_status(const std::vector<InputRecord>& inputs,
                      const StderrProblemReporter& reporter);

// The built-in rule set, or the rule files in `dir`; load errors are logged (file:line) and
// the other rules kept.
RuleSet load_rules(const std::string& dir);

}  // namespace fedtriage::cli
