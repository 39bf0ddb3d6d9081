// Runs n jobs on a few threads and hands their results on in job order, as soon as every
// earlier job is done: the output of a parallel batch reads as if it ran sequentially.
#pragma once

#include <cstddef>
#include <functional>

namespace fedtriage {

// `work(i)` runs on one of `threads` worker threads (at least 1), jobs started in index order.
// `done(i)` is called once per job in index order 0, 1, ..., never two at a time, on whichever
// worker finished the job that made i next. `work` must not throw. Returns when all are done.
void run_ordered_jobs(size_t n, unsigned threads, const std::function<void(size_t)>& work,
                      const std::function<void(size_t)>& done);

// Worker threads for --jobs 0: the number of cores (at least 1).
unsigned default_jobs();

}  // namespace fedtriage
