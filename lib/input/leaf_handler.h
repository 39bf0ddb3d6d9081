// Receives every plain (non-archive) file found by a walk.
#pragma once

#include <string>
#include <vector>

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

  // Optional, for handlers that rebuild the layout (redaction): an archive or compressed
  // stream named display_name is being expanded; its members (leaves and nested archives,
  // named display_name + "!/" + member) come next, then on_archive_end. `filters` are the
  // libarchive filter codes from the one nearest the format outwards, `format` the libarchive
  // format code (ARCHIVE_FORMAT_RAW for a lone compressed stream).
  virtual void on_archive_begin(const std::string& display_name, const std::vector<int>& filters,
                                int format) {
    (void)display_name;
    (void)filters;
    (void)format;
  }
  virtual void on_archive_end(const std::string& display_name) { (void)display_name; }
};

}  // namespace fedtriage
