#include "lib/batch/store_sink.h"

#include <utility>

#include "lib/batch/source_selection.h"

namespace fedtriage {

StoreSink::StoreSink(Store& store, std::string case_name, std::vector<RuleInfo> rules,
                     WriteOptions options)
    : store_(store),
      case_name_(std::move(case_name)),
      rules_(std::move(rules)),
      options_(std::move(options)) {}

bool StoreSink::on_inputs(const std::vector<InputRecord>& inputs, std::string* error) {
  // The write claims and records its sources by hash: those hashed as they were read get it.
  fill_source_hashes(options_.sources, inputs);
  writer_ = store_.begin_case(case_name_, rules_, options_, error);
  return writer_ && writer_->write_inputs(inputs, error);
}

namespace {

// A call's events to write, their text packed ahead (prepare_call).
struct PackedCall final : AnalysisSink::Prepared {
  std::vector<size_t> fresh_at;  // the events not written with an earlier call
  store_cold::PackedEvents packed;
  bool ok = false;
  std::string error;
};

// The events of a call not written with an earlier one: an event without a Call-ID tied to
// several calls (a TLS failure, say) is written with the first. `written` holds the positions
// of such events handed over before.
template <typename Written>
std::vector<size_t> fresh_events(const std::vector<Event>& events,
                                 const std::vector<size_t>& positions, const Written& written) {
  std::vector<size_t> fresh;
  fresh.reserve(events.size());
  for (size_t k = 0; k < events.size(); ++k) {
    if (events[k].call_id.empty() && written.count(positions[k])) continue;
    fresh.push_back(k);
  }
  return fresh;
}

EventRefs refs(const std::vector<Event>& events, const std::vector<size_t>& at) {
  EventRefs out;
  out.reserve(at.size());
  for (size_t k : at) out.push_back(events[k]);
  return out;
}

}  // namespace

std::unique_ptr<AnalysisSink::Prepared> StoreSink::prepare_call(
    const std::vector<Event>& events, const std::vector<size_t>& positions) {
  auto p = std::make_unique<PackedCall>();
  p->fresh_at = fresh_events(events, positions, packed_positions_);
  for (size_t k = 0; k < events.size(); ++k) {
    if (events[k].call_id.empty()) packed_positions_.insert(positions[k]);
  }
  p->ok = writer_->pack_events(refs(events, p->fresh_at), p->packed, &p->error);
  return p;
}

bool StoreSink::on_call(const std::vector<Event>& events, const std::vector<size_t>& positions,
                        const Call& call, const std::vector<Finding>& findings, Prepared* prepared,
                        std::string* error) {
  auto* packed = dynamic_cast<PackedCall*>(prepared);
  if (packed && !packed->ok) {
    if (error) *error = packed->error;
    return false;
  }
  std::vector<size_t> own_fresh;
  if (!packed) own_fresh = fresh_events(events, positions, shared_rows_);
  const std::vector<size_t>& fresh_at = packed ? packed->fresh_at : own_fresh;
  const EventRefs written = refs(events, fresh_at);
  std::vector<int64_t> written_ids;
  const bool ok =
      packed ? writer_->write_packed_events(written, std::move(packed->packed), &written_ids, error)
             : writer_->write_events(written, &written_ids, error);
  if (!ok) return false;
  if (fresh_at.size() == events.size()) {
    ids_ = std::move(written_ids);
  } else {
    // Some events were written with an earlier call: their rows, then this write's.
    ids_.assign(events.size(), 0);
    for (size_t k = 0; k < events.size(); ++k) {
      if (!events[k].call_id.empty()) continue;
      auto it = shared_rows_.find(positions[k]);
      if (it != shared_rows_.end()) ids_[k] = it->second;
    }
    for (size_t j = 0; j < fresh_at.size(); ++j) ids_[fresh_at[j]] = written_ids[j];
  }
  for (size_t k = 0; k < events.size(); ++k) {
    if (events[k].call_id.empty()) shared_rows_.emplace(positions[k], ids_[k]);
  }
  return writer_->write_call(call, findings, ids_, error);
}

void StoreSink::on_calls_done() {
  // Only calls look events up by position: the tables go before the conversations are linked.
  std::unordered_map<size_t, int64_t>().swap(shared_rows_);
  std::unordered_set<size_t>().swap(packed_positions_);
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
