#include "app/cli_support.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "lib/report/terminal_text.h"

namespace fedtriage::cli {

void setup_logging(const GlobalOptions& options) {
  auto logger = spdlog::stderr_color_mt("fedtriage");
  logger->set_pattern("fedtriage: %^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(options.verbosity < 0    ? spdlog::level::err
                    : options.verbosity == 0 ? spdlog::level::warn
                    : options.verbosity == 1 ? spdlog::level::info
                                             : spdlog::level::debug);
}

void StderrProblemReporter::on_problem(Problem p) {
  std::string where = terminal_safe(p.file);
  if (p.line > 0) where += ":" + std::to_string(p.line);
  const std::string text = where + ": " + terminal_safe(p.message);
  switch (p.severity) {
    case Problem::Severity::Note:
      spdlog::info("{}", text);
      break;
    case Problem::Severity::Warning:
      ++warnings_;
      spdlog::warn("{}", text);
      break;
    case Problem::Severity::Error:
      ++errors_;
      spdlog::error("{}", text);
      break;
  }
}

}  // namespace fedtriage::cli

#include "app/exit_status.h"
#include "lib/core/input_record.h"
#include "lib/rules/rule_set.h"

namespace fedtriage::cli {

int input_exit_status(const std::vector<InputRecord>& inputs,
                      const StderrProblemReporter& reporter) {
  bool any_read = false;
  for (const auto& in : inputs) {
    if (!in.skipped) any_read = true;
  }
  if (!any_read) {
    spdlog::error("no input could be analysed ({} input(s) given, none in a known format)",
                  inputs.size());
    return kFatal;
  }
  return reporter.errors() + reporter.warnings() > 0 ? kPartialInput : kOk;
}

}  // namespace fedtriage::cli

namespace fedtriage::cli {

RuleSet load_rules(const std::string& dir) {
  RuleSet rules = dir.empty() ? RuleSet::embedded() : RuleSet::from_directory(dir);
  for (const RuleLoadError& e : rules.errors())
    spdlog::warn("rules: {}", terminal_safe(to_string(e)));
  return rules;
}

}  // namespace fedtriage::cli
