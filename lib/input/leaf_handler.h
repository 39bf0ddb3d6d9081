// Receives every plain (non-archive) file found by a walk.
#pragma once

#include <string>

#include "lib/input/byte_source.h"

namespace fedtriage {

class LeafHandler {
 public:
  virtual ~LeafHandler() = default;
  // display_name: the path as given, with archive members appended after "!/", e.g.
  // "bundle.tar.gz!/logs/a.log" or "bundle.tar.gz!/inner.gz!/inner". The source is valid only
  // during the call; the handler may stop reading early. A read failure (-1) has already been
  // or will be reported as a Problem by the walker: the handler need not report it.
  virtual void on_leaf(const std::string& display_name, ByteSource& source) = 0;
};

}  // namespace fedtriage
