// Finds a stored call by the id a user typed (`show`, `report --call`): the exact id, or else
// the one call whose id starts with it (match_unique_prefix, as `events --call-id`).
#pragma once

#include <optional>
#include <string>

#include "lib/store/store_records.h"

namespace fedtriage {
class Store;
}

namespace fedtriage::cli {

// nullopt with `*message` saying why (not found, or which calls the prefix matches), already
// terminal-safe line by line.
std::optional<StoredCall> find_call(Store& store, const std::string& id,
                                    const std::string& case_name, std::string* message);

}  // namespace fedtriage::cli
