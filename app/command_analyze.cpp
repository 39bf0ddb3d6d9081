// `fedtriage analyze PATH...`: correlate calls and explain failures.
#include <boost/program_options.hpp>
#include <iostream>

#include "app/cli_support.h"
#include "app/exit_status.h"
#include "app/input_options.h"
#include "lib/correlate/correlator.h"

namespace po = boost::program_options;

namespace fedtriage::cli {

int run_analyze(const Args& args, const GlobalOptions& global) {
  InputArgs input;
  po::options_description desc("Usage: fedtriage analyze [options] PATH...\n\nOptions");
  desc.add_options()("help,h", "this help");
  add_input_options(desc, input);
  po::options_description hidden;
  hidden.add_options()("path", po::value(&input.paths));
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("path", -1);
  po::variables_map vm;
  IngestOptions options;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
    if (vm.count("help")) {
      std::cout << desc << "\n";
      return kOk;
    }
    if (input.paths.empty()) throw std::invalid_argument("no PATH given (use - for stdin)");
    options = to_ingest_options(input);
  } catch (const std::exception& e) {
    std::cerr << "fedtriage analyze: " << e.what() << "\n\n" << desc << "\n";
    return kUsage;
  }
  StderrProblemReporter reporter(global);
  IngestResult result = ingest(input.paths, options, reporter);
  const std::vector<Call> calls = correlate(result.events);
  for (const Call& c : calls) {
    std::cout << c.call_id << " " << c.messages.size() << " message(s), final status "
              << c.final_status << "\n";
  }
  return input_exit_status(result, reporter);
}

int run_show(const Args&, const GlobalOptions&) {
  return kUsage;
}
int run_rules(const Args&, const GlobalOptions&) {
  return kUsage;
}

}  // namespace fedtriage::cli
