// `fedtriage calls --db PATH`: the stored calls, one line each, newest first, with filters.
#include <boost/program_options.hpp>
#include <iostream>

#include "app/cli_support.h"
#include "app/command_line.h"
#include "app/db_option.h"
#include "app/exit_status.h"
#include "lib/report/call_list.h"
#include "lib/report/report_format.h"
#include "lib/report/terminal_text.h"
#include "lib/store/open_store.h"

namespace po = boost::program_options;

namespace fedtriage::cli {

int run_calls(const Args& args, const GlobalOptions&) {
  std::string db_path = default_db(), case_name, outcome, rule, since, until, format_name = "text";
  ReportFormat format = ReportFormat::Text;
  CallFilter filter;
  po::options_description desc(
      "Usage: fedtriage calls [options]\n\n"
      "List the calls stored by `fedtriage analyze`, newest first, one line each: time (UTC),\n"
      "case, Call-ID, method, final status, from → to and the rules that found something.\n"
      "Pass a Call-ID (or a unique prefix) to `fedtriage show`.\n\nOptions");
  desc.add_options()("help,h", "this help")("db", po::value(&db_path)->value_name("PATH|URL"),
                                            db_option_help("to read").c_str())(
      "case", po::value(&case_name)->value_name("NAME"), "calls of this case only")(
      "outcome", po::value(&outcome)->value_name("failed|normal|ok"),
      "failed: the call failed (as the reports count); normal: ended as designed (486, 603, "
      "487 after CANCEL, a challenge); ok: succeeded")("rule", po::value(&rule)->value_name("ID"),
                                                       "calls with a finding of this rule")(
      "domain", po::value(&filter.domain)->value_name("TEXT"),
      "From, To or request-URI host contains TEXT (any case)")(
      "status", po::value(&filter.status)->value_name("N"),
      "final status N (0: no final response seen)")(
      "since", po::value(&since)->value_name("TIME"),
      "first message at or after TIME (UTC: 2017-03-02, 2017-03-02T07:10[:46[.240]])")(
      "until", po::value(&until)->value_name("TIME"),
      "first message up to TIME, inclusive (a date: the whole day)")(
      "grep", po::value(&filter.grep)->value_name("TEXT"),
      "Call-ID, a URI or the display name contains TEXT (any case)")(
      "limit", po::value(&filter.limit)->value_name("N"), "at most N calls (default all)")(
      "format", po::value(&format_name)->value_name(format_names(ReportKind::CallList)),
      "output format (default text)");
  po::variables_map vm;
  if (auto stop = parse_command_line({"calls", &desc}, args, vm, [&] {
        if (outcome == "failed") {
          filter.outcome = CallOutcome::Failed;
        } else if (outcome == "ok") {
          filter.outcome = CallOutcome::Ok;
        } else if (outcome == "normal") {
          filter.outcome = CallOutcome::Normal;
        } else if (!outcome.empty()) {
          throw std::invalid_argument("--outcome: failed, normal or ok");
        }
        if (vm.count("status") && (filter.status < 0 || filter.status > 999)) {
          throw std::invalid_argument("--status: 0 to 999");
        }
        if (!since.empty()) {
          filter.since_ms = parse_time_bound(since, false);
          if (!filter.since_ms) throw std::invalid_argument("--since: not a UTC date or time");
        }
        if (!until.empty()) {
          filter.until_ms = parse_time_bound(until, true);
          if (!filter.until_ms) throw std::invalid_argument("--until: not a UTC date or time");
        }
        std::string format_error;
        auto parsed = parse_report_format(ReportKind::CallList, format_name, &format_error);
        if (!parsed) throw std::invalid_argument(format_error);
        format = *parsed;
      })) {
    return *stop;
  }

  StoreOptions so;
  so.read_only = true;  // listing never writes (works on a read-only copy)
  std::string error;
  auto store = open_store(db_path, so, &error);
  if (!store) {
    std::cerr << "fedtriage calls: cannot read database " << terminal_safe(shown_db(db_path))
              << ": " << terminal_safe(error) << default_db_hint(db_path) << "\n";
    return kFatal;
  }
  // The store filters what every back end can (case, rule); the rest, the order and the limit
  // are select_calls(), the same for every back end.
  CallQuery query;
  query.case_name = case_name;
  query.rule_id = rule;
  std::vector<CallSummary> calls = store->list_calls(query, &error);
  if (!error.empty()) {
    std::cerr << "fedtriage calls: " << terminal_safe(error) << "\n";
    return kFatal;
  }
  calls = select_calls(std::move(calls), filter);
  std::cout << render_call_list(calls, format) << std::flush;
  return kOk;
}

}  // namespace fedtriage::cli
