#include "lib/base/temp_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "lib/base/sys_error.h"

namespace fedtriage {

int open_temporary_file(std::string* why) {
  const char* tmpdir = std::getenv("TMPDIR");
  const std::string dir = tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
  // O_TMPFILE: a file with no name at all, so nothing is left behind even when the process is
  // killed between creating and unlinking it. Not every file system has it (EOPNOTSUPP, EISDIR
  // on old kernels): then a named file, unlinked at once.
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  std::string path = dir + "/fedtriage-XXXXXX";
  fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd >= 0) {
    ::unlink(path.c_str());
  } else if (why != nullptr) {
    *why = "cannot create a file in " + dir + " (" + sys_error_message(errno) + ")";
  }
  return fd;
}

}  // namespace fedtriage
