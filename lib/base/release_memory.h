// Gives freed heap memory back to the system between the phases of a large analysis: the
// allocator keeps what a phase freed (thousands of small strings, per-thread arenas) as free
// lists inside the process, where the next phase's different sizes cannot all reuse it.
#pragma once

namespace fedtriage {

// malloc_trim(0) with glibc; nothing elsewhere. A few milliseconds on a heap of hundreds of MB.
void release_free_memory();

}  // namespace fedtriage
