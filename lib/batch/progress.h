// Progress of a batch run: counters the workers add to, the one-line text shown on a
// terminal, and the display that redraws it in place on stderr.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace fedtriage {

struct ProgressSnapshot {
  uint64_t files_done = 0, files_total = 0;
  uint64_t bytes_done = 0, bytes_total = 0;  // on-disk sizes of the PATHs' files
  uint64_t calls = 0, findings = 0;
  double elapsed_s = 0;
  bool checking = false;  // still hashing files to find what is already stored
  uint64_t files_checked = 0;
};

// "3/40 files  1.2/5.0 MB  3.4 MB/s  57 calls  9 findings  ETA 0:12". The rate counts every
// byte done (skipped content too: hashing it took time); ETA is the bytes left at that rate,
// "ETA ?" until there is a rate. While checking: "checking 12/40 files against the database".
std::string format_progress(const ProgressSnapshot& s);

// Thread-safe counters.
class BatchProgress {
 public:
  BatchProgress(uint64_t files_total, uint64_t bytes_total);
  void add(uint64_t files, uint64_t bytes, uint64_t calls, uint64_t findings);
  void checked(uint64_t files);  // hashing stage: one more file hashed
  void analysing();              // hashing done: the rate and ETA start now
  ProgressSnapshot snapshot() const;

 private:
  mutable std::mutex mu_;
  ProgressSnapshot s_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// Redraws format_progress() on `fd` with "\r" about 10 times a second from its own thread,
// while enabled (a terminal, not -q). Disabled, it writes nothing at all.
class ProgressDisplay {
 public:
  ProgressDisplay(int fd, bool enabled, const BatchProgress& progress);
  ~ProgressDisplay();  // stop()
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

  void start();
  void stop();  // draws the final state once and ends the line
  // Clears the line, runs `print` (messages on the same terminal), then redraws.
  void around(const std::function<void()>& print);

 private:
  void draw_locked();
  void clear_locked();

  int fd_;
  bool enabled_;
  const BatchProgress& progress_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool running_ = false;
  bool drawn_ = false;
  std::thread ticker_;
};

}  // namespace fedtriage
