// Log content on its way to a terminal: never let it act as control or escape sequences.
#pragma once

#include <string>
#include <string_view>

namespace fedtriage {

// Replaces C0/C1 control characters (ESC, BEL, CSI, OSC introducers ...), DEL, and invalid
// UTF-8 bytes with visible escapes (\x1b, \x9b ...). Tabs become one space. Valid UTF-8 text
// passes unchanged.
std::string terminal_safe(std::string_view text);

}  // namespace fedtriage
