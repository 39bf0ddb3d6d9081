// SIGINT / SIGTERM while a command runs: say what state the database was left in, exit
// 128 + signal number (130 for Ctrl-C). The database itself is safe without any handler
// (one transaction per run, rolled back by SQLite when the process dies): this only makes
// an interruption explicit.
#pragma once

namespace fedtriage::cli {

// Installs the handlers. `message` is printed on interruption (must be a string literal or
// otherwise live to the end of the process); set_interrupt_message changes it as the command
// moves on.
void install_interrupt_handler(const char* message);
void set_interrupt_message(const char* message);

// While alive, SIGINT and SIGTERM wait (they are delivered when it ends): for a step whose
// outcome the interruption message must describe exactly, such as a database commit.
class DeferredInterrupts {
 public:
  DeferredInterrupts();
  ~DeferredInterrupts();
  DeferredInterrupts(const DeferredInterrupts&) = delete;
  DeferredInterrupts& operator=(const DeferredInterrupts&) = delete;
};

}  // namespace fedtriage::cli
