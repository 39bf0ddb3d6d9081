// `fedtriage summary` and `fedtriage cases`: what a database of many cases says across them.
#include <boost/program_options.hpp>

#include <iostream>

#include "app/cli_support.h"
#include "app/command_line.h"
#include "app/command_summary.h"
#include "app/db_option.h"
#include "app/exit_status.h"
#include "lib/report/report_format.h"
#include "lib/report/store_report_model.h"
#include "lib/report/summary/cross_case_summary.h"
#include "lib/report/summary/summary_report.h"
#include "lib/store/case_summary.h"
#include "lib/store/open_store.h"

namespace po = boost::program_options;

namespace fedtriage::cli {
namespace {

std::optional<CaseDigest> read_digest(const char* command, const std::string& db_path) {
  std::string error;
  StoreOptions options;
  options.read_only = true;
  std::unique_ptr<Store> store = open_store(db_path, options, &error);
  std::optional<CaseDigest> digest;
  if (store) digest = store_report_model(*store, "")->digest(&error);
  if (!digest) {
    std::cerr << "fedtriage " << command << ": cannot read database " << shown_db(db_path) << ": "
              << error << default_db_hint(db_path) << "\n";
  }
  return digest;
}

}  // namespace

int run_summary(const Args& args, const GlobalOptions&) {
  std::string db_path = default_db(), format_name = "text";
  ReportFormat format = ReportFormat::Text;
  po::options_description desc(
      "Usage: fedtriage summary [--db PATH] [--format text|json|csv]\n\n"
      "Across every case in the database: findings by rule (findings and cases), the domains,\n"
      "FQDNs, certificate names and peers they name (which cases have the same problem), and\n"
      "per case its calls, failed calls and root causes.\n\nOptions");
  desc.add_options()("help,h", "this help")("db", db_value(&db_path),
                                            db_option_help("to read").c_str())(
      "format", po::value(&format_name)->value_name(format_names(ReportKind::Summary)),
      "output format (default text)");
  po::variables_map vm;
  if (auto stop = parse_command_line({"summary", &desc}, args, vm, [&] {
        std::string format_error;
        auto parsed = parse_report_format(ReportKind::Summary, format_name, &format_error);
        if (!parsed) throw std::invalid_argument(format_error);
        format = *parsed;
      })) {
    return *stop;
  }
  const std::optional<CaseDigest> digest = read_digest("summary", db_path);
  if (!digest) return kFatal;
  const CrossCaseSummary s = summarize_cases(*digest);
  std::cout << render_summary(s, format) << std::flush;
  return kOk;
}

int run_cases(const Args& args, const GlobalOptions&) {
  std::string db_path = default_db();
  po::options_description desc(
      "Usage: fedtriage cases [--db PATH]\n\n"
      "List the cases in the database: source files, inputs, calls, failed calls, findings\n"
      "and when each was last analysed (UTC).\n\nOptions");
  desc.add_options()("help,h", "this help")("db", db_value(&db_path),
                                            db_option_help("to read").c_str());
  po::variables_map vm;
  if (auto stop = parse_command_line({"cases", &desc}, args, vm)) return *stop;
  const std::optional<CaseDigest> digest = read_digest("cases", db_path);
  if (!digest) return kFatal;
  std::cout << cases_to_text(digest->cases) << std::flush;
  return kOk;
}

}  // namespace fedtriage::cli
