// The input row of events whose input the writer was not told about (a caller that writes
// events without on_inputs): named after the events' file, its format the product's name.
#pragma once

#include <string>

#include "lib/core/event.h"
#include "lib/core/input_record.h"

namespace fedtriage {

inline InputRecord input_placeholder(const Event& e) {
  InputRecord placeholder;
  placeholder.name = e.origin.file;
  placeholder.format = std::string(to_string(e.source));
  return placeholder;
}

}  // namespace fedtriage
