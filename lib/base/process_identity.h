// Which process this is, as text another process can check later: a run recorded in a shared
// database names its process, and the next run marks it interrupted once that process is gone
// (killed, crashed, machine rebooted) instead of leaving it `running` for ever.
#pragma once

#include <string>
#include <string_view>

namespace fedtriage {

// "HOST PID START": the host name, the process id and its start time in clock ticks after
// boot (a reused pid has another start time).
std::string current_process_identity();

enum class ProcessState {
  Alive,    // this host, that pid, started at that time
  Gone,     // this host, and no such process any more
  Unknown,  // another host, or not an identity: it cannot be told from here
};
ProcessState process_state(std::string_view identity);

}  // namespace fedtriage
