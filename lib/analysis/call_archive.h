// Explained calls and their findings, kept in call order in a temporary file until the
// reports are written: a large analysis holds counts in memory, not calls.
#pragma once

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "lib/correlate/call.h"
#include "lib/rules/finding.h"

namespace fedtriage {

class CallArchive {
 public:
  // An anonymous temporary file in $TMPDIR (lib/base/temp_file.h); in memory when none can
  // be made.
  CallArchive();
  ~CallArchive();
  CallArchive(const CallArchive&) = delete;
  CallArchive& operator=(const CallArchive&) = delete;

  // Keeps the call (without its index lists: see Call::release_lists) and its findings.
  // False with `*error` when the temporary file cannot be written (disk full).
  bool add(const Call& call, const std::vector<Finding>& findings, std::string* error);

  // The calls in the order added, each with its findings. False with `*error` on a read error.
  bool for_each(const std::function<void(const Call&, const std::vector<Finding>&)>& fn,
                std::string* error = nullptr) const;

  size_t size() const { return count_; }

 private:
  std::FILE* file_ = nullptr;
  std::vector<std::string> memory_;  // when there is no file
  std::string buffer_;
  size_t count_ = 0;
};

}  // namespace fedtriage
