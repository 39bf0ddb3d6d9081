#include "lib/batch/case_naming.h"

#include <set>
#include <string_view>

namespace fedtriage {
namespace {

// The folders above a bundle, nearest first: "/srv/tickets/A/input" -> {"A", "tickets", "srv"}.
std::vector<std::string> parent_folders(const std::string& origin) {
  std::vector<std::string> out;
  std::string_view rest = origin;
  if (const size_t slash = rest.rfind('/'); slash != std::string_view::npos) {
    rest = rest.substr(0, slash);
  } else {
    return out;
  }
  while (!rest.empty()) {
    const size_t slash = rest.rfind('/');
    const std::string_view part = slash == std::string_view::npos ? rest : rest.substr(slash + 1);
    if (!part.empty()) out.emplace_back(part);
    if (slash == std::string_view::npos) break;
    rest = rest.substr(0, slash);
  }
  return out;
}

}  // namespace

void settle_case_names(std::vector<PlannedCase>& cases,
                       const std::map<std::string, std::string>& stored) {
  std::map<std::string, std::string> used;  // name -> origin, in this batch
  auto free_for = [&](const std::string& name, const std::string& origin) {
    if (auto it = used.find(name); it != used.end()) return it->second == origin;
    auto it = stored.find(name);
    return it == stored.end() || it->second.empty() || it->second == origin;
  };
  for (PlannedCase& c : cases) {
    const std::string base = c.base_name.empty() ? c.name : c.base_name;
    if (c.origin.empty()) {  // named by the user, or stdin: merges on purpose
      c.name = base;
      used.emplace(c.name, c.origin);
      continue;
    }
    std::string name = base;
    if (!free_for(name, c.origin)) {
      std::string qualified = base;
      bool found = false;
      for (const std::string& folder : parent_folders(c.origin)) {
        qualified = folder + "/" + qualified;
        if (free_for(qualified, c.origin)) {
          name = qualified;
          found = true;
          break;
        }
      }
      for (int n = 2; !found; ++n) {  // the same path under another root, say
        name = base + "~" + std::to_string(n);
        found = free_for(name, c.origin);
      }
    }
    c.name = name;
    used.emplace(name, c.origin);
  }
}

}  // namespace fedtriage
