// Case names that mean one bundle each. A case read from a folder or an archive is identified
// by the bundle's full path (PlannedCase::origin); its name is only what users see and type,
// short and unique: the bundle's base name, qualified by its parent folders when another
// bundle of the same base name is in the batch or already in the database
// ("customerA/input", "customerB/input"). Two bundles never share a case unless the user names
// it (`--case NAME`, origin "").
#pragma once

#include <map>
#include <string>
#include <vector>

#include "lib/batch/case_plan.h"

namespace fedtriage {

// Names `cases` (from their base_name) in place, in order. `stored` maps the database's case names
// to their origins ("" for a case stored before origins were recorded: the first bundle of that
// base name takes it over, as it would have before).
void settle_case_names(std::vector<PlannedCase>& cases,
                       const std::map<std::string, std::string>& stored);

}  // namespace fedtriage
