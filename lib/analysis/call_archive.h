// Explained calls and their findings, kept in call order in a temporary file until the
// reports are written: a large analysis holds counts in memory, not calls.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "lib/base/record_file.h"
#include "lib/correlate/call.h"
#include "lib/rules/finding.h"

namespace fedtriage {

class CallArchive {
 public:
  // Kept in a RecordFile: on disk, or in memory when no temporary file can be made.

  // Keeps the call (without its index lists: see Call::release_lists) and its findings.
  // False with `*error` when the temporary file cannot be written (disk full).
  bool add(const Call& call, const std::vector<Finding>& findings, std::string* error);

  // The calls in the order added, each with its findings. False with `*error` on a read error.
  bool for_each(const std::function<void(const Call&, const std::vector<Finding>&)>& fn,
                std::string* error = nullptr) const;

  size_t size() const { return records_.size(); }

 private:
  RecordFile records_;
  std::string buffer_;
};

}  // namespace fedtriage
