// libFuzzer target: arbitrary bytes through the archive walker (as any archive, compressed
// stream or plain file) and every leaf through the line reader, with small limits.
// Besides not crashing, checks invariants callers rely on.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "lib/input/archive_walker.h"
#include "lib/input/line_reader.h"
#include "lib/input/memory_source.h"

namespace {

constexpr size_t kMaxLine = 64;

void check(bool ok) {
  if (!ok) std::abort();
}

class Lines : public fedtriage::LeafHandler {
 public:
  void on_leaf(const std::string& name, fedtriage::ByteSource& source) override {
    check(!name.empty());
    fedtriage::LineReader reader(source, kMaxLine);
    check(reader.head(16).size() <= 16);
    std::string_view line;
    uint64_t n = 0;
    while (reader.next(line)) {
      check(line.size() <= kMaxLine);
      check(reader.line_number() == ++n);
      check(reader.line_truncated() || line.find('\n') == std::string_view::npos);
    }
  }
};

class Problems : public fedtriage::ProblemSink {
 public:
  void on_problem(fedtriage::Problem p) override {
    check(!p.file.empty());
    check(!p.message.empty());
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  fedtriage::WalkOptions options;
  options.max_nesting = 3;
  options.max_expanded_bytes = 1 << 20;
  Lines lines;
  Problems problems;
  // Whole reads and 7-byte reads: chunk boundaries must not change anything.
  for (size_t chunk : {size_t{0}, size_t{7}}) {
    fedtriage::MemorySource source(bytes, chunk);
    fedtriage::walk_stream(source, "fuzz.bin", options, lines, problems);
  }
  return 0;
}
