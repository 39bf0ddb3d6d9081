// One large file on several cores: the lines of a file are cut into pieces of a few MB at
// points where its format says a parser can start afresh (LogFormatInfo::cut_before); each
// piece gets a parser of its own on a pool thread, and the pieces' events and problems are
// handed on in file order, through the format's stitcher, exactly as one parser reading the
// whole file would have produced them. Streams too (archive members): no random access, and at
// most a few pieces are in memory at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/core/problem.h"
#include "lib/input/line_reader.h"
#include "parsers/log_parser.h"

namespace fedtriage {

// What ingest does with every line before the parser sees it, the same for a whole file and
// for a piece: a line cut at the length limit is reported, lines with NUL bytes are counted
// (the caller reports them once per file).
struct LineChecks {
  size_t max_line_bytes = 0;
  uint64_t nul_lines = 0;
  uint64_t first_nul_line = 0;

  void feed(LogParser& parser, const ParserContext& context, std::string_view line,
            uint64_t line_no, bool truncated);
  void add(const LineChecks& later);  // the counts of the piece after this one
};

// Threads that parse the pieces of split files; one pool serves every file of a read.
class ChunkPool {
 public:
  explicit ChunkPool(size_t threads);
  ~ChunkPool();
  ChunkPool(const ChunkPool&) = delete;
  ChunkPool& operator=(const ChunkPool&) = delete;

  size_t threads() const { return threads_; }
  // `job(t)` on the next free thread; t is that thread's number, for run_on().
  void run(std::function<void(size_t thread)> job);
  // `job` on thread number `thread`, before any job of run(): memory is best freed by the
  // thread that allocated it (glibc's arenas lock when another thread frees into them).
  void run_on(size_t thread, std::function<void()> job);

 private:
  struct State;
  std::unique_ptr<State> state_;
  size_t threads_;
};

// Where a piece's parser puts its events, on the pool thread that parses the piece, until they
// are handed on in file order. parse_split's default keeps them as they are; ingest spools them
// on the piece's thread instead and keeps only their sketches (lib/ingest/ingest.cpp), so that
// a split file's events are encoded in parallel and never held whole in memory.
class PieceEvents : public EventSink {
 public:
  // On the file's thread, in file order: the events this piece got, to `in_order` (the
  // format's stitcher, or else the file's sink), or to wherever they now belong.
  virtual void hand_on(EventSink& in_order) = 0;
};
// Makes the PieceEvents of a piece parsed on pool thread `thread` (ChunkPool::run's number).
using MakePieceEvents = std::function<std::unique_ptr<PieceEvents>(size_t thread)>;

// Reads every line of `reader` (a file of `format`, which has cut_before; head() may have been
// called, next() not) with parsers of that format, in pieces of at least `chunk_bytes` parsed
// on `pool`. Events and problems go to `context` in file order; NUL-byte lines are counted
// into `checks`. UTF-16 input is read by one parser. `make_piece`, when given, makes what each
// piece's events go into (a piece's object is destroyed on the thread that made it).
struct SplitResult {
  size_t pieces = 1;
  uint64_t lines = 0;  // what reader.line_number() would say after reading every line
};
SplitResult parse_split(LineReader& reader, const LogFormatInfo& format,
                        const ParserContext& context, size_t chunk_bytes, ChunkPool& pool,
                        LineChecks& checks, const MakePieceEvents& make_piece = nullptr);

// The piece size of a file split by ingest's own choice (lib/ingest/ingest.cpp): small pieces
// hold little memory and spread the file evenly; 1 MiB measured best on 2 cores.
inline constexpr size_t kDefaultSplitBytes = size_t{1} << 20;

// $FEDTRIAGE_SPLIT_BYTES when set (a piece size: every file of a format that can be split is
// split; 0: none is), else nothing (ingest decides, file by file).
std::optional<size_t> split_bytes_from_environment();

}  // namespace fedtriage
