// Natural order for names people read: runs of digits compare by their value, so "input~2"
// sorts before "input~10" and "case9" before "case10". Otherwise byte-wise.
#pragma once

#include <string_view>

namespace fedtriage {

bool natural_less(std::string_view a, std::string_view b);

}  // namespace fedtriage
