// `fedtriage analyze PATH...`: correlate calls, explain failures, store everything in SQLite
// and print a report.
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdlib>
#include <iostream>
#include <map>

#include "app/cli_support.h"
#include "app/exit_status.h"
#include "app/input_options.h"
#include "lib/analysis/analyzer.h"
#include "lib/ingest/sha256_source.h"
#include "lib/output/json_report.h"
#include "lib/output/text_report.h"
#include "lib/rules/rule_set.h"
#include "lib/store/analysis_store.h"

namespace po = boost::program_options;

namespace fedtriage::cli {
namespace {

// "customer/diagnostic_log_vcse.tar.gz" -> "diagnostic_log_vcse".
std::string case_name_from(const std::string& path) {
  if (path == "-") return "stdin";
  std::string name = path;
  while (name.size() > 1 && name.back() == '/') name.pop_back();
  name = name.substr(name.rfind('/') == std::string::npos ? 0 : name.rfind('/') + 1);
  for (const char* ext : {".tar.gz", ".tgz", ".tar", ".zip", ".gz", ".txt", ".log"}) {
    const std::string e = ext;
    if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) {
      name.resize(name.size() - e.size());
      break;
    }
  }
  return name;
}

std::vector<RuleInfo> rules_used(const RuleSet& rules) {
  std::map<std::string, std::string> file_hash;
  for (const RuleSourceFile& f : rules.files()) file_hash[f.name] = sha256_hex(f.text);
  std::vector<RuleInfo> out;
  for (const RuleSummary& r : rules.list()) {
    out.push_back({r.id, r.title, r.severity, r.file, file_hash[r.file]});
  }
  return out;
}

}  // namespace

int run_analyze(const Args& args, const GlobalOptions& global) {
  InputArgs input;
  std::string db_path = "fedtriage.db", format = "text", rules_dir, case_name, color = "auto",
              fail_on;
  bool no_db = false, all_calls = false, failed_only = false;
  po::options_description desc(
      "Usage: fedtriage analyze [options] PATH...\n\n"
      "Read customer log bundles (Expressway diagnostic logs, Skype Edge CLS traces, client\n"
      "UccApiLogs; folders and archives in any mix), correlate every call by Call-ID, explain\n"
      "each failure with the rule set, store calls, events and findings in SQLite, and print\n"
      "a report.\n\nOptions");
  desc.add_options()("help,h", "this help")(
      "db", po::value(&db_path)->value_name("PATH"),
      "SQLite database to write (default fedtriage.db; created when missing)")(
      "no-db", po::bool_switch(&no_db), "do not write a database")(
      "format", po::value(&format)->value_name("text|json"), "report on stdout (default text)")(
      "rules", po::value(&rules_dir)->value_name("DIR"),
      "use the rule files in DIR instead of the built-in rule set")(
      "case", po::value(&case_name)->value_name("NAME"),
      "case name in the database (default: the first PATH's name)")(
      "color", po::value(&color)->value_name("auto|always|never"),
      "colour in the text report (auto: on a terminal, unless NO_COLOR is set)")(
      "no-color", "same as --color never")("all-calls", po::bool_switch(&all_calls),
                                           "text report: list healthy calls too")(
      "failed-only", po::bool_switch(&failed_only), "JSON report: only failed calls")(
      "fail-on", po::value(&fail_on)->value_name("SEVERITY"),
      "exit with status 4 when a finding is at least this severe (info|warning|error|critical)");
  add_input_options(desc, input);
  po::options_description hidden;
  hidden.add_options()("path", po::value(&input.paths));
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("path", -1);
  po::variables_map vm;
  IngestOptions options;
  FindingSeverity fail_level = FindingSeverity::Critical;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
    if (vm.count("help")) {
      std::cout << desc << "\n";
      return kOk;
    }
    if (input.paths.empty()) throw std::invalid_argument("no PATH given (use - for stdin)");
    if (format != "text" && format != "json") throw std::invalid_argument("--format: text or json");
    if (vm.count("no-color")) color = "never";
    if (color != "auto" && color != "always" && color != "never") {
      throw std::invalid_argument("--color: auto, always or never");
    }
    if (!fail_on.empty() && !parse_finding_severity(fail_on, fail_level)) {
      throw std::invalid_argument("--fail-on: info, warning, error or critical");
    }
    options = to_ingest_options(input);
  } catch (const std::exception& e) {
    std::cerr << "fedtriage analyze: " << e.what() << "\n\n" << desc << "\n";
    return kUsage;
  }

  const RuleSet rules = load_rules(rules_dir);
  if (rules.empty()) {
    std::cerr << "fedtriage analyze: no usable rules"
              << (rules_dir.empty() ? "" : " in " + rules_dir) << "\n";
    return kFatal;
  }
  std::unique_ptr<AnalysisStore> store;
  if (!no_db) {
    std::string error;
    store = AnalysisStore::open(db_path, &error);
    if (!store) {
      std::cerr << "fedtriage analyze: cannot use database " << db_path << ": " << error << "\n";
      return kFatal;
    }
  }

  StderrProblemReporter reporter(global);
  Analysis a = analyze(input.paths, options, rules, reporter);
  for (const auto& note : a.notes) reporter.on_problem({Problem::Severity::Note, "clock", 0, note});

  if (store) {
    std::string error;
    const int64_t run = store->begin_run(args, &error);
    WriteOptions w;
    w.run_id = run;
    if (case_name.empty()) case_name = case_name_from(input.paths.front());
    if (!store->write_analysis(case_name, a.inputs, a.events, a.calls, a.findings,
                               rules_used(rules), w, &error)) {
      std::cerr << "fedtriage analyze: writing " << db_path << " failed: " << error << "\n";
      store->finish_run(run, "failed", &error);
      return kFatal;
    }
    store->finish_run(run, "ok", &error);
  }

  if (format == "json") {
    JsonReportOptions j;
    j.failed_only = failed_only;
    std::cout << analysis_to_json(a, j) << "\n";
  } else {
    TextReportOptions t;
    t.all_calls = all_calls;
    t.color = color == "always" ||
              (color == "auto" && isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr);
    std::cout << analysis_to_text(a, t);
    if (store) std::cout << "\nStored in " << db_path << " (case " << case_name << ").\n";
  }
  std::cout << std::flush;

  const int status = input_exit_status(a.inputs, reporter);
  if (status == kFatal) return status;
  if (!fail_on.empty()) {
    for (const Finding& f : a.findings) {
      if (f.severity >= fail_level) return kFindingsAtLevel;
    }
  }
  return status;
}

int run_show(const Args&, const GlobalOptions&) {
  return kUsage;
}

}  // namespace fedtriage::cli
