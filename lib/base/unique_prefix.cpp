#include "lib/base/unique_prefix.h"

#include <algorithm>

namespace fedtriage {

PrefixMatch match_unique_prefix(std::string_view prefix, const std::vector<std::string>& names) {
  PrefixMatch out;
  for (const std::string& n : names) {
    if (n == prefix) {
      out.name = n;
      out.matches = {n};
      return out;
    }
    if (!std::string_view(n).starts_with(prefix)) continue;
    if (std::find(out.matches.begin(), out.matches.end(), n) == out.matches.end()) {
      out.matches.push_back(n);
    }
  }
  if (out.matches.size() == 1) out.name = out.matches.front();
  return out;
}

std::string ambiguous_prefix_message(std::string_view prefix,
                                     const std::vector<std::string>& matches,
                                     std::string_view what_plural) {
  std::string out = std::to_string(matches.size()) + " " + std::string(what_plural) +
                    " start with " + std::string(prefix) + ":";
  for (size_t i = 0; i < matches.size() && i < 10; ++i) out += "\n  " + matches[i];
  if (matches.size() > 10) out += "\n  ...";
  return out;
}

}  // namespace fedtriage
