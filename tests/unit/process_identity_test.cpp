#include "lib/base/process_identity.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

namespace fedtriage {
namespace {

TEST(ProcessIdentity, ThisProcessIsAlive) {
  const std::string me = current_process_identity();
  EXPECT_EQ(process_state(me), ProcessState::Alive) << me;
}

TEST(ProcessIdentity, AnExitedProcessIsGone) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  // The same host and the child's pid: no such process any more (or, were the pid reused
  // meanwhile, another start time).
  std::string me = current_process_identity();
  const size_t first = me.find(' ');
  const std::string host = me.substr(0, first);
  EXPECT_EQ(process_state(host + " " + std::to_string(child) + " 1"), ProcessState::Gone);
}

TEST(ProcessIdentity, ReusedPidOrOtherHostOrGarbage) {
  std::string me = current_process_identity();
  const size_t last = me.rfind(' ');
  EXPECT_EQ(process_state(me.substr(0, last) + " 999999999999"), ProcessState::Gone);
  EXPECT_EQ(process_state("some-other-host.example 1 1"), ProcessState::Unknown);
  EXPECT_EQ(process_state(""), ProcessState::Unknown);
  EXPECT_EQ(process_state("garbage"), ProcessState::Unknown);
  EXPECT_EQ(process_state(me.substr(0, me.find(' ')) + " -5 1"), ProcessState::Unknown);
}

}  // namespace
}  // namespace fedtriage
