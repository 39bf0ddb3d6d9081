// Call plans kept in a temporary file between planning and explaining: on a large read the
// plans' links (each with its reason and file in words) are a large share of memory, and
// they are only needed one call at a time, in plan order.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "lib/correlate/correlator.h"

namespace fedtriage {

class PlanSpool {
 public:
  // An anonymous temporary file in $TMPDIR (lib/base/temp_file.h); in memory when none can
  // be made.
  PlanSpool();
  ~PlanSpool();
  PlanSpool(const PlanSpool&) = delete;
  PlanSpool& operator=(const PlanSpool&) = delete;

  // Appends a plan. False with `*error` when the temporary file cannot be written.
  bool add(const CallPlan& plan, std::string* error);
  // The plans in the order added, one per call, after the last add(). False at the end, or
  // with `*error` set on a read error or a damaged record.
  bool next(CallPlan& plan, std::string* error);

  size_t size() const { return count_; }

 private:
  std::FILE* file_ = nullptr;
  std::vector<std::string> memory_;  // when there is no file
  std::string buffer_;
  size_t count_ = 0, read_ = 0;
  bool reading_ = false;
};

}  // namespace fedtriage
