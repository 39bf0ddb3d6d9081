#include "app/signals.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <atomic>

#include "lib/base/output_file.h"

namespace fedtriage::cli {
namespace {

std::atomic<const char*> g_message{""};
static_assert(std::atomic<const char*>::is_always_lock_free, "read from a signal handler");

// Only async-signal-safe calls: write(2), unlink(2) and _exit(2).
void on_signal(int sig) {
  remove_pending_output_file();  // a half-written report must not stay behind
  const char* text = g_message.load();
  constexpr const char kPrefix[] = "fedtriage: interrupted: ";
  ssize_t ignored = ::write(STDERR_FILENO, kPrefix, sizeof kPrefix - 1);
  ignored = ::write(STDERR_FILENO, text, strlen(text));
  ignored = ::write(STDERR_FILENO, "\n", 1);
  (void)ignored;
  _exit(128 + sig);
}

sigset_t interrupt_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void install_interrupt_handler(const char* message) {
  set_interrupt_message(message);
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sa.sa_mask = interrupt_signals();  // one handler at a time
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

void set_interrupt_message(const char* message) {
  g_message.store(message);
}

DeferredInterrupts::DeferredInterrupts() {
  const sigset_t set = interrupt_signals();
  sigprocmask(SIG_BLOCK, &set, nullptr);
}

DeferredInterrupts::~DeferredInterrupts() {
  const sigset_t set = interrupt_signals();
  sigprocmask(SIG_UNBLOCK, &set, nullptr);
}

}  // namespace fedtriage::cli
