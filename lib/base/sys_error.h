// errno to text without strerror's shared static buffer (walks may run on several threads).
#pragma once

#include <string>

namespace fedtriage {

std::string sys_error_message(int err);

}  // namespace fedtriage
