#include "lib/base/sys_error.h"

#include <string.h>

namespace fedtriage {

std::string sys_error_message(int err) {
  char buf[256];
  // g++ defines _GNU_SOURCE, so this is the GNU strerror_r that returns the text.
  const char* text = strerror_r(err, buf, sizeof buf);
  return text != nullptr ? std::string(text) : "error " + std::to_string(err);
}

}  // namespace fedtriage
