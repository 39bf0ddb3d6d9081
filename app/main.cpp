// fedtriage: find out why calls between Cisco Expressway and Microsoft Lync / Skype for
// Business fail. This file only dispatches to the subcommands.
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <functional>

#include <iostream>
#include <string>
#include <vector>

#include "app/cli_support.h"
#include "app/command_summary.h"
#include "app/exit_status.h"
#include "lib/base/output_file.h"
#include "lib/report/terminal_text.h"

namespace {

constexpr const char* kMainUsage =
    "Usage: fedtriage [-v|-q] <command> [options] [PATH...]\n"
    "\n"
    "Find out why calls between Cisco Expressway and Microsoft Lync / Skype for Business\n"
    "fail, from Expressway diagnostic logs, Skype Edge (CLS) traces and client UccApiLogs.\n"
    "PATH may be files, folders, .gz/.tar/.tar.gz/.zip bundles (nested too), or - for stdin.\n"
    "\n"
    "Commands:\n"
    "  analyze PATH...      correlate calls, explain failures, store them in SQLite (or\n"
    "                       PostgreSQL: --db postgresql://...)\n"
    "  events PATH...       print every normalized event as JSON Lines, in time order\n"
    "  calls                list the stored calls, newest first, with filters\n"
    "  show CALL-ID         print one call's timeline from the database\n"
    "  report -o FILE       write a self-contained HTML report from the database\n"
    "  rules list|check     list the rule set, or check every rule against its samples\n"
    "  check DOMAIN...      preflight: federation SRV record and certificates, before calls fail\n"
    "  summary              across cases: findings by rule, domains/FQDNs, per-case causes\n"
    "  cases                list the cases in the database\n"
    "  redact INPUT... -o DIR  a shareable copy: names, addresses, secrets pseudonymised\n"
    "  db init|status       create or check the database schema (SQLite or PostgreSQL)\n"
    "\n"
    "Global options:\n"
    "  -h, --help           this help (and `fedtriage <command> --help`)\n"
    "  --version            print the version\n"
    "  -v, --verbose        more messages on stderr (-vv for debug)\n"
    "  -q, --quiet          errors only on stderr\n"
    "\n"
    "Every command that uses the database takes --db PATH|URL, by default $FEDTRIAGE_DB,\n"
    "else fedtriage.db.\n"
    "\n"
    "Exit status: 0 ok, 1 fatal error, 2 usage error, 3 some input was bad (reported,\n"
    "skipped, the rest analysed), 4 a finding reached --fail-on's severity.\n";

constexpr const char* kCommands[] = {"analyze", "events", "calls", "show",   "report", "rules",
                                     "summary", "cases",  "check", "redact", "db"};

// Levenshtein distance, for "did you mean" (command names are short).
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// The command `typed` most likely meant (at most 2 edits away, e.g. "analyse"), or nullptr.
const char* closest_command(const std::string& typed) {
  const char* best = nullptr;
  size_t best_distance = 3;
  for (const char* c : kCommands) {
    const size_t d = edit_distance(typed, c);
    if (d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

// -v, -vv, -q (and long forms): true when `a` was one of them.
bool take_verbosity(const std::string& a, fedtriage::cli::GlobalOptions& global) {
  if (a == "-v" || a == "--verbose") {
    ++global.verbosity;
  } else if (a == "-vv") {
    global.verbosity += 2;
  } else if (a == "-q" || a == "--quiet") {
    global.verbosity = -1;
  } else {
    return false;
  }
  return true;
}

int run_command(const std::string& command, const fedtriage::cli::Args& rest,
                const fedtriage::cli::GlobalOptions& global) {
  using namespace fedtriage::cli;
  try {
    if (command == "events") return run_events(rest, global);
    if (command == "analyze") return run_analyze(rest, global);
    if (command == "calls") return run_calls(rest, global);
    if (command == "show") return run_show(rest, global);
    if (command == "report") return run_report(rest, global);
    if (command == "rules") return run_rules(rest, global);
    if (command == "check") return run_check(rest, global);
    if (command == "summary") return run_summary(rest, global);
    if (command == "cases") return run_cases(rest, global);
    if (command == "redact") return run_redact(rest, global);
    if (command == "db") return run_db(rest, global);
  } catch (const std::exception& e) {
    std::cerr << "fedtriage: error: " << e.what() << "\n";
    return kFatal;
  }
  return kUsage;
}

// Every byte a command prints on standard output goes through one checked writer: a failed
// write (a full disk, a closed pipe's EIO) is an error naming the output and exit status 1,
// never a silent loss. The first error also stops further output at once.
int checked_stdout(const std::string& command, const std::function<int()>& run) {
  using fedtriage::cli::kFatal;
  fedtriage::OutputFile out;
  std::string why;
  if (!out.open("-", &why)) {
    std::cerr << "fedtriage " << command << ": " << why << "\n";
    return kFatal;
  }
  std::streambuf* const old = std::cout.rdbuf(out.stream().rdbuf());
  if (isatty(STDOUT_FILENO)) std::cout << std::unitbuf;  // a terminal sees lines as they come
  int status = run();
  std::cout.flush();
  std::cout.rdbuf(old);
  if (!out.commit(&why)) {
    std::cerr << "fedtriage " << command << ": " << why << "\n";
    status = kFatal;
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace fedtriage::cli;
  // Parsing runs on several threads: capped arenas keep glibc from holding freed memory per
  // thread, and large buffers (blocks, sketch lists) go to mmap so that freeing them returns
  // memory at once. Measured on a 4 GB bundle: peak RSS 194 MB -> 181 MB.
  mallopt(M_ARENA_MAX, 2);
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  GlobalOptions global;
  int i = 1;
  for (; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::cout << kMainUsage;
      return kOk;
    }
    if (a == "--version") {
      std::cout << "fedtriage " << FEDTRIAGE_VERSION << "\n";
      return kOk;
    }
    if (!take_verbosity(a, global)) break;
  }
  if (i >= argc) {
    std::cerr << kMainUsage;
    return ExitStatus::kUsage;
  }
  const std::string command = argv[i];
  Args args(argv + i + 1, argv + argc);
  // -v / -q are also accepted after the command name.
  Args rest;
  for (const auto& a : args) {
    if (!take_verbosity(a, global)) rest.push_back(a);
  }
  setup_logging(global);
  if (std::find(std::begin(kCommands), std::end(kCommands), command) != std::end(kCommands)) {
    return checked_stdout(command, [&] { return run_command(command, rest, global); });
  }
  std::cerr << "fedtriage: unknown command '" << fedtriage::terminal_safe(command) << "'";
  if (const char* near = closest_command(command)) std::cerr << "; did you mean '" << near << "'?";
  std::cerr << "\nTry 'fedtriage --help' for the commands.\n";
  return ExitStatus::kUsage;
}
