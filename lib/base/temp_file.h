// An anonymous temporary file for data that must not stay in memory: in $TMPDIR (else /tmp),
// with no name (or unlinked at once), so nothing is left behind however the process ends.
#pragma once

#include <string>

namespace fedtriage {

// A read-write descriptor (close-on-exec), or -1 with `*why` saying which directory failed
// and why.
int open_temporary_file(std::string* why);

}  // namespace fedtriage
