// The small template language of root_cause/fix: {{field}}, and sections shown on a condition:
//   {{#f}}..{{/f}} when f is non-empty, {{^f}}..{{/f}} when it is empty,
//   {{#f=v}}..{{/f}} when f equals v (case-insensitive), {{^f=v}}..{{/f}} when it does not.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lib/core/event.h"

namespace fedtriage {

// Unset fields render as nothing; malformed tags are copied as they are. Runs of spaces
// are folded and spaces before punctuation dropped, so empty sections leave no gaps.
std::string render_template(std::string_view tpl, const Fields& fields);

// Every field name the template refers to, in order. False with `error` set on an unclosed
// section, a stray {{/f}} or an empty tag.
bool template_field_names(std::string_view tpl, std::vector<std::string>* names,
                          std::string* error);

}  // namespace fedtriage
