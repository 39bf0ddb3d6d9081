// Text inside HTML or XML (SVG): the five characters markup gives a meaning to become
// references, so text can never open a tag, end an attribute or start an entity.
#pragma once

#include <string>
#include <string_view>

namespace fedtriage {

std::string escape_markup(std::string_view text);

}  // namespace fedtriage
