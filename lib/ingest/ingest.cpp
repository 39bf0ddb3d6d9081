#include "lib/ingest/ingest.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "lib/base/huge_pages.h"
#include "lib/base/release_memory.h"
#include "lib/correlate/clock_alignment.h"
#include "lib/ingest/block_queue.h"
#include "lib/ingest/sha256_source.h"
#include "lib/ingest/sketch_chunks.h"
#include "lib/ingest/split_choice.h"
#include "lib/ingest/split_parse.h"
#include "lib/ingest/spooling_events.h"
#include "lib/input/input_walker.h"
#include "lib/input/line_reader.h"

namespace fedtriage {
namespace {

// Files are read by reader threads (one per core: files, archives, decompression, SHA-256)
// and parsed by worker threads, one leaf per worker at a time: independent files are read and
// parsed in parallel and a single large file is pipelined (read + decompress | parse). Every
// leaf spools its events and keeps their sketches; sketches are concatenated in walk order
// before the stable sort, so the result is exactly what a sequential read gives.
struct Leaf {
  explicit Leaf(BlockPool& pool) : blocks(pool) {}
  InputRecord record;
  std::vector<Problem> walk_problems;  // reported by the walker while this leaf was current
  SketchSet sketches;                  // the strings and files of `events`
  SketchChunks events;                 // sketches of its events, in parser order
  BlockQueue blocks;
  size_t split_bytes = 0;  // its piece size when it is parsed in pieces (split_parse.h), else 0
};

// Serialises the live sink: workers and the walker report concurrently.
class LockedProblems : public ProblemSink {
 public:
  explicit LockedProblems(ProblemSink& live) : live_(live) {}
  void on_problem(Problem p) override {
    std::lock_guard lock(mu_);
    live_.on_problem(std::move(p));
  }

 private:
  ProblemSink& live_;
  std::mutex mu_;
};

// Routes a parser's problems into its leaf's record and on to the live sink.
class RecordingProblems : public ProblemSink {
 public:
  RecordingProblems(InputRecord& record, ProblemSink& live) : record_(record), live_(live) {}
  void on_problem(Problem p) override {
    record_.problems.push_back(p);
    live_.on_problem(std::move(p));
  }

 private:
  InputRecord& record_;
  ProblemSink& live_;
};

// Sniffs and parses one leaf from its block queue. Runs on a worker thread.
// `pool`, when given, parses pieces of a large file of a format that can be split, and spools
// their events with `piece_spools` (one writer per pool thread).
void parse_leaf(Leaf& leaf, const IngestOptions& options, ProblemSink& live,
                EventSpool::Writer& spool, ChunkPool* pool,
                const std::vector<std::unique_ptr<EventSpool::Writer>>& piece_spools) {
  const size_t split_bytes = leaf.split_bytes;
  InputRecord& record = leaf.record;
  const std::string& name = record.name;
  QueueSource source(leaf.blocks);
  LineReader reader(source, options.max_line_bytes);
  const SniffResult sniff = sniff_format(reader.head(options.sniff_bytes), name);
  record.format = std::string(to_string(sniff.format));
  RecordingProblems problems(record, live);
  if (sniff.by_name)
    problems.on_problem({Problem::Severity::Note, name, 0, "read: " + sniff.reason});
  if (sniff.format == LogFormat::Unknown) {
    if (options.on_unparsed) options.on_unparsed(name, reader.head(options.sniff_bytes));
    leaf.blocks.abandon();  // the walker stops reading it
    record.skipped = true;
    record.skip_reason = sniff.reason;
    // SIP messages in a file of no known layout: a product log this build cannot read (another
    // version's layout, a log cut mid-message) must not vanish with a note only.
    const std::string_view head = reader.head(options.sniff_bytes);
    const bool sip_inside = head.find('\0') == std::string_view::npos &&  // a pcap is no log
                            head.find("SIP/2.0") != std::string_view::npos &&
                            head.find("Call-ID") != std::string_view::npos;
    problems.on_problem(
        {sip_inside ? Problem::Severity::Warning : Problem::Severity::Note, name, 0,
         "skipped: " + sniff.reason +
             (sip_inside ? " (it holds SIP messages: a log in a layout fedtriage does not know?)"
                         : "")});
    return;
  }
  SpoolingEvents events(record, leaf.sketches, leaf.events, spool);
  const ParserContext context{name, &events, &problems, options.parser};
  LineChecks checks{options.max_line_bytes};
  const LogFormatInfo* format = find_log_format(sniff.format);
  if (pool != nullptr && split_bytes > 0 && format != nullptr && format->cut_before) {
    const MakePieceEvents spooled_piece = [&](size_t thread) -> std::unique_ptr<PieceEvents> {
      return std::make_unique<SpooledPiece>(events, *piece_spools[thread], format->stitch_marker);
    };
    record.lines =
        parse_split(reader, *format, context, split_bytes, *pool, checks, spooled_piece).lines;
  } else {
    auto parser = make_parser(sniff.format, context);
    std::string_view line;
    while (reader.next(line)) {
      checks.feed(*parser, context, line, reader.line_number(), reader.line_truncated());
    }
    parser->finish();
    record.lines = reader.line_number();
  }
  leaf.events.shrink();  // leaves wait for the merge: hold no slack
  // Reported once per file, at the first such line.
  if (checks.nul_lines > 0) {
    problems.on_problem({Problem::Severity::Warning, name, checks.first_nul_line,
                         "NUL bytes in " + std::to_string(checks.nul_lines) +
                             " line(s) from here (file damaged or zero-filled?): read as text"});
  }
}

class Workers {
 public:
  Workers(size_t n, const IngestOptions& options, ProblemSink& live, EventSpool& spool,
          ChunkPool* pool)
      : options_(options), live_(live), spool_(spool), pool_(pool) {
    if (pool_ != nullptr) {
      for (size_t t = 0; t < pool_->threads(); ++t) piece_spools_.push_back(spool_.writer());
    }
    for (size_t i = 0; i < n; ++i) threads_.emplace_back([this] { loop(); });
  }
  ~Workers() { finish(); }

  void submit(Leaf* leaf) {
    std::lock_guard lock(mu_);
    jobs_.push_back(leaf);
    cv_.notify_one();
  }
  void finish() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
      cv_.notify_all();
    }
    for (auto& t : threads_) t.join();
    threads_.clear();
    // Every piece is handed on (a leaf's parse waits for its pieces): the pool threads no
    // longer write.
    for (auto& w : piece_spools_) w->flush();
  }

 private:
  void loop() {
    const std::unique_ptr<EventSpool::Writer> spool = spool_.writer();
    for (;;) {
      Leaf* leaf = nullptr;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
        if (jobs_.empty()) {
          spool->flush();
          return;
        }
        leaf = jobs_.front();
        jobs_.pop_front();
      }
      parse_leaf(*leaf, options_, live_, *spool, pool_, piece_spools_);
      // Drain what the walker may still push after an early stop.
      ByteBlock b;
      while (leaf->blocks.take_full(b)) {
      }
      leaf->blocks.release();
    }
  }

  const IngestOptions& options_;
  ProblemSink& live_;
  EventSpool& spool_;
  ChunkPool* pool_;
  std::vector<std::unique_ptr<EventSpool::Writer>> piece_spools_;  // one per pool thread
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Leaf*> jobs_;
  bool stop_ = false;
};

// One file found by the walk (or one problem of the walk) and the leaves read from it.
struct InputSlot {
  std::string path;
  std::deque<std::unique_ptr<Leaf>> leaves;
  size_t split_bytes = 0;     // the piece size of its leaves (split_parse.h); 0: not split
  bool split_members = true;  // false: only a leaf that is the file itself (no archive member)
};

// The walker's side: hashes each leaf's bytes and hands them to a worker in blocks.
class IngestHandler : public LeafHandler {
 public:
  IngestHandler(std::deque<std::unique_ptr<Leaf>>& leaves, Workers& workers,
                const IngestOptions& options, BlockPool& blocks, const InputSlot& slot)
      : leaves_(leaves), workers_(workers), options_(options), blocks_(blocks), slot_(slot) {}

  void on_leaf(const std::string& name, ByteSource& source) override {
    leaves_.push_back(std::make_unique<Leaf>(blocks_));
    Leaf& leaf = *leaves_.back();
    leaf.record.name = name;
    if (slot_.split_members || name == slot_.path) leaf.split_bytes = slot_.split_bytes;
    workers_.submit(&leaf);
    const auto known = options_.known_sha256.find(name);
    const bool hash = options_.hash_inputs && known == options_.known_sha256.end();
    Sha256Source hashed(source, hash);
    std::string error;
    for (;;) {
      ByteBlock block = leaf.blocks.take_empty();
      size_t got = 0;
      ssize_t r = 0;
      while (got < block.capacity &&
             (r = hashed.read(block.data() + got, block.capacity - got)) > 0) {
        got += static_cast<size_t>(r);
      }
      block.size = got;
      if (got == 0) {
        leaf.blocks.give_back(std::move(block));
      } else if (!leaf.blocks.put(std::move(block))) {
        break;  // not a known format
      }
      if (r < 0) {
        error = hashed.error().empty() ? "read error" : hashed.error();
        break;
      }
      if (r == 0) break;
    }
    leaf.blocks.close(error);
    leaf.record.bytes = hashed.bytes();
    leaf.record.sha256 = known != options_.known_sha256.end() ? known->second : hashed.hex_digest();
  }

 private:
  std::deque<std::unique_ptr<Leaf>>& leaves_;
  Workers& workers_;
  const IngestOptions& options_;
  BlockPool& blocks_;
  const InputSlot& slot_;
};

// Problems the walker reports about whole files (unreadable, corrupt archive, limits) go to
// the record of that input, or to a new record when the input never became a leaf.
class WalkProblems : public ProblemSink {
 public:
  WalkProblems(ProblemSink& live, std::deque<std::unique_ptr<Leaf>>& leaves, BlockPool& blocks)
      : live_(live), leaves_(leaves), blocks_(blocks) {}
  void on_problem(Problem p) override {
    Leaf* target = nullptr;
    for (auto it = leaves_.rbegin(); it != leaves_.rend(); ++it) {
      if ((*it)->record.name == p.file) {
        target = it->get();
        break;
      }
    }
    if (!target) {
      leaves_.push_back(std::make_unique<Leaf>(blocks_));
      target = leaves_.back().get();
      target->record.name = p.file;
      target->record.format = "unknown";
      target->record.skipped = true;
      target->record.skip_reason = p.message;
      target->blocks.close();
    }
    target->walk_problems.push_back(p);
    live_.on_problem(std::move(p));
  }

 private:
  ProblemSink& live_;
  std::deque<std::unique_ptr<Leaf>>& leaves_;
  BlockPool& blocks_;
};

// Problems of the walk itself (unreadable directories, broken links): each becomes a record
// of its own, where the walk met it.
class FindProblems : public ProblemSink {
 public:
  FindProblems(ProblemSink& live, std::deque<InputSlot>& slots, BlockPool& blocks)
      : live_(live), slots_(slots), blocks_(blocks) {}
  void on_problem(Problem p) override {
    WalkProblems(live_, slots_.emplace_back().leaves, blocks_).on_problem(std::move(p));
  }

 private:
  ProblemSink& live_;
  std::deque<InputSlot>& slots_;
  BlockPool& blocks_;
};

size_t worker_count() {
  const unsigned hw = std::thread::hardware_concurrency();
  return std::clamp<size_t>(hw == 0 ? 2 : hw, 1, 8);
}

}  // namespace

SpooledRead ingest_spooled(const std::vector<std::string>& paths, const IngestOptions& options,
                           ProblemSink& live) {
  SpooledRead result;
  LockedProblems locked(live);
  std::string spool_note;
  result.spool = EventSpool::create(&spool_note, options.spool_detail);
  if (!spool_note.empty()) {
    locked.on_problem(
        {Problem::Severity::Note, "spool", 0, "events kept in memory (" + spool_note + ")"});
  }
  BlockPool blocks;  // outlives the leaves, whose queues hand their blocks back to it
  std::deque<InputSlot> slots;
  {
    // Find every file first (a problem of the walk gets a slot of its own, in walk order),
    // then read the files on several threads: independent files are read, decompressed,
    // hashed and parsed in parallel, and the slots keep the result in walk order.
    FindProblems find_problems(locked, slots, blocks);
    std::vector<InputSlot*> files;
    find_inputs(paths, find_problems, [&](const std::string& path) {
      files.push_back(&slots.emplace_back());
      files.back()->path = path;
    });
    // A large file of a format that can be split is parsed in pieces on these threads too.
    // Sizes as the file system has them (an archive's too: its members count as its bytes, but
    // without a size given only a leaf that is the file itself is split, IngestHandler).
    std::vector<uint64_t> sizes(files.size(), 0);
    for (size_t k = 0; k < files.size(); ++k) {
      std::error_code ec;
      const std::filesystem::path path(files[k]->path);
      if (std::filesystem::is_regular_file(path, ec)) {
        const uint64_t size = std::filesystem::file_size(path, ec);
        sizes[k] = ec ? 0 : size;
      }
    }
    const std::optional<size_t> given =
        options.split_bytes ? options.split_bytes : split_bytes_from_environment();
    const std::vector<size_t> split =
        choose_split_bytes(sizes, given, worker_count(), options.split_when_idle);
    for (size_t k = 0; k < files.size(); ++k) {
      files[k]->split_bytes = split[k];
      files[k]->split_members = given.has_value();
    }
    std::unique_ptr<ChunkPool> pool;
    if (std::any_of(files.begin(), files.end(),
                    [](const InputSlot* f) { return f->split_bytes; })) {
      pool = std::make_unique<ChunkPool>(worker_count());
    }
    Workers workers(worker_count(), options, locked, *result.spool, pool.get());
    std::atomic<size_t> next{0};
    auto read_files = [&] {
      for (size_t k = next++; k < files.size(); k = next++) {
        InputSlot& slot = *files[k];
        IngestHandler handler(slot.leaves, workers, options, blocks, slot);
        WalkProblems walk_problems(locked, slot.leaves, blocks);
        read_input(slot.path, options.walk, handler, walk_problems);
      }
    };
    std::vector<std::thread> readers;
    for (size_t r = 1; r < std::min(worker_count(), files.size()); ++r) {
      readers.emplace_back(read_files);
    }
    read_files();
    for (std::thread& t : readers) t.join();
    workers.finish();
    blocks.clear();  // every block is back: none is needed past here
  }
  // In walk order. A problem the walk found about a file read before it (the same file given
  // twice) goes to that file's record, as when reading during the walk.
  std::deque<std::unique_ptr<Leaf>> leaves;
  std::unordered_map<std::string, Leaf*> by_name;
  for (InputSlot& slot : slots) {
    for (auto& leaf : slot.leaves) {
      auto earlier = slot.path.empty() ? by_name.find(leaf->record.name) : by_name.end();
      if (earlier != by_name.end()) {
        for (Problem& p : leaf->walk_problems) earlier->second->walk_problems.push_back(p);
        continue;
      }
      by_name[leaf->record.name] = leaf.get();
      leaves.push_back(std::move(leaf));
    }
  }
  slots.clear();
  result.spool_error = result.spool->error();
  if (!result.spool_error.empty()) {
    locked.on_problem({Problem::Severity::Error, "spool", 0,
                       "temporary event spool: " + result.spool_error +
                           ": events read after that are missing (free space in $TMPDIR)"});
  }
  size_t total = 0;
  for (const auto& leaf : leaves) total += leaf->events.size();
  result.sketches.events.reserve(total);
  advise_huge_pages(result.sketches.events.data(),
                    result.sketches.events.capacity() * sizeof(EventSketch));
  for (auto& leaf : leaves) {
    for (Problem& p : leaf->walk_problems) leaf->record.problems.push_back(std::move(p));
    // A skipped input is not read to its end (the walker may have hashed a first block before
    // the sniffer said no): it gets no size or hash, as when read sequentially.
    if (leaf->record.skipped) {
      leaf->record.bytes = 0;
      leaf->record.sha256.clear();
    }
    result.inputs.push_back(std::move(leaf->record));
    // Each leaf's blocks are freed as they are copied: the read holds its sketches once.
    const SketchSet::Remap remap = result.sketches.remap_from(leaf->sketches);
    leaf->sketches = SketchSet();
    const uint32_t base = static_cast<uint32_t>(result.sketches.events.size());
    leaf->events.drain(
        [&](const EventSketch& s) { result.sketches.append_remapped(s, remap, base); });
    leaf.reset();
  }
  release_free_memory();  // what the parsers and the leaves' string tables freed
  return result;
}

void SpooledRead::shift_clock(Event& e) const {
  // As put_on_timeline() did to the sketch (clock_alignment.h): the spool has the time parsed.
  if (auto it = clock_shifts.find(e.origin.file); it != clock_shifts.end()) {
    apply_inferred_offset(it->second, e.ts_ms, e.basis);
  }
}

bool SpooledRead::load(size_t i, Event& e, std::string& scratch, std::string* error) const {
  if (!spool_offsets.empty()) {
    if (!spool->load(SpoolRef{spool_offsets[i], spool_sizes[i]}, e, scratch, error)) return false;
    shift_clock(e);
    return true;
  }
  const EventSketch& s = sketches.events[i];
  if (!spool->load(SpoolRef{s.spool_offset, s.spool_size}, e, scratch, error)) return false;
  e.ts_ms = s.ts_ms;
  e.basis = s.basis;
  return true;
}

bool SpooledRead::load_all(const std::vector<size_t>& positions, std::vector<Event>& out,
                           std::string& scratch, std::string* error) const {
  out.resize(positions.size());
  std::vector<Event*> targets;
  targets.reserve(out.size());
  for (Event& e : out) targets.push_back(&e);
  std::vector<SpoolRef> refs;
  refs.reserve(positions.size());
  const bool sketched = spool_offsets.empty();  // the sketches are still held
  for (size_t i : positions) {
    if (sketched && i >= sketches.events.size()) {
      if (error) *error = "temporary spool: no such event";
      return false;
    }
    refs.push_back(sketched
                       ? SpoolRef{sketches.events[i].spool_offset, sketches.events[i].spool_size}
                       : SpoolRef{spool_offsets[i], spool_sizes[i]});
  }
  if (!spool->load_all(refs, targets, scratch, error)) return false;
  for (size_t k = 0; k < out.size(); ++k) {
    if (sketched) {  // the sketch has the time on the timeline, as load() gives
      out[k].ts_ms = sketches.events[positions[k]].ts_ms;
      out[k].basis = sketches.events[positions[k]].basis;
    } else {
      shift_clock(out[k]);
    }
  }
  return true;
}

void SpooledRead::drop_sketches() {
  if (sketches.events.empty()) return;
  sketches.strings = StringTable();
  spool_offsets.reserve(sketches.events.size());
  spool_sizes.reserve(sketches.events.size());
  advise_huge_pages(spool_offsets.data(), spool_offsets.capacity() * sizeof(uint64_t));
  advise_huge_pages(spool_sizes.data(), spool_sizes.capacity() * sizeof(uint32_t));
  for (const EventSketch& s : sketches.events) {
    spool_offsets.push_back(s.spool_offset);
    spool_sizes.push_back(s.spool_size);
  }
  sketches = SketchSet();
}

void SpooledRead::drop_references() {
  std::vector<uint64_t>().swap(spool_offsets);
  std::vector<uint32_t>().swap(spool_sizes);
}

}  // namespace fedtriage
