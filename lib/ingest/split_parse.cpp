#include "lib/ingest/split_parse.h"

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
  std::deque<std::function<void()>> jobs;
  bool stop = false;
  std::vector<std::thread> threads;
};

ChunkPool::ChunkPool(size_t threads)
    : state_(std::make_unique<State>()), threads_(std::max<size_t>(threads, 1)) {
  for (size_t i = 0; i < threads_; ++i) {
    state_->threads.emplace_back([s = state_.get()] {
      for (;;) {
        std::function<void()> job;
        {
          std::unique_lock lock(s->mu);
          s->cv.wait(lock, [&] { return s->stop || !s->jobs.empty(); });
          if (s->jobs.empty()) return;
          job = std::move(s->jobs.front());
          s->jobs.pop_front();
        }
        job();
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

void ChunkPool::run(std::function<void()> job) {
  {
    std::lock_guard lock(state_->mu);
    state_->jobs.push_back(std::move(job));
  }
  state_->cv.notify_one();
}

size_t split_bytes_from_environment() {
  const char* v = std::getenv("FEDTRIAGE_SPLIT_BYTES");
  if (v == nullptr || *v == '\0') return kDefaultSplitBytes;
  char* end = nullptr;
  const unsigned long long n = std::strtoull(v, &end, 10);
  return end != nullptr && *end == '\0' ? static_cast<size_t>(n) : kDefaultSplitBytes;
}

namespace {

// A piece of a file: its lines (copied, each ended by '\n') and, once parsed, what its parser
// said.
struct Chunk {
  uint64_t first_line = 0;
  std::string text;
  std::vector<uint64_t> truncated;  // numbers of its lines cut at the length limit
  std::vector<Event> events;
  std::vector<Problem> problems;
  LineChecks checks;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
};

class VectorEvents : public EventSink {
 public:
  explicit VectorEvents(std::vector<Event>& out) : out_(out) {}
  void on_event(Event&& e) override { out_.push_back(std::move(e)); }

 private:
  std::vector<Event>& out_;
};

class VectorProblems : public ProblemSink {
 public:
  explicit VectorProblems(std::vector<Problem>& out) : out_(out) {}
  void on_problem(Problem p) override { out_.push_back(std::move(p)); }

 private:
  std::vector<Problem>& out_;
};

// Feeds the lines of `c` to `parser` (the piece's own, or the one that carries on in place).
void feed_lines(const Chunk& c, LogParser& parser, const ParserContext& context,
                LineChecks& checks) {
  const char* p = c.text.data();
  const char* const end = p + c.text.size();
  uint64_t line_no = c.first_line;
  size_t t = 0;
  while (p < end) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    const bool truncated = t < c.truncated.size() && c.truncated[t] == line_no;
    if (truncated) ++t;
    checks.feed(parser, context, std::string_view(p, static_cast<size_t>(nl - p)), line_no,
                truncated);
    p = nl + 1;
    ++line_no;
  }
}

void parse_chunk(Chunk& c, const LogFormatInfo& format, ParserContext context,
                 size_t max_line_bytes) {
  VectorEvents events(c.events);
  VectorProblems problems(c.problems);
  context.events = &events;
  context.problems = &problems;
  context.chunk = true;
  c.checks.max_line_bytes = max_line_bytes;
  std::unique_ptr<LogParser> parser = format.make(context);
  feed_lines(c, *parser, context, c.checks);
  parser->finish();
  std::string().swap(c.text);
  std::lock_guard lock(c.mu);
  c.done = true;
  c.cv.notify_one();
}

}  // namespace

size_t parse_split(LineReader& reader, const LogFormatInfo& format, const ParserContext& context,
                   size_t chunk_bytes, ChunkPool& pool, LineChecks& checks) {
  std::unique_ptr<EventStitcher> stitcher =
      format.make_stitcher ? format.make_stitcher(context) : nullptr;
  // Where events go in file order.
  ParserContext in_order = context;
  in_order.events = stitcher ? stitcher.get() : context.events;
  in_order.chunk = true;
  // A piece that finds no cut in this much goes on in place (see below): memory stays bounded.
  const size_t most_bytes = chunk_bytes * 8;
  const size_t most_in_flight = pool.threads() * 2;

  std::deque<std::unique_ptr<Chunk>> in_flight;
  size_t pieces = 1;
  auto hand_on_first = [&] {
    Chunk& c = *in_flight.front();
    {
      std::unique_lock lock(c.mu);
      c.cv.wait(lock, [&] { return c.done; });
    }
    for (Problem& p : c.problems) context.problems->on_problem(std::move(p));
    for (Event& e : c.events) in_order.events->on_event(std::move(e));
    checks.add(c.checks);
    in_flight.pop_front();
  };

  auto new_chunk = [&](uint64_t first_line) {
    auto c = std::make_unique<Chunk>();
    c->first_line = first_line;
    c->text.reserve(chunk_bytes + chunk_bytes / 4);  // most pieces end soon after chunk_bytes
    return c;
  };

  // The piece first in file order is parsed right here as its lines come (no copy): the first
  // piece of every file (a small file is all of it), and a piece with no cut in sight once
  // the pieces before it are handed on.
  std::unique_ptr<LogParser> in_place = format.make(in_order);
  size_t in_place_bytes = 0;
  std::string previous;  // in place: the line before, once a cut is looked for
  std::unique_ptr<Chunk> filling;
  size_t previous_at = 0, previous_size = 0;  // filling: the line before, in its text

  std::string_view line;
  while (reader.next(line)) {
    const uint64_t line_no = reader.line_number();
    const bool truncated = reader.line_truncated();
    if (in_place) {
      if (in_place_bytes < chunk_bytes || !format.cut_before(previous, line)) {
        checks.feed(*in_place, in_order, line, line_no, truncated);
        in_place_bytes += line.size() + 1;
        if (in_place_bytes >= chunk_bytes) previous.assign(line);
        continue;
      }
      in_place->finish();
      in_place.reset();
      ++pieces;
      filling = new_chunk(line_no);
    } else if (filling->text.size() >= chunk_bytes) {
      const std::string_view before(filling->text.data() + previous_at, previous_size);
      if (format.cut_before(before, line)) {
        Chunk* c = filling.get();
        pool.run([c, &format, &context, max = checks.max_line_bytes] {
          parse_chunk(*c, format, context, max);
        });
        in_flight.push_back(std::move(filling));
        while (in_flight.size() > most_in_flight) hand_on_first();
        ++pieces;
        filling = new_chunk(line_no);
      } else if (filling->text.size() >= most_bytes) {
        // No cut in sight (a record without end?): the rest is parsed here, from this piece
        // on, once every piece before it is handed on.
        while (!in_flight.empty()) hand_on_first();
        in_place = format.make(in_order);
        feed_lines(*filling, *in_place, in_order, checks);
        in_place_bytes = filling->text.size();
        filling.reset();
        checks.feed(*in_place, in_order, line, line_no, truncated);
        in_place_bytes += line.size() + 1;
        previous.assign(line);
        continue;
      }
    }
    previous_at = filling->text.size();
    previous_size = line.size();
    filling->text.append(line);
    filling->text += '\n';
    if (truncated) filling->truncated.push_back(line_no);
  }
  if (in_place) {
    in_place->finish();
  } else {
    Chunk* c = filling.get();
    pool.run([c, &format, &context, max = checks.max_line_bytes] {
      parse_chunk(*c, format, context, max);
    });
    in_flight.push_back(std::move(filling));
  }
  while (!in_flight.empty()) hand_on_first();
  if (stitcher) stitcher->finish();
  return pieces;
}

}  // namespace fedtriage
