// A case holds one bundle: the check every back end makes when a write names the case's origin
// (docs/schema.md, cases.origin).
#pragma once

#include <stdexcept>
#include <string>

namespace fedtriage::store_guard {

// Throws when case `name` already holds another bundle than `wanted` ("" merges on purpose).
inline void check_case_origin(const std::string& name, const std::string& stored,
                              const std::string& wanted) {
  if (wanted.empty() || stored.empty() || stored == wanted) return;
  throw std::runtime_error("case \"" + name + "\" already holds another bundle (" + stored +
                           "), not " + wanted +
                           ": not merging them (name the case with --case to merge on purpose)");
}

}  // namespace fedtriage::store_guard
