// Something wrong with the input: reported, skipped, and the run goes on.
#pragma once

#include <cstdint>
#include <string>

namespace fedtriage {

struct Problem {
  enum class Severity : uint8_t {
    Note,     // informational (e.g. a file skipped because it is no known format)
    Warning,  // part of an input could not be used (truncated record, bad line)
    Error,    // a whole input could not be read (permission denied, corrupt archive)
  };
  Severity severity = Severity::Warning;
  std::string file;   // display name, archive members included
  uint64_t line = 0;  // 0 when the problem is not tied to a line
  std::string message;
};

class ProblemSink {
 public:
  virtual ~ProblemSink() = default;
  virtual void on_problem(Problem problem) = 0;
};

const char* to_string(Problem::Severity s);

}  // namespace fedtriage
