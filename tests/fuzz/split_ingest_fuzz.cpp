// libFuzzer target: one large file on several cores (lib/ingest/split_parse.h) must change
// nothing. The first byte picks a piece size (1 to 256 bytes, so that a few lines make many
// pieces); the rest is one log file, read through ingest whole and in pieces. Every event (its
// full encoding: time, origin and number within its line, SIP message, fields, raw text), the
// input record and the problems must be the same both ways.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "lib/analysis/read.h"
#include "lib/spool/event_codec.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

struct Problems : fedtriage::ProblemSink {
  std::vector<std::string> seen;
  void on_problem(fedtriage::Problem p) override {
    seen.push_back(std::to_string(p.line) + " " + p.message);
  }
};

struct Read {
  std::vector<std::string> events;  // encoded
  uint64_t lines = 0, events_counted = 0;
  std::vector<std::string> problems;
};

Read read(const std::string& path, size_t split_bytes) {
  fedtriage::IngestOptions options;
  options.split_bytes = split_bytes;
  options.hash_inputs = false;
  Problems problems;
  const fedtriage::IngestResult r = fedtriage::read_in_memory({path}, options, problems);
  Read out;
  for (const fedtriage::Event& e : r.events) {
    std::string bytes;
    fedtriage::encode_event(e, bytes);
    out.events.push_back(std::move(bytes));
  }
  check(r.inputs.size() == 1);
  out.lines = r.inputs[0].lines;
  out.events_counted = r.inputs[0].events;
  out.problems = std::move(problems.seen);
  return out;
}

const std::string& scratch_path() {
  static const std::string path = [] {
    const char* tmp = std::getenv("TMPDIR");
    return std::string(tmp && *tmp ? tmp : "/tmp") + "/fedtriage-split-fuzz-" +
           std::to_string(getpid()) + ".log";
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const size_t piece = 1 + data[0];
  const std::string& path = scratch_path();
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  const bool written = std::fwrite(data + 1, 1, size - 1, f) == size - 1;
  std::fclose(f);
  if (!written) return 0;
  const Read whole = read(path, 0);
  const Read split = read(path, piece);
  std::remove(path.c_str());
  check(whole.events == split.events);
  check(whole.lines == split.lines);
  check(whole.events_counted == split.events_counted);
  check(whole.problems == split.problems);
  return 0;
}
