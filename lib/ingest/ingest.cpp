#include "lib/ingest/ingest.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>

#include "lib/correlate/clock_alignment.h"
#include "lib/ingest/sha256_source.h"
#include "lib/input/input_walker.h"
#include "lib/input/line_reader.h"

namespace fedtriage {
namespace {

// Routes a parser's problems into its input record and on to the live sink.
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

class CountingEvents : public EventSink {
 public:
  CountingEvents(std::vector<Event>& out, InputRecord& record) : out_(out), record_(record) {}
  void on_event(Event&& e) override {
    ++record_.events;
    out_.push_back(std::move(e));
  }

 private:
  std::vector<Event>& out_;
  InputRecord& record_;
};

class IngestHandler : public LeafHandler {
 public:
  IngestHandler(const IngestOptions& options, ProblemSink& live, IngestResult& result)
      : options_(options), live_(live), result_(result) {}

  void on_leaf(const std::string& name, ByteSource& source) override {
    result_.inputs.emplace_back();
    InputRecord& record = result_.inputs.back();
    record.name = name;
    Sha256Source hashed(source);
    LineReader reader(hashed, options_.max_line_bytes);
    const SniffResult sniff = sniff_format(reader.head(options_.sniff_bytes));
    record.format = std::string(to_string(sniff.format));
    RecordingProblems problems(record, live_);
    if (sniff.format == LogFormat::Unknown) {
      record.skipped = true;
      record.skip_reason = sniff.reason;
      problems.on_problem({Problem::Severity::Note, name, 0, "skipped: " + sniff.reason});
      return;
    }
    CountingEvents events(result_.events, record);
    auto parser =
        make_parser(sniff.format, ParserContext{name, &events, &problems, options_.parser});
    std::string_view line;
    while (reader.next(line)) {
      if (reader.line_truncated()) {
        problems.on_problem({Problem::Severity::Warning, name, reader.line_number(),
                             "line longer than " + std::to_string(options_.max_line_bytes) +
                                 " bytes: only its start was read"});
      }
      parser->feed(line, reader.line_number());
    }
    parser->finish();
    record.lines = reader.line_number();
    record.bytes = hashed.bytes();
    record.sha256 = hashed.hex_digest();
  }

 private:
  const IngestOptions& options_;
  ProblemSink& live_;
  IngestResult& result_;
};

// Problems the walker reports about whole files (unreadable, corrupt archive, limits) go to
// the record of that input, or to a new record when the input never became a leaf.
class WalkProblems : public ProblemSink {
 public:
  WalkProblems(ProblemSink& live, IngestResult& result) : live_(live), result_(result) {}
  void on_problem(Problem p) override {
    InputRecord* target = nullptr;
    for (auto it = result_.inputs.rbegin(); it != result_.inputs.rend(); ++it) {
      if (it->name == p.file) {
        target = &*it;
        break;
      }
    }
    if (!target) {
      result_.inputs.emplace_back();
      target = &result_.inputs.back();
      target->name = p.file;
      target->format = "unknown";
      target->skipped = true;
      target->skip_reason = p.message;
    }
    target->problems.push_back(p);
    live_.on_problem(std::move(p));
  }

 private:
  ProblemSink& live_;
  IngestResult& result_;
};

}  // namespace

IngestResult ingest(const std::vector<std::string>& paths, const IngestOptions& options,
                    ProblemSink& live) {
  IngestResult result;
  IngestHandler handler(options, live, result);
  WalkProblems walk_problems(live, result);
  walk_inputs(paths, options.walk, handler, walk_problems);

  // Client clocks are local: align them against server sightings of the same messages before
  // anything is ordered by time.
  if (!options.parser.client_utc_offset_minutes) {
    const ClockAlignmentResult aligned = align_client_clocks(result.events);
    for (const ClientClockOffset& o : aligned.aligned) {
      const int a = o.offset_minutes < 0 ? -o.offset_minutes : o.offset_minutes;
      char offset[16];
      std::snprintf(offset, sizeof offset, "%c%02d:%02d", o.offset_minutes < 0 ? '-' : '+', a / 60,
                    a % 60);
      result.clock_notes.push_back(
          o.file + ": client clock inferred as UTC" + offset + " from " + std::to_string(o.pairs) +
          " message(s) also seen by a server log (e.g. " + o.evidence.start_line + " of " +
          o.evidence.call_id + " at " + o.evidence.server.file + ":" +
          std::to_string(o.evidence.server.line) + ")");
    }
    for (const std::string& f : aligned.unaligned) {
      result.clock_notes.push_back(f +
                                   ": client clock offset unknown (no message also seen by "
                                   "a server log); times are local, marked unaligned. Use "
                                   "--client-utc-offset to set it");
    }
  }
  std::stable_sort(result.events.begin(), result.events.end(),
                   [](const Event& a, const Event& b) { return a.ts_ms < b.ts_ms; });
  return result;
}

}  // namespace fedtriage
