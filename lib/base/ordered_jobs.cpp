#include "lib/base/ordered_jobs.h"

#include <algorithm>
#include <mutex>
#include <thread>
#include <vector>

namespace fedtriage {

void run_ordered_jobs(size_t n, unsigned threads, const std::function<void(size_t)>& work,
                      const std::function<void(size_t)>& done) {
  std::mutex mu;
  size_t next_job = 0;   // guarded by mu
  size_t next_done = 0;  // guarded by mu
  std::vector<char> finished(n, 0);
  std::mutex done_mu;  // serialises `done` calls; taken before mu is released to keep order
  auto worker = [&] {
    for (;;) {
      size_t i;
      {
        std::lock_guard lock(mu);
        if (next_job >= n) return;
        i = next_job++;
      }
      work(i);
      // Hand on every job now in order. Whoever completes the gap does the handing on; the
      // done lock keeps two workers from calling `done` at once or out of order.
      std::lock_guard hand(done_mu);
      for (;;) {
        size_t ready;
        {
          std::lock_guard lock(mu);
          finished[i] = 1;
          if (next_done >= n || !finished[next_done]) break;
          ready = next_done++;
        }
        done(ready);
      }
    }
  };
  threads =
      std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(std::max<size_t>(n, 1))));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
}

unsigned default_jobs() {
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace fedtriage
