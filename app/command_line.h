// The one way every subcommand parses its command line: --help, positional arguments, the
// command's own checks, and usage errors that fit a terminal (the error, the usage line and a
// pointer to --help; never the whole option list).
#pragma once

#include <boost/program_options.hpp>
#include <charconv>
#include <functional>
#include <optional>
#include <sstream>
#include <stdexcept>
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

// A numeric option read strictly (boost's own reading takes "-1" for an unsigned as its largest
// value and wraps): digits only, optionally a fraction for floating point, no sign, within
// [min, max]; anything else is a usage error naming the option. `*target` keeps its default
// when the option is absent.
template <class T>
boost::program_options::typed_value<std::string>* number_option(T* target, const char* name, T min,
                                                                T max) {
  return boost::program_options::value<std::string>()->notifier([=](const std::string& text) {
    T v{};
    const char* end = text.data() + text.size();
    const auto [stop, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || text[0] == '-' || ec != std::errc() || stop != end ||
        !(v >= min && v <= max)) {
      std::ostringstream why;
      why << "--" << name << ": expected a number from " << min << " to " << max << ", got '"
          << text << "'";
      throw std::invalid_argument(why.str());
    }
    *target = v;
  });
}

}  // namespace fedtriage::cli
