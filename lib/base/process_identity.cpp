#include "lib/base/process_identity.h"

#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>

namespace fedtriage {
namespace {

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

// Field 22 of /proc/PID/stat (start time after boot); "" when there is no such process. The
// command name (field 2) may hold spaces and parentheses: count from the last ')'.
std::string start_time_of(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return "";
  std::istringstream fields(stat.substr(close + 1));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i) {
    if (i == 22) return field;
  }
  return "";
}

}  // namespace

std::string current_process_identity() {
  const long pid = static_cast<long>(::getpid());
  return host_name() + " " + std::to_string(pid) + " " + start_time_of(pid);
}

ProcessState process_state(std::string_view identity) {
  const size_t first = identity.find(' ');
  const size_t second = first == std::string_view::npos ? first : identity.find(' ', first + 1);
  if (second == std::string_view::npos) return ProcessState::Unknown;
  if (identity.substr(0, first) != host_name()) return ProcessState::Unknown;
  long pid = 0;
  const std::string_view pid_text = identity.substr(first + 1, second - first - 1);
  auto [end, ec] = std::from_chars(pid_text.data(), pid_text.data() + pid_text.size(), pid);
  if (ec != std::errc() || end != pid_text.data() + pid_text.size() || pid <= 0) {
    return ProcessState::Unknown;
  }
  const std::string started = start_time_of(pid);
  if (started.empty()) return ProcessState::Gone;
  return started == identity.substr(second + 1) ? ProcessState::Alive : ProcessState::Gone;
}

}  // namespace fedtriage
