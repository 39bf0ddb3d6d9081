#include "lib/batch/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace fedtriage {
namespace {

std::string mb(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(bytes) / 1e6);
  return buf;
}

void write_all(int fd, const std::string& text) {
  size_t off = 0;
  while (off < text.size()) {
    const ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n <= 0) return;  // a closed terminal: progress is best effort
    off += static_cast<size_t>(n);
  }
}

size_t terminal_columns(int fd) {
  struct winsize ws {};
  if (::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

}  // namespace

std::string format_progress(const ProgressSnapshot& s) {
  if (s.checking) {
    return "checking " + std::to_string(s.files_checked) + "/" + std::to_string(s.files_total) +
           " files against the database";
  }
  std::string out = std::to_string(s.files_done) + "/" + std::to_string(s.files_total) +
                    " files  " + mb(s.bytes_done) + "/" + mb(s.bytes_total) + " MB  ";
  const double rate = s.elapsed_s > 0 ? static_cast<double>(s.bytes_done) / s.elapsed_s : 0;
  out += mb(static_cast<uint64_t>(rate)) + " MB/s  " + std::to_string(s.calls) + " calls  " +
         std::to_string(s.findings) + " findings  ETA ";
  if (s.bytes_done >= s.bytes_total && s.files_done >= s.files_total) {
    out += "0:00";
  } else if (rate <= 0) {
    out += "?";
  } else {
    const uint64_t left = static_cast<uint64_t>(
        static_cast<double>(s.bytes_total - std::min(s.bytes_done, s.bytes_total)) / rate + 0.5);
    char buf[32];
    if (left >= 3600) {
      std::snprintf(buf, sizeof buf, "%llu:%02llu:%02llu",
                    static_cast<unsigned long long>(left / 3600),
                    static_cast<unsigned long long>(left / 60 % 60),
                    static_cast<unsigned long long>(left % 60));
    } else {
      std::snprintf(buf, sizeof buf, "%llu:%02llu", static_cast<unsigned long long>(left / 60),
                    static_cast<unsigned long long>(left % 60));
    }
    out += buf;
  }
  return out;
}

BatchProgress::BatchProgress(uint64_t files_total, uint64_t bytes_total) {
  s_.files_total = files_total;
  s_.bytes_total = bytes_total;
}

void BatchProgress::add(uint64_t files, uint64_t bytes, uint64_t calls, uint64_t findings) {
  std::lock_guard lock(mu_);
  s_.files_done += files;
  s_.bytes_done += bytes;
  s_.calls += calls;
  s_.findings += findings;
}

void BatchProgress::checked(uint64_t files) {
  std::lock_guard lock(mu_);
  s_.checking = true;
  s_.files_checked += files;
}

void BatchProgress::analysing() {
  std::lock_guard lock(mu_);
  s_.checking = false;
  start_ = std::chrono::steady_clock::now();
}

ProgressSnapshot BatchProgress::snapshot() const {
  std::lock_guard lock(mu_);
  ProgressSnapshot s = s_;
  s.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  return s;
}

ProgressDisplay::ProgressDisplay(int fd, bool enabled, const BatchProgress& progress)
    : fd_(fd), enabled_(enabled), progress_(progress) {}

ProgressDisplay::~ProgressDisplay() {
  stop();
}

void ProgressDisplay::start() {
  if (!enabled_) return;
  std::lock_guard lock(mu_);
  if (running_) return;
  running_ = true;
  ticker_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (running_) {
      draw_locked();
      cv_.wait_for(lock, std::chrono::milliseconds(100));
    }
  });
}

void ProgressDisplay::stop() {
  {
    std::lock_guard lock(mu_);
    if (!running_) return;
    running_ = false;
  }
  cv_.notify_all();
  ticker_.join();
  std::lock_guard lock(mu_);
  draw_locked();
  write_all(fd_, "\n");
  drawn_ = false;
}

void ProgressDisplay::around(const std::function<void()>& print) {
  std::lock_guard lock(mu_);
  if (drawn_) clear_locked();
  print();
  if (running_) draw_locked();
}

void ProgressDisplay::draw_locked() {
  std::string line = format_progress(progress_.snapshot());
  const size_t columns = terminal_columns(fd_);
  if (line.size() >= columns) line.resize(columns - 1);  // a wrapped line would not redraw
  write_all(fd_, "\r" + line + "\033[K");
  drawn_ = true;
}

void ProgressDisplay::clear_locked() {
  write_all(fd_, "\r\033[K");
  drawn_ = false;
}

}  // namespace fedtriage
