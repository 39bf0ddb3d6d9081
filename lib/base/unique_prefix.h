// A name given by its unique prefix, as `show` and `events` take Call-IDs: the exact name
// wins, else the one name that starts with what was typed; otherwise a message says why not.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fedtriage {

struct PrefixMatch {
  std::string name;                  // the one name meant, "" when none or several
  std::vector<std::string> matches;  // the names starting with the prefix (first-seen order)
};

// `names` may repeat (a Call-ID in several cases); each counts once.
PrefixMatch match_unique_prefix(std::string_view prefix, const std::vector<std::string>& names);

// "3 calls start with ab:\n  ab1\n  ab2\n  ab3" (at most 10 listed), for more than one match.
std::string ambiguous_prefix_message(std::string_view prefix,
                                     const std::vector<std::string>& matches,
                                     std::string_view what_plural);

}  // namespace fedtriage
