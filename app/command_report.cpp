// `fedtriage report --db PATH -o report.html`: one self-contained HTML report from the database.
#include <boost/program_options.hpp>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "app/cli_support.h"
#include "app/command_line.h"
#include "app/db_option.h"
#include "app/exit_status.h"
#include "app/stored_call_lookup.h"
#include "lib/report/html/html_report.h"
#include "lib/report/terminal_text.h"
#include "lib/store/open_store.h"

namespace po = boost::program_options;

namespace fedtriage::cli {

int run_report(const Args& args, const GlobalOptions& global) {
  std::string db_path = default_db(), output, case_name;
  std::vector<std::string> call_ids;
  HtmlReportOptions options;
  po::options_description desc(
      "Usage: fedtriage report [options] -o FILE\n"
      "       fedtriage report --call CALL-ID -o call.html\n\n"
      "Write one self-contained HTML file (no network access, opens in any browser) from the\n"
      "database `fedtriage analyze` wrote: a summary, the calls (filter by status, rule,\n"
      "domain; sort by any column), and per call its SIP ladder (click an arrow for the raw\n"
      "message and the file:line it came from), findings and timeline.\n\nOptions");
  desc.add_options()("help,h", "this help")("db", db_value(&db_path),
                                            db_option_help("to read").c_str())(
      "output,o", po::value(&output)->value_name("FILE"), "the HTML file to write")(
      "case", po::value(&case_name)->value_name("NAME"), "report this case only (default all)")(
      "call", po::value(&call_ids)->value_name("CALL-ID"),
      "report this call only, a page to attach to a ticket (a unique prefix will do; repeat "
      "for several calls of one case)")("title", po::value(&options.title)->value_name("TEXT"),
                                        "page title")(
      "max-calls",
      number_option<uint64_t>(&options.max_calls, "max-calls", 0, uint64_t{1} << 40)
          ->value_name("N"),
      "at most N calls, earliest first (default all)")(
      "full", po::bool_switch(&options.full),
      "embed every call's ladder and messages (default: those of calls that failed or have a "
      "finding; the others are listed only)");
  po::variables_map vm;
  if (auto stop = parse_command_line({"report", &desc}, args, vm, [&] {
        if (output.empty()) throw std::invalid_argument("no output file given (-o FILE)");
      })) {
    return *stop;
  }
  StoreOptions so;
  so.read_only = true;  // a report never writes (works on a read-only copy)
  std::string error;
  auto store = open_store(db_path, so, &error);
  if (!store) {
    std::cerr << "fedtriage report: cannot read database " << terminal_safe(shown_db(db_path))
              << ": " << terminal_safe(error) << default_db_hint(db_path) << "\n";
    return kFatal;
  }
  for (const std::string& id : call_ids) {
    std::string message;
    const std::optional<StoredCall> call = find_call(*store, id, case_name, &message);
    if (!call) {
      std::cerr << "fedtriage report: " << message << "\n";
      return kFatal;
    }
    if (!case_name.empty() && case_name != call->call.case_name) {
      std::cerr << "fedtriage report: the calls given are in different cases ("
                << terminal_safe(case_name) << ", " << terminal_safe(call->call.case_name)
                << "): give --case\n";
      return kFatal;
    }
    case_name = call->call.case_name;
    options.only_calls.push_back(call->call.call_id);
    if (!vm.count("title")) options.title = "fedtriage: call " + call->call.call_id;
  }
  if (!write_html_report(*store, case_name, output, options, &error)) {
    std::cerr << "fedtriage report: " << terminal_safe(error) << "\n";
    return kFatal;
  }
  if (global.verbosity >= 0) std::cerr << "wrote " << terminal_safe(output) << "\n";
  return kOk;
}

}  // namespace fedtriage::cli
