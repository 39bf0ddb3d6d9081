// libFuzzer target: arbitrary bytes as a rule file. Loads it, checks its samples, and runs the
// rules that loaded over a call made of their own sample events.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "lib/correlate/call.h"
#include "lib/rules/rule_check.h"
#include "lib/rules/rule_engine.h"
#include "lib/rules/rule_model.h"
#include "lib/rules/rule_set.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const fedtriage::RuleSet set = fedtriage::RuleSet::from_text("fuzz.yaml", text);
  for (const fedtriage::RuleLoadError& e : set.errors()) (void)fedtriage::to_string(e);
  (void)set.list();
  (void)fedtriage::check_rules(set);

  std::vector<fedtriage::Event> events;
  fedtriage::Call call;
  // Aliases can give every rule thousands of samples; a real call is not that large.
  constexpr size_t kMaxEvents = 500;
  for (const auto& rule : set.impl().rules) {
    for (const auto& sample : rule.samples) {
      if (events.size() >= kMaxEvents) break;
      call.events.push_back(events.size());
      events.push_back(sample.event);
    }
  }
  call.links.push_back({events.size() + 3, "out of range on purpose"});
  (void)fedtriage::explain_call(set, call, events);
  return 0;
}
