// `fedtriage events PATH...`: every normalized event as JSON Lines, in time order.
#include <boost/program_options.hpp>
#include <iostream>

#include "app/cli_support.h"
#include "app/exit_status.h"
#include "app/input_options.h"
#include "lib/output/event_json.h"

namespace po = boost::program_options;

namespace fedtriage::cli {

int run_events(const Args& args, const GlobalOptions& global) {
  InputArgs input;
  bool raw = false;
  std::string call_id;
  po::options_description desc(
      "Usage: fedtriage events [options] PATH...\n\n"
      "Print every normalized event (SIP messages, Edge diagnostics, TLS, DNS, call events)\n"
      "as one JSON object per line, in UTC time order.\n\nOptions");
  desc.add_options()("help,h", "this help")("raw", po::bool_switch(&raw),
                                            "include each record's original text as \"raw\"")(
      "call-id", po::value(&call_id)->value_name("ID"), "only events of this Call-ID");
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
    std::cerr << "fedtriage events: " << e.what() << "\n\n" << desc << "\n";
    return kUsage;
  }

  StderrProblemReporter reporter(global);
  IngestResult result = ingest(input.paths, options, reporter);
  for (const auto& note : result.clock_notes) std::cerr << "fedtriage: note: " << note << "\n";
  EventJsonOptions json_options;
  json_options.include_raw = raw;
  std::string out;
  for (const Event& e : result.events) {
    if (!call_id.empty() && e.call_id != call_id) continue;
    out += event_to_json(e, json_options);
    out += '\n';
    if (out.size() > (1 << 20)) {
      std::cout << out;
      out.clear();
    }
  }
  std::cout << out << std::flush;
  return input_exit_status(result.inputs, reporter);
}

}  // namespace fedtriage::cli
