// `fedtriage analyze PATH...`: correlate calls, explain failures, store everything in SQLite
// and print a report. Each PATH is a case (or all of them one --case); cases run in parallel
// and content already stored is skipped (lib/batch).
#include <sys/stat.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <map>

#include "app/cli_support.h"
#include "app/command_line.h"
#include "app/db_option.h"
#include "app/exit_status.h"
#include "app/input_options.h"
#include "app/signals.h"
#include "lib/analysis/analyzer.h"
#include "lib/base/ordered_jobs.h"
#include "lib/base/sys_error.h"
#include "lib/batch/batch_runner.h"
#include "lib/ingest/sha256_source.h"
#include "lib/report/analysis_case_view.h"
#include "lib/report/cases_json.h"
#include "lib/report/cases_text.h"
#include "lib/report/html/html_report.h"
#include "lib/report/json_report.h"
#include "lib/report/report_format.h"
#include "lib/report/stored_case_report.h"
#include "lib/report/terminal_text.h"
#include "lib/report/text_report.h"
#include "lib/rules/rule_set.h"
#include "lib/store/open_store.h"

namespace po = boost::program_options;

namespace fedtriage::cli {
namespace {

std::vector<RuleInfo> rules_used(const RuleSet& rules) {
  std::map<std::string, std::string> file_hash;
  for (const RuleSourceFile& f : rules.files()) file_hash[f.name] = sha256_hex(f.text);
  std::vector<RuleInfo> out;
  for (const RuleSummary& r : rules.list()) {
    out.push_back({r.id, r.title, r.severity, r.file, file_hash[r.file]});
  }
  return out;
}

// Everything the batch part of analyze needs from the command line.
struct AnalyzeRequest {
  std::vector<std::string> paths;
  std::string db_path;  // "" with --no-db
  uint64_t db_max_mb = 0;
  ReportFormat format = ReportFormat::Text;
  std::string case_name;
  bool replace = false;
  unsigned jobs = 0;
  bool color = false, all_calls = false, failed_only = false;
  std::optional<FindingSeverity> fail_on;
  IngestOptions ingest;
};

// One line about what was skipped, "" when everything was read.
std::string skip_text(const CaseOutcome& o, const std::string& db_path) {
  const CaseSelection& s = o.selection;
  if (o.state == CaseOutcome::State::AlreadyStored) {
    return "already stored in " + shown_db(db_path) + " (" + std::to_string(s.skipped.size()) +
           " file(s), same content): skipped; --replace reads it again";
  }
  if (s.skipped.empty()) return "";
  return std::to_string(s.sources.size()) + " new file(s) read, " +
         std::to_string(s.skipped.size()) + " already stored";
}

// Prints the cases in PATH order as they finish, and works out the exit status.
class BatchPrinter {
 public:
  BatchPrinter(const AnalyzeRequest& r, const GlobalOptions& g, ProgressDisplay& d, size_t n,
               Store* store)
      : req_(r),
        global_(g),
        display_(d),
        store_(store),
        json_(std::cout, json_options(r), n == 1),
        text_(std::cout, text_options(r), n == 1, r.db_path.empty() ? "" : shown_db(r.db_path)) {}

  void begin() {
    if (req_.format == ReportFormat::Json) json_.begin();
  }

  // Called in PATH order (ordered_jobs), so the order of the calls is the order printed.
  void on_case(size_t, const PlannedCase& c, const CaseOutcome& o) {
    display_.around([&] {
      StderrProblemReporter reporter(global_);
      for (const Problem& p : o.problems) reporter.on_problem(p);
      for (const auto& note : o.notes) {
        reporter.on_problem({Problem::Severity::Note, "clock", 0, note});
      }
      print(c, o);
      if (o.state == CaseOutcome::State::Failed) {
        std::cerr << "fedtriage analyze: case " << terminal_safe(c.name) << ": " << o.error << "\n";
        store_failed_ = true;
      }
      if (o.state != CaseOutcome::State::AlreadyStored) {
        ++analysed_;
        const int status = input_exit_status(o.inputs, reporter);
        if (status == kFatal) ++unreadable_;
        if (status == kPartialInput) partial_ = true;
        if (req_.fail_on && o.worst && *o.worst >= *req_.fail_on) fail_on_hit_ = true;
      } else {
        ++skipped_;
      }
    });
  }

  void end() {
    if (req_.format == ReportFormat::Json) json_.end();
    if (req_.format == ReportFormat::Text) text_.end(analysed_, skipped_);
    std::cout << std::flush;
  }

  int exit_status() const {
    if (store_failed_) return kFatal;
    if (analysed_ > 0 && unreadable_ == analysed_) return kFatal;
    if (fail_on_hit_) return kFindingsAtLevel;
    return partial_ || unreadable_ > 0 ? kPartialInput : kOk;
  }

 private:
  void print(const PlannedCase& c, const CaseOutcome& o) {
    const bool stored = o.state == CaseOutcome::State::AlreadyStored;
    const std::string skipped = skip_text(o, req_.db_path);
    // The reports read the analysis through its case view (lib/report/case_view.h).
    const std::unique_ptr<CaseView> view = o.analysis ? analysis_case_view(*o.analysis) : nullptr;
    if (req_.format == ReportFormat::Json) {
      json_.add({c.name, c.paths, stored, o.selection.sources.size(), o.selection.skipped.size()},
                view.get());
      return;
    }
    std::string stored_report;
    if (stored && store_ != nullptr) {
      // The same command twice answers the same question twice: the stored report.
      std::string error;
      stored_report = stored_case_to_text(*store_, c.name, &error);
      if (stored_report.empty()) {
        std::cerr << "fedtriage analyze: case " << terminal_safe(c.name) << ": " << error << "\n";
      }
    }
    text_.add({c.name, c.paths, skipped, o.state == CaseOutcome::State::Analysed}, stored_report,
              view.get());
  }

  static TextReportOptions text_options(const AnalyzeRequest& req) {
    TextReportOptions t;
    t.all_calls = req.all_calls;
    t.color = req.color;
    return t;
  }

  static JsonReportOptions json_options(const AnalyzeRequest& req) {
    JsonReportOptions j;
    j.failed_only = req.failed_only;
    return j;
  }

  const AnalyzeRequest& req_;
  const GlobalOptions& global_;
  ProgressDisplay& display_;
  Store* store_;  // nullptr without a database
  CasesJsonWriter json_;
  CasesTextWriter text_;
  size_t analysed_ = 0, skipped_ = 0, unreadable_ = 0;
  bool partial_ = false, fail_on_hit_ = false, store_failed_ = false;
};

// Plans the cases, runs them (lib/batch) and prints them in PATH order as they finish.
// `*report_case`: the case a report of this run shows ("" = every case of the database).
int run_batch(const AnalyzeRequest& req, const RuleSet& rules, int64_t run_id,
              const GlobalOptions& global, Store* store, std::string* report_case) {
  BatchSettings settings;
  settings.db_path = req.db_path;
  settings.db_max_bytes = req.db_max_mb << 20;
  settings.replace = req.replace;
  settings.skip_within_case_only = !req.case_name.empty();
  settings.jobs = req.jobs ? req.jobs : default_jobs();
  settings.run_id = run_id;
  settings.rules = rules_used(rules);
  settings.ingest = req.ingest;
  settings.keep_analysis = true;
  BatchRunner runner(plan_cases(req.paths, req.case_name), settings, rules);

  BatchProgress progress(runner.total_files(), runner.total_bytes());
  ProgressDisplay display(STDERR_FILENO, global.verbosity >= 0 && isatty(STDERR_FILENO), progress);
  BatchPrinter printer(req, global, display, runner.cases().size(), store);
  printer.begin();
  display.start();
  std::string error;
  const bool ok = runner.run(
      progress,
      [&](size_t i, const PlannedCase& c, const CaseOutcome& o) { printer.on_case(i, c, o); },
      &error);
  display.stop();
  *report_case = runner.cases().size() == 1 ? runner.cases().front().name : "";
  if (!ok) {
    std::cerr << "fedtriage analyze: cannot use database " << shown_db(req.db_path) << ": " << error
              << "\n";
    return kFatal;
  }
  printer.end();
  return printer.exit_status();
}

}  // namespace

int run_analyze(const Args& args, const GlobalOptions& global) {
  InputArgs input;
  std::string db_path = default_db(), format_name = "text", rules_dir, case_name, color = "auto",
              fail_on;
  bool no_db = false, all_calls = false, failed_only = false, replace = false;
  std::string html_path;
  unsigned jobs = 0;
  po::options_description desc(
      "Usage: fedtriage analyze [options] PATH...\n\n"
      "Read customer log bundles (Expressway diagnostic logs, Skype Edge CLS traces, client\n"
      "UccApiLogs; folders and archives in any mix), correlate every call by Call-ID, explain\n"
      "each failure with the rule set, store calls, events and findings in SQLite, and print\n"
      "a report.\n\n"
      "Each archive or folder PATH is one case, named after it (\"input\", or\n"
      "\"customerB/input\" when another bundle of that name is already a case: two bundles\n"
      "never merge); loose log files given together are one case. Calls are correlated\n"
      "within a case. Files whose content is already in the database are skipped, so running\n"
      "again on a growing set of bundles reads only what is new, and an interrupted run\n"
      "resumes where it stopped.\n\nOptions");
  desc.add_options()("help,h", "this help")(
      "db", db_value(&db_path), db_option_help("to write; created when missing").c_str())(
      "no-db", po::bool_switch(&no_db), "do not write a database")(
      "html", po::value(&html_path)->value_name("FILE"),
      "also write the self-contained HTML report of this run's case(s) to FILE")(
      "format", po::value(&format_name)->value_name(format_names(ReportKind::Analysis)),
      "report on stdout (default text)")(
      "rules", po::value(&rules_dir)->value_name("DIR"),
      "use the rule files in DIR instead of the built-in rule set")(
      "case", po::value(&case_name)->value_name("NAME"),
      "put all PATHs into one case NAME, added to what it holds (default: one case per "
      "bundle, named after it)")(
      "replace", po::bool_switch(&replace),
      "re-read everything and replace what the case(s) held (e.g. --case NAME --replace)")(
      "jobs,j", number_option(&jobs, "jobs", 1u, 1024u)->value_name("N"),
      "analyse N cases at once (default: the number of cores)")(
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
  // Reliability tests: a database size cap makes "disk full" reproducible (see
  // docs/reliability.md). Not for users, hence not in --help.
  uint64_t db_max_mb = 0;
  hidden.add_options()("db-max-mb",
                       number_option<uint64_t>(&db_max_mb, "db-max-mb", 0, kMaxExpandedMb));
  po::positional_options_description pos;
  pos.add("path", -1);
  po::variables_map vm;
  AnalyzeRequest req;
  if (auto stop = parse_command_line({"analyze", &desc, &hidden, &pos}, args, vm, [&] {
        if (input.paths.empty()) throw std::invalid_argument("no PATH given (use - for stdin)");
        std::string format_error;
        auto parsed = parse_report_format(ReportKind::Analysis, format_name, &format_error);
        if (!parsed) throw std::invalid_argument(format_error);
        req.format = *parsed;
        if (vm.count("no-color")) color = "never";
        if (color != "auto" && color != "always" && color != "never") {
          throw std::invalid_argument("--color: auto, always or never");
        }
        FindingSeverity fail_level = FindingSeverity::Critical;
        if (!fail_on.empty() && !parse_finding_severity(fail_on, fail_level)) {
          throw std::invalid_argument("--fail-on: info, warning, error or critical");
        }
        if (!fail_on.empty()) req.fail_on = fail_level;
        if (replace && no_db) throw std::invalid_argument("--replace needs a database");
        if (!html_path.empty() && no_db) throw std::invalid_argument("--html needs a database");
        req.ingest = to_ingest_options(input);
      })) {
    return *stop;
  }
  // A PATH that is not there is reported as such and dropped; with none left nothing was
  // analysed and nothing is claimed about calls.
  bool missing_path = false;
  for (const std::string& path : input.paths) {
    struct stat st;
    if (path != "-" && ::stat(path.c_str(), &st) != 0) {
      std::cerr << "fedtriage analyze: cannot read " << terminal_safe(path) << ": "
                << sys_error_message(errno) << "\n";
      missing_path = true;
    } else {
      req.paths.push_back(path);
    }
  }
  if (req.paths.empty()) return kFatal;
  req.db_path = no_db ? "" : db_path;
  req.db_max_mb = db_max_mb;
  req.case_name = case_name;
  req.replace = replace;
  req.jobs = jobs;
  req.all_calls = all_calls;
  req.failed_only = failed_only;
  req.color = color == "always" ||
              (color == "auto" && isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr);

  const RuleSet rules = load_rules(rules_dir);
  if (rules.empty()) {
    std::cerr << "fedtriage analyze: no usable rules"
              << (rules_dir.empty() ? "" : " in " + rules_dir) << "\n";
    return kFatal;
  }
  std::unique_ptr<Store> store;
  if (!no_db) {
    std::string error;
    StoreOptions store_options;
    store_options.max_bytes = db_max_mb << 20;
    store = open_store(db_path, store_options, &error);
    if (!store) {
      std::cerr << "fedtriage analyze: cannot use database " << shown_db(db_path) << ": " << error
                << "\n";
      return kFatal;
    }
  }

  // Ctrl-C / kill: each case is one transaction, so the database keeps every case committed
  // before and nothing of the one being written; running the same command again resumes.
  install_interrupt_handler(store ? "every case reported so far is stored (each case is all or "
                                    "nothing); run the same command again to resume"
                                  : "nothing was stored");
  std::string error;
  const int64_t run = store ? store->begin_run(args_for_record(args), &error) : 0;
  if (store && run == 0) {  // nothing is stored without its run record
    std::cerr << "fedtriage analyze: " << terminal_safe(error) << "\n";
    return kFatal;
  }
  std::string report_case;
  int status = run_batch(req, rules, run, global, store.get(), &report_case);
  if (missing_path && status == kOk) status = kPartialInput;
  if (store && !store->finish_run(run, status == kFatal ? "failed" : "ok", &error)) {
    std::cerr << "fedtriage analyze: " << terminal_safe(error) << "\n";
    status = kFatal;
  }
  if (!html_path.empty() && status != kFatal) {
    // The report of this run's case (or of every case in the database for a batch).
    if (!write_html_report(*store, report_case, html_path, &error)) {
      std::cerr << "fedtriage analyze: " << terminal_safe(error) << "\n";
      return kFatal;
    }
    if (global.verbosity >= 0)
      std::cerr << "fedtriage: HTML report written to " << terminal_safe(html_path) << "\n";
  }
  return status;
}

}  // namespace fedtriage::cli
