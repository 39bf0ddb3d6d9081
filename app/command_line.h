// The one way every subcommand parses its command line: --help, positional arguments, the
// command's own checks, and usage errors that fit a terminal (the error, the usage line and a
// pointer to --help; never the whole option list).
#pragma once

#include <boost/program_options.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace fedtriage::cli {

struct CommandLine {
  const char* command;                                                  // "analyze": for messages
  const boost::program_options::options_description* visible;           // what --help prints
  const boost::program_options::options_description* hidden = nullptr;  // positional targets
  const boost::program_options::positional_options_description* positional = nullptr;
};

// Parses `args` into `vm` and runs `validate` (which throws std::invalid_argument with the
// message for the user). nullopt: go on; else the exit status to return at once (0 after
// --help, 2 after a usage error, printed to stderr).
std::optional<int> parse_command_line(const CommandLine& line, const std::vector<std::string>& args,
                                      boost::program_options::variables_map& vm,
                                      const std::function<void()>& validate = {});

// "fedtriage CMD: what", the usage line of `visible` and "Try 'fedtriage CMD --help'".
void print_usage_error(const char* command,
                       const boost::program_options::options_description& visible,
                       const std::string& what);

}  // namespace fedtriage::cli
