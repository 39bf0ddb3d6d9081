#include "app/command_line.h"

#include <iostream>
#include <sstream>

#include "app/exit_status.h"
#include "lib/report/terminal_text.h"

namespace po = boost::program_options;

namespace fedtriage::cli {

void print_usage_error(const char* command, const po::options_description& visible,
                       const std::string& what) {
  std::cerr << "fedtriage " << command << ": " << terminal_safe(what) << "\n";
  std::ostringstream help;
  help << visible;
  const std::string text = help.str();
  const std::string first = text.substr(0, text.find('\n'));
  if (first.starts_with("Usage:")) std::cerr << first << "\n";
  std::cerr << "Try 'fedtriage " << command << " --help' for the options.\n";
}

std::optional<int> parse_command_line(const CommandLine& line, const std::vector<std::string>& args,
                                      po::variables_map& vm,
                                      const std::function<void()>& validate) {
  try {
    po::options_description all;
    all.add(*line.visible);
    if (line.hidden) all.add(*line.hidden);
    po::command_line_parser parser(args);
    parser.options(all);
    if (line.positional) parser.positional(*line.positional);
    po::store(parser.run(), vm);
    po::notify(vm);
    if (vm.count("help")) {
      std::cout << *line.visible << "\n";
      return kOk;
    }
    if (validate) validate();
  } catch (const std::exception& e) {
    print_usage_error(line.command, *line.visible, e.what());
    return kUsage;
  }
  return std::nullopt;
}

}  // namespace fedtriage::cli
