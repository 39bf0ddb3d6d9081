// Puts a streamed analysis into the store: each call is written as soon as it is explained.
// The case's write transaction starts with the inputs (after reading, so that cases analysed
// in parallel read in parallel) and ends with commit().
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "lib/analysis/analysis_sink.h"
#include "lib/store/case_writer.h"
#include "lib/store/open_store.h"

namespace fedtriage {

class StoreSink : public AnalysisSink {
 public:
  StoreSink(Store& store, std::string case_name, std::vector<RuleInfo> rules, WriteOptions options);

  bool on_inputs(const std::vector<InputRecord>& inputs, std::string* error) override;
  // Compresses the call's events' text (CaseWriter::pack_events) on the analysis's
  // explaining thread, while the calls before are written.
  std::unique_ptr<Prepared> prepare_call(const std::vector<Event>& events,
                                         const std::vector<size_t>& positions) override;
  bool on_call(const std::vector<Event>& events, const std::vector<size_t>& positions,
               const Call& call, const std::vector<Finding>& findings, Prepared* prepared,
               std::string* error) override;
  void on_calls_done() override;
  bool on_conversations(const ConversationSet& conversations, std::string* error) override;
  bool on_unattached(const std::vector<Event>& events, std::string* error) override;
  bool commit(std::string* error);

 private:
  Store& store_;
  std::string case_name_;
  std::vector<RuleInfo> rules_;
  WriteOptions options_;
  std::unique_ptr<CaseWriter> writer_;
  // Row ids of events without a Call-ID already written: one tied to several calls is
  // written once.
  std::unordered_map<size_t, int64_t> shared_rows_;
  // The same positions as prepare_call saw them, on the analysis's explaining thread.
  std::unordered_set<size_t> packed_positions_;
  std::vector<int64_t> ids_;
};

}  // namespace fedtriage
