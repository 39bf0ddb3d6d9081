// A compiled RE2 pattern behind a small interface, so that no RE2 type leaks into headers.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/core/event.h"

namespace fedtriage {

class Regex {
 public:
  // Compiles once; nullopt and `error` set when the pattern is not valid RE2 syntax.
  static std::optional<Regex> compile(std::string_view pattern, std::string* error);

  // Unanchored search. On a match, appends every named capture group that took part to
  // `captures` (when given).
  bool search(std::string_view text, Fields* captures = nullptr) const;

  const std::string& pattern() const;
  std::vector<std::string> group_names() const;  // named capture groups, in group order

 private:
  struct Impl;
  explicit Regex(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;  // shared: rules are copied, the automaton is not
};

}  // namespace fedtriage
