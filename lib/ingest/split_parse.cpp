#include "lib/ingest/split_parse.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace fedtriage {

void LineChecks::feed(LogParser& parser, const ParserContext& context, std::string_view line,
                      uint64_t line_no, bool truncated) {
  if (truncated) {
    report_problem(
        context, line_no,
        "line longer than " + std::to_string(max_line_bytes) + " bytes: only its start was read");
  }
  // NUL bytes never occur in these text logs: a file partly zero-filled (a crash while
  // writing) or overwritten.
  if (!line.empty() && std::memchr(line.data(), '\0', line.size()) != nullptr && nul_lines++ == 0) {
    first_nul_line = line_no;
  }
  parser.feed(line, line_no);
}

void LineChecks::add(const LineChecks& later) {
  if (nul_lines == 0) first_nul_line = later.first_nul_line;
  nul_lines += later.nul_lines;
}

struct ChunkPool::State {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::function<void(size_t)>> jobs;
  std::vector<std::deque<std::function<void()>>> own;  // per thread, first
  bool stop = false;
  std::vector<std::thread> threads;
};

ChunkPool::ChunkPool(size_t threads)
    : state_(std::make_unique<State>()), threads_(std::max<size_t>(threads, 1)) {
  state_->own.resize(threads_);
  for (size_t i = 0; i < threads_; ++i) {
    state_->threads.emplace_back([s = state_.get(), i] {
      for (;;) {
        std::function<void(size_t)> job;
        std::function<void()> own;
        {
          std::unique_lock lock(s->mu);
          s->cv.wait(lock, [&] { return s->stop || !s->jobs.empty() || !s->own[i].empty(); });
          if (!s->own[i].empty()) {
            own = std::move(s->own[i].front());
            s->own[i].pop_front();
          } else if (!s->jobs.empty()) {
            job = std::move(s->jobs.front());
            s->jobs.pop_front();
          } else {
            return;
          }
        }
        if (own) {
          own();
        } else {
          job(i);
        }
      }
    });
  }
}

ChunkPool::~ChunkPool() {
  {
    std::lock_guard lock(state_->mu);
    state_->stop = true;
  }
  state_->cv.notify_all();
  for (std::thread& t : state_->threads) t.join();
}

void ChunkPool::run(std::function<void(size_t)> job) {
  {
    std::lock_guard lock(state_->mu);
    state_->jobs.push_back(std::move(job));
  }
  state_->cv.notify_one();
}

void ChunkPool::run_on(size_t thread, std::function<void()> job) {
  {
    std::lock_guard lock(state_->mu);
    state_->own[thread].push_back(std::move(job));
  }
  state_->cv.notify_all();
}

std::optional<size_t> split_bytes_from_environment() {
  const char* v = std::getenv("FEDTRIAGE_SPLIT_BYTES");
  if (v == nullptr || *v == '\0') return std::nullopt;
  char* end = nullptr;
  const unsigned long long n = std::strtoull(v, &end, 10);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return static_cast<size_t>(n);
}

namespace {

// Bytes read ahead: a growable buffer that is not zero-filled (std::string::resize would be).
struct Buffer {
  std::unique_ptr<char[]> data;
  size_t size = 0;
  size_t capacity = 0;
  void reserve(size_t n) {
    if (n <= capacity) return;
    const size_t grown = std::max(n, capacity * 2);
    auto bigger = std::make_unique_for_overwrite<char[]>(grown);
    if (size > 0) std::memcpy(bigger.get(), data.get(), size);
    data = std::move(bigger);
    capacity = grown;
  }
};

// A piece of a file: whole lines and, once parsed, what its parser said.
struct Chunk {
  uint64_t first_line = 0;
  Buffer text;
  std::unique_ptr<PieceEvents> events;
  std::vector<Problem> problems;
  LineChecks checks;
  uint64_t lines = 0;
  size_t parsed_by = 0;  // the pool thread, which also frees the events
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
};

// Events per piece so far, for reserving: a growing vector of events showed in the profile.
std::atomic<size_t> events_hint{0};

// The default: a piece's events kept as they are.
class KeptEvents : public PieceEvents {
 public:
  KeptEvents() { events_.reserve(events_hint.load(std::memory_order_relaxed) * 5 / 4 + 16); }
  ~KeptEvents() override {
    events_hint.store(std::max(events_hint.load(std::memory_order_relaxed), events_.size()),
                      std::memory_order_relaxed);
  }
  void on_event(Event&& e) override { events_.push_back(std::move(e)); }
  void hand_on(EventSink& in_order) override {
    for (Event& e : events_) in_order.on_event(std::move(e));
  }

 private:
  std::vector<Event> events_;
};

class VectorProblems : public ProblemSink {
 public:
  explicit VectorProblems(std::vector<Problem>& out) : out_(out) {}
  void on_problem(Problem p) override { out_.push_back(std::move(p)); }

 private:
  std::vector<Problem>& out_;
};

// Bytes already read, then the rest of the input.
class ThenRest : public ByteSource {
 public:
  ThenRest(std::string_view first, LineReader& rest) : first_(first), rest_(rest) {}
  ssize_t read(char* buf, size_t n) override {
    if (!first_.empty()) {
      const size_t k = std::min(n, first_.size());
      std::memcpy(buf, first_.data(), k);
      first_.remove_prefix(k);
      return static_cast<ssize_t>(k);
    }
    return rest_.read_rest(buf, n);
  }
  const std::string& error() const override { return rest_.error(); }

 private:
  std::string_view first_;
  LineReader& rest_;
};

// Feeds the lines of `source` (a piece's bytes, starting at line `first_line`) to `parser`,
// split as the file's own LineReader would; returns how many.
uint64_t feed_lines(ByteSource& source, uint64_t first_line, LogParser& parser,
                    const ParserContext& context, LineChecks& checks) {
  LineReader reader(source, checks.max_line_bytes, /*detect_bom=*/false);
  std::string_view line;
  while (reader.next(line)) {
    checks.feed(parser, context, line, first_line - 1 + reader.line_number(),
                reader.line_truncated());
  }
  return reader.line_number();
}

// The lines of a piece's bytes as LineReader splits UTF-8 text (no byte order mark at a cut):
// at '\n', one '\r' before it dropped, a line longer than the limit cut there (and
// reported); a last line without '\n' counts. Without copying the bytes again.
uint64_t feed_buffer(const Buffer& b, uint64_t first_line, LogParser& parser,
                     const ParserContext& context, LineChecks& checks) {
  const char* p = b.data.get();
  const char* const end = p + b.size;
  uint64_t line_no = first_line;
  while (p < end) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    const char* stop = nl ? nl : end;
    size_t len = static_cast<size_t>(stop - p);
    if (len > 0 && p[len - 1] == '\r') --len;
    const bool truncated = len > checks.max_line_bytes;
    checks.feed(parser, context, std::string_view(p, truncated ? checks.max_line_bytes : len),
                line_no, truncated);
    ++line_no;
    if (!nl) break;
    p = nl + 1;
  }
  return line_no - first_line;
}

void parse_chunk(Chunk& c, const LogFormatInfo& format, ParserContext context,
                 size_t max_line_bytes, size_t thread, const MakePieceEvents& make_piece) {
  c.parsed_by = thread;
  c.events = make_piece ? make_piece(thread) : std::make_unique<KeptEvents>();
  VectorProblems problems(c.problems);
  context.events = c.events.get();
  context.problems = &problems;
  context.chunk = true;
  c.checks.max_line_bytes = max_line_bytes;
  std::unique_ptr<LogParser> parser = format.make(context);
  c.lines = feed_buffer(c.text, c.first_line, *parser, context, c.checks);
  parser->finish();
  std::lock_guard lock(c.mu);
  c.done = true;
  c.cv.notify_one();
}

// '\n' bytes in [p, p + n): once per piece, over the whole file. Counted in byte-wide lanes
// (at most 255 per lane between sums), which the compiler vectorizes; std::count widened every
// byte to a 64-bit counter and was 7 % of a split read.
uint64_t count_newlines(const char* p, size_t n) {
  constexpr size_t kLanes = 32;
  uint64_t total = 0;
  while (n >= kLanes) {
    const size_t steps = std::min<size_t>(n / kLanes, 255);
    uint8_t lanes[kLanes] = {};
    for (size_t s = 0; s < steps; ++s, p += kLanes) {
      for (size_t j = 0; j < kLanes; ++j) lanes[j] += static_cast<uint8_t>(p[j] == '\n');
    }
    for (size_t j = 0; j < kLanes; ++j) total += lanes[j];
    n -= steps * kLanes;
  }
  for (size_t i = 0; i < n; ++i) total += p[i] == '\n';
  return total;
}

// A line of `b` from `at` to `end` (its '\n') as the parser sees it.
std::string_view line_view(const Buffer& b, size_t at, size_t end, size_t max_line_bytes) {
  std::string_view v(b.data.get() + at, end - at);
  if (!v.empty() && v.back() == '\r') v.remove_suffix(1);
  return v.substr(0, max_line_bytes);
}

}  // namespace

SplitResult parse_split(LineReader& reader, const LogFormatInfo& format,
                        const ParserContext& context, size_t chunk_bytes, ChunkPool& pool,
                        LineChecks& checks, const MakePieceEvents& make_piece) {
  std::unique_ptr<EventStitcher> stitcher =
      format.make_stitcher ? format.make_stitcher(context) : nullptr;
  // Where events go in file order.
  ParserContext in_order = context;
  in_order.events = stitcher ? stitcher.get() : context.events;
  in_order.chunk = true;
  SplitResult result;
  reader.head(1);  // the encoding is known from here
  if (reader.encoding() != LineReader::Encoding::kUtf8) {
    // UTF-16 (a client log saved by Notepad?): decoded line by line, one parser.
    std::unique_ptr<LogParser> parser = format.make(in_order);
    std::string_view line;
    while (reader.next(line)) {
      checks.feed(*parser, in_order, line, reader.line_number(), reader.line_truncated());
    }
    parser->finish();
    if (stitcher) stitcher->finish();
    result.lines = reader.line_number();
    return result;
  }
  // A piece that finds no cut in this much is parsed in place with the rest of the file:
  // memory stays bounded.
  const size_t most_bytes = std::max(chunk_bytes * 2, size_t{64} << 10);
  const size_t most_in_flight = pool.threads() * 2;
  const size_t max_line = checks.max_line_bytes;
  constexpr size_t kReadBytes = 256 << 10;

  std::deque<std::unique_ptr<Chunk>> in_flight;
  std::vector<Buffer> spare;
  auto hand_on = [&](Chunk& c) {
    for (Problem& p : c.problems) context.problems->on_problem(std::move(p));
    c.events->hand_on(*in_order.events);
    checks.add(c.checks);
    result.lines += c.lines;
  };
  auto hand_on_first = [&] {
    Chunk& c = *in_flight.front();
    {
      std::unique_lock lock(c.mu);
      c.cv.wait(lock, [&] { return c.done; });
    }
    hand_on(c);
    // The buffer is this thread's: kept for the next piece. The events are freed by the
    // thread that made them.
    c.text.size = 0;
    spare.push_back(std::move(c.text));
    Chunk* spent = in_flight.front().release();
    in_flight.pop_front();
    pool.run_on(spent->parsed_by, [spent] { delete spent; });
  };
  auto new_chunk = [&](uint64_t first_line) {
    auto c = std::make_unique<Chunk>();
    c->first_line = first_line;
    if (!spare.empty()) {
      c->text = std::move(spare.back());
      spare.pop_back();
    }
    c->text.reserve(chunk_bytes + kReadBytes);
    return c;
  };

  std::unique_ptr<Chunk> cur = new_chunk(1);
  size_t scan = SIZE_MAX;  // start of the line before the next candidate cut; SIZE_MAX: none yet
  bool eof = false;
  while (!eof) {
    Buffer& b = cur->text;
    b.reserve(b.size + kReadBytes);
    const ssize_t r = reader.read_rest(b.data.get() + b.size, kReadBytes);
    if (r > 0) {
      b.size += static_cast<size_t>(r);
    } else {
      eof = true;
      if (r < 0) {  // as LineReader: a partial line before a read error is dropped
        const void* nl = b.size ? memrchr(b.data.get(), '\n', b.size) : nullptr;
        b.size = nl ? static_cast<size_t>(static_cast<const char*>(nl) - b.data.get()) + 1 : 0;
      }
    }
    // Cut as often as the bytes read allow.
    while (cur->text.size >= chunk_bytes) {
      Buffer& t = cur->text;
      const char* d = t.data.get();
      if (scan == SIZE_MAX) {
        const void* nl = memrchr(d, '\n', chunk_bytes);
        scan = nl ? static_cast<size_t>(static_cast<const char*>(nl) - d) + 1 : 0;
      }
      size_t cut = SIZE_MAX;
      for (;;) {
        const void* nl1 = std::memchr(d + scan, '\n', t.size - scan);
        if (!nl1) break;
        const size_t end1 = static_cast<size_t>(static_cast<const char*>(nl1) - d);
        const size_t next = end1 + 1;
        if (next >= t.size) break;
        const void* nl2 = std::memchr(d + next, '\n', t.size - next);
        if (!nl2 && !eof) break;  // the next line is not read to its end yet
        const size_t end2 = nl2 ? static_cast<size_t>(static_cast<const char*>(nl2) - d) : t.size;
        if (format.cut_before(line_view(t, scan, end1, max_line),
                              line_view(t, next, end2, max_line))) {
          cut = next;
          break;
        }
        scan = next;
      }
      if (cut == SIZE_MAX) break;
      // [0, cut) is a piece; the rest begins the next one.
      const uint64_t lines = count_newlines(d, cut);
      std::unique_ptr<Chunk> next = new_chunk(cur->first_line + lines);
      next->text.reserve(t.size - cut + kReadBytes);
      std::memcpy(next->text.data.get(), d + cut, t.size - cut);
      next->text.size = t.size - cut;
      t.size = cut;
      Chunk* c = cur.get();
      pool.run([c, &format, &context, max_line, &make_piece](size_t thread) {
        parse_chunk(*c, format, context, max_line, thread, make_piece);
      });
      in_flight.push_back(std::move(cur));
      ++result.pieces;
      while (in_flight.size() > most_in_flight) hand_on_first();
      cur = std::move(next);
      scan = SIZE_MAX;
    }
    if (!eof && cur->text.size >= most_bytes) {
      // No cut in sight (a record without end?): this piece and the rest of the file are
      // parsed here, once every piece before them is handed on.
      while (!in_flight.empty()) hand_on_first();
      std::unique_ptr<LogParser> parser = format.make(in_order);
      ThenRest rest(std::string_view(cur->text.data.get(), cur->text.size), reader);
      result.lines += feed_lines(rest, cur->first_line, *parser, in_order, checks);
      parser->finish();
      if (stitcher) stitcher->finish();
      return result;
    }
  }
  if (in_flight.empty()) {
    // The whole file in one piece (a small file): parsed here.
    std::unique_ptr<LogParser> parser = format.make(in_order);
    result.lines += feed_buffer(cur->text, cur->first_line, *parser, in_order, checks);
    parser->finish();
  } else {
    Chunk* c = cur.get();
    pool.run([c, &format, &context, max_line, &make_piece](size_t thread) {
      parse_chunk(*c, format, context, max_line, thread, make_piece);
    });
    in_flight.push_back(std::move(cur));
    while (!in_flight.empty()) hand_on_first();
  }
  if (stitcher) stitcher->finish();
  return result;
}

}  // namespace fedtriage
