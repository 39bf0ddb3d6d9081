// Call plans kept in a temporary file between planning and explaining: on a large read the
// plans' links (each with its reason and file in words) are a large share of memory, and
// they are only needed one call at a time, in plan order.
#pragma once

#include <string>

#include "lib/base/record_file.h"
#include "lib/correlate/correlator.h"

namespace fedtriage {

class PlanSpool {
 public:
  // Kept in a RecordFile: on disk, or in memory when no temporary file can be made.
  // Appends a plan. False with `*error` when the temporary file cannot be written.
  bool add(const CallPlan& plan, std::string* error);
  // The plans in the order added, one per call, after the last add(). False at the end, or
  // with `*error` set on a read error or a damaged record.
  bool next(CallPlan& plan, std::string* error);

  size_t size() const { return records_.size(); }

 private:
  RecordFile records_;
  std::string buffer_;
};

}  // namespace fedtriage
