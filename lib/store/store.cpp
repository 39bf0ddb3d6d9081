#include "lib/store/store.h"

#include <string_view>
#include <unordered_map>
#include <utility>

namespace fedtriage {

Store::~Store() = default;

bool Store::write_analysis(const std::string& case_name, const std::vector<InputRecord>& inputs,
                           const std::vector<Event>& events, const std::vector<Call>& calls,
                           const std::vector<Finding>& findings, const std::vector<RuleInfo>& rules,
                           std::string* error) {
  return write_analysis(case_name, inputs, events, calls, findings, rules, WriteOptions{}, error);
}

bool Store::write_analysis(const std::string& case_name, const std::vector<InputRecord>& inputs,
                           const std::vector<Event>& events, const std::vector<Call>& calls,
                           const std::vector<Finding>& findings, const std::vector<RuleInfo>& rules,
                           WriteOptions options, std::string* error) {
  options.seq_in_write_order = true;
  std::unique_ptr<CaseWriter> writer = begin_case(case_name, rules, options, error);
  if (!writer) return false;
  std::vector<int64_t> ids;
  if (!writer->write_inputs(inputs, error) || !writer->write_events(events, &ids, error)) {
    return false;
  }
  // Findings by call id, in their order; a call id's findings go with its first Call.
  std::unordered_map<std::string_view, std::vector<Finding>> by_call;
  std::vector<std::string_view> without_call;
  for (const Finding& f : findings) {
    auto [it, added] = by_call.try_emplace(f.call_id);
    if (added) without_call.push_back(f.call_id);
    it->second.push_back(f);
  }
  const std::vector<Finding> none;
  for (const Call& c : calls) {
    auto it = by_call.find(c.call_id);
    if (!writer->write_call(c, it == by_call.end() ? none : it->second, ids, error)) return false;
    if (it != by_call.end()) by_call.erase(it);
  }
  for (std::string_view call_id : without_call) {
    auto it = by_call.find(call_id);
    if (it == by_call.end()) continue;  // written with its Call
    if (!writer->write_findings(std::string(call_id), it->second, ids, error)) return false;
  }
  return writer->commit(error);
}

}  // namespace fedtriage
