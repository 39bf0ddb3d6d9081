// Expands one byte stream: archives and compressed streams (recognised by content, nested to
// any allowed depth) are opened as streams and each plain file inside goes to the handler.
// Nothing is written to disk.
#pragma once

#include <string>

#include "lib/core/problem.h"
#include "lib/input/byte_source.h"
#include "lib/input/leaf_handler.h"
#include "lib/input/walk_options.h"

namespace fedtriage {

// Separates an archive's display name from a member's name: "outer.tar.gz!/dir/member.txt".
inline constexpr const char* kMemberSeparator = "!/";

// Calls handler.on_leaf for each plain file in source (source itself when it is not an
// archive). Corrupt or truncated data, limits hit and read failures of source become problems
// in problems; whatever was read before an error has already been delivered.
void walk_stream(ByteSource& source, const std::string& display_name, const WalkOptions& options,
                 LeafHandler& handler, ProblemSink& problems);

// Makes a name safe to print: control characters become '?'.
std::string display_safe(std::string_view name);

}  // namespace fedtriage
