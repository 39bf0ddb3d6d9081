// A forward-only stream of bytes: a file, stdin, an archive member or a decompressed stream.
#pragma once

#include <cstddef>
#include <string>
#include <sys/types.h>

namespace fedtriage {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n bytes into buf. Returns the count read, 0 at the end, -1 on failure (then
  // error() says why; bytes read before the failure have already been returned).
  virtual ssize_t read(char* buf, size_t n) = 0;
  virtual const std::string& error() const = 0;
};

}  // namespace fedtriage
