#include "lib/batch/store_sink.h"

#include <utility>

namespace fedtriage {

StoreSink::StoreSink(Store& store, std::string case_name, std::vector<RuleInfo> rules,
                     WriteOptions options)
    : store_(store),
      case_name_(std::move(case_name)),
      rules_(std::move(rules)),
      options_(std::move(options)) {}

bool StoreSink::on_inputs(const std::vector<InputRecord>& inputs, std::string* error) {
  writer_ = store_.begin_case(case_name_, rules_, options_, error);
  return writer_ && writer_->write_inputs(inputs, error);
}

bool StoreSink::on_call(const std::vector<Event>& events, const std::vector<size_t>& positions,
                        const Call& call, const std::vector<Finding>& findings,
                        std::string* error) {
  bool shared = false;
  for (size_t k = 0; k < events.size() && !shared; ++k) {
    shared = events[k].call_id.empty() && shared_rows_.count(positions[k]);
  }
  ids_.clear();
  if (!shared) {
    if (!writer_->write_events(events, &ids_, error)) return false;
  } else {
    // Rare: some events were written with an earlier call; write the others only.
    std::vector<Event> fresh;
    std::vector<size_t> fresh_at;
    for (size_t k = 0; k < events.size(); ++k) {
      if (events[k].call_id.empty() && shared_rows_.count(positions[k])) continue;
      fresh.push_back(events[k]);
      fresh_at.push_back(k);
    }
    std::vector<int64_t> fresh_ids;
    if (!writer_->write_events(fresh, &fresh_ids, error)) return false;
    ids_.assign(events.size(), 0);
    for (size_t k = 0; k < events.size(); ++k) {
      if (events[k].call_id.empty()) {
        auto it = shared_rows_.find(positions[k]);
        if (it != shared_rows_.end()) ids_[k] = it->second;
      }
    }
    for (size_t j = 0; j < fresh_at.size(); ++j) ids_[fresh_at[j]] = fresh_ids[j];
  }
  for (size_t k = 0; k < events.size(); ++k) {
    if (events[k].call_id.empty()) shared_rows_.emplace(positions[k], ids_[k]);
  }
  return writer_->write_call(call, findings, ids_, error);
}

void StoreSink::on_calls_done() {
  writer_->release_memory();
}

bool StoreSink::on_conversations(const ConversationSet& conversations, std::string* error) {
  return writer_->write_conversations(conversations, error);
}

bool StoreSink::on_unattached(const std::vector<Event>& events, std::string* error) {
  ids_.clear();
  return writer_->write_events(events, &ids_, error);
}

bool StoreSink::commit(std::string* error) {
  if (!writer_ && !on_inputs({}, error)) return false;
  return writer_->commit(error);
}

}  // namespace fedtriage
