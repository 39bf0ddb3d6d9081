// `fedtriage rules list|check`: the rule set a support engineer can read and edit.
#include <boost/program_options.hpp>
#include <iostream>

#include "app/cli_support.h"
#include "app/command_line.h"
#include "app/exit_status.h"
#include "lib/report/terminal_text.h"
#include "lib/rules/rule_check.h"
#include "lib/rules/rule_set.h"

namespace po = boost::program_options;

namespace fedtriage::cli {

int run_rules(const Args& args, const GlobalOptions&) {
  std::string action, rules_dir;
  po::options_description desc(
      "Usage: fedtriage rules list|check [--rules DIR]\n\n"
      "  list    every rule: id, severity, title, file\n"
      "  check   run every rule's sample events through it; exit 1 on any failure\n\nOptions");
  desc.add_options()("help,h", "this help")("rules", po::value(&rules_dir)->value_name("DIR"),
                                            "rule files in DIR instead of the built-in rule set");
  po::options_description hidden;
  hidden.add_options()("action", po::value(&action));
  po::positional_options_description pos;
  pos.add("action", 1);
  po::variables_map vm;
  if (auto stop = parse_command_line({"rules", &desc, &hidden, &pos}, args, vm, [&] {
        if (action != "list" && action != "check") throw std::invalid_argument("say list or check");
      })) {
    return *stop;
  }
  const RuleSet rules = load_rules(rules_dir);
  if (action == "list") {
    for (const RuleSummary& r : rules.list()) {
      std::cout << r.id << "\t" << to_string(r.severity) << "\t" << terminal_safe(r.title) << "\t"
                << terminal_safe(r.file) << ":" << r.line << "\n";
    }
    std::cout << rules.size() << " rules\n";
    return rules.errors().empty() ? kOk : kPartialInput;
  }
  const RuleCheckReport report = check_rules(rules);
  for (const RuleCheckFailure& f : report.failures) {
    std::cout << "FAIL " << f.rule_id << " " << terminal_safe(f.file) << ":" << f.line << " sample "
              << terminal_safe(f.sample) << ": " << terminal_safe(f.message) << "\n";
  }
  for (const RuleLoadError& e : report.load_errors) {
    std::cout << "LOAD " << terminal_safe(to_string(e)) << "\n";
  }
  std::cout << report.rules << " rules, " << report.samples_passed << "/" << report.samples
            << " samples passed, " << report.failures.size() << " failures, "
            << report.load_errors.size() << " load errors\n";
  return report.ok() ? kOk : kFatal;
}

}  // namespace fedtriage::cli
