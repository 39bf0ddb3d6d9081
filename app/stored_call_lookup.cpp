#include "app/stored_call_lookup.h"

#include <vector>

#include "app/cli_support.h"
#include "lib/base/unique_prefix.h"
#include "lib/report/terminal_text.h"
#include "lib/store/store.h"

namespace fedtriage::cli {

std::optional<StoredCall> find_call(Store& store, const std::string& id,
                                    const std::string& case_name, std::string* message) {
  std::string error;
  auto call = store.load_call(id, case_name, &error);
  if (call || !error.empty()) {
    *message = terminal_safe(error);
    return call;
  }
  CallQuery q;
  q.case_name = case_name;
  std::vector<std::string> ids;
  for (const CallSummary& c : store.list_calls(q, &error)) ids.push_back(c.call_id);
  if (!error.empty()) {
    *message = terminal_safe(error);
    return std::nullopt;
  }
  const PrefixMatch match = match_unique_prefix(id, ids);
  if (!match.name.empty()) {
    call = store.load_call(match.name, case_name, &error);
    *message = terminal_safe(error);
    return call;
  }
  if (match.matches.empty()) {
    *message = "no call " + terminal_safe(id) +
               (case_name.empty() ? "" : " in case " + terminal_safe(case_name)) +
               " (list the stored calls with `fedtriage calls`)";
  } else {
    std::vector<std::string> shown;
    for (const std::string& m : match.matches) shown.push_back(terminal_safe(m));
    *message = ambiguous_prefix_message(terminal_safe(id), shown, "calls");
  }
  return std::nullopt;
}

}  // namespace fedtriage::cli
