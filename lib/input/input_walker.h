// Turns the command line's inputs (files, directories, "-" for stdin) into leaves: plain files,
// archive members included, each handed to a LeafHandler as a stream.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "lib/core/problem.h"
#include "lib/input/leaf_handler.h"
#include "lib/input/walk_options.h"

namespace fedtriage {

// Display name of standard input, given as "-".
inline constexpr const char* kStdinDisplayName = "<stdin>";

// Walks paths in order. Directories are walked recursively in byte-wise sorted order, following
// symbolic links; a directory or file already visited in this call (by device and inode: a
// symbolic link loop, a "latest" link) is skipped with a Note. Files are expanded by
// walk_stream; each file on disk (and stdin) has its own max_expanded_bytes. Inputs that cannot
// be read become Error problems and the walk goes on. Safe to call from several threads at once.
void walk_inputs(const std::vector<std::string>& paths, const WalkOptions& options,
                 LeafHandler& handler, ProblemSink& problems);

// The same walk in two steps, so that files can be read in parallel: find_inputs() lists the
// files to read (stdin as "-") in walk order through `found`, reporting what cannot be read
// to `problems` as it goes; read_input() then reads one of them as walk_inputs() would.
void find_inputs(const std::vector<std::string>& paths, ProblemSink& problems,
                 const std::function<void(const std::string& path)>& found);
void read_input(const std::string& path, const WalkOptions& options, LeafHandler& handler,
                ProblemSink& problems);

}  // namespace fedtriage
