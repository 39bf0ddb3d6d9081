// Test helper: starts the real fedtriage binary, as golden and end-to-end tests need it.
#pragma once

#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <string>
#include <vector>

namespace fedtriage::testing {

// Starts FEDTRIAGE_BINARY with `args`: stdin from /dev/null, stdout and stderr into the two
// files. Returns the child's pid (wait for it with waitpid / wait4).
inline pid_t start_binary(const std::vector<std::string>& args, const std::string& out_path,
                          const std::string& err_path) {
  const pid_t pid = fork();
  if (pid != 0) return pid;
  const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const int in = open("/dev/null", O_RDONLY);
  if (out < 0 || err < 0 || in < 0) _exit(127);
  dup2(in, 0);
  dup2(out, 1);
  dup2(err, 2);
  std::string binary = FEDTRIAGE_BINARY;
  std::vector<std::string> copy = args;
  std::vector<char*> argv{binary.data()};
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  execv(binary.c_str(), argv.data());
  _exit(127);
}

struct BinaryRun {
  int status = -1;  // exit status, or 128 + signal
  std::string out;
  std::string err;
};

// Runs FEDTRIAGE_BINARY with `args` to the end and returns what it printed.
inline BinaryRun run_binary(const std::vector<std::string>& args) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path();
  const std::string stem = (dir / ("fedtriage-run-" + std::to_string(getpid()) + "-" +
                                   std::to_string(reinterpret_cast<uintptr_t>(&args))))
                               .string();
  const pid_t pid = start_binary(args, stem + ".out", stem + ".err");
  BinaryRun run;
  int status = 0;
  if (waitpid(pid, &status, 0) == pid) {
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  for (auto [path, text] : {std::pair{stem + ".out", &run.out}, {stem + ".err", &run.err}}) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream all;
    all << in.rdbuf();
    *text = all.str();
    std::remove(path.c_str());
  }
  return run;
}

// Runs `command` through /bin/sh, for what needs a shell (another user, working folder or
// environment); stderr goes into `out` after stdout's bytes as they come. `status` is the exit
// status, -1 when the command did not exit.
inline BinaryRun run_shell(const std::string& command) {
  BinaryRun run;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return run;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) run.out.append(buf, n);
  const int status = ::pclose(p);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

}  // namespace fedtriage::testing
