// Process exit statuses: part of the documented CLI contract (README "Exit status").
#pragma once

namespace fedtriage::cli {

enum ExitStatus : int {
  kOk = 0,               // everything read and analysed
  kFatal = 1,            // nothing could be done (no readable input, database unusable, ...)
  kUsage = 2,            // bad command line
  kPartialInput = 3,     // some input was bad or unreadable: reported, skipped, rest analysed
  kFindingsAtLevel = 4,  // --fail-on: a finding reached the given severity
};

}  // namespace fedtriage::cli
