// Hot paths of parsing: the Expressway line scan (mostly developer.* lines to skip), the tvcs
// attribute scanner, SIP message parsing and the Edge record scan. Bytes/s are of log text.
// Also the JSON line of one event (`fedtriage events`); bytes/s are of JSON written.
#include <benchmark/benchmark.h>

#include "bench/micro_bench_data.h"
#include "lib/input/line_reader.h"
#include "lib/input/memory_source.h"
#include "lib/report/event_json.h"
#include "lib/sip/sip_message.h"
#include "parsers/edge/edge_trace_parser.h"
#include "parsers/expressway/expressway_parser.h"
#include "parsers/expressway/tvcs_line.h"

namespace fedtriage::bench {
namespace {

template <typename Parser>
void feed_all(benchmark::State& state, const std::string& text) {
  const auto lines = split_lines(text);
  for (auto _ : state) {
    CountEvents events;
    IgnoreProblems problems;
    Parser p(ParserContext{"bench.log", &events, &problems, {}});
    uint64_t n = 0;
    for (std::string_view l : lines) p.feed(l, ++n);
    p.finish();
    benchmark::DoNotOptimize(events.count);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

// Expressway log with 0 / 4 / 16 developer.* lines around every SIP record.
void BM_ExpresswayScan(benchmark::State& state) {
  feed_all<ExpresswayParser>(state, expressway_log(200, static_cast<int>(state.range(0))));
}
BENCHMARK(BM_ExpresswayScan)->Arg(0)->Arg(4)->Arg(16);

// Line classification alone: split the prefix off every line.
void BM_TvcsSplitLine(benchmark::State& state) {
  const std::string text = expressway_log(200, 16);
  const auto lines = split_lines(text);
  for (auto _ : state) {
    size_t n = 0;
    for (std::string_view l : lines) n += split_tvcs_line(l).has_value();
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_TvcsSplitLine);

void BM_TvcsAttributes(benchmark::State& state) {
  const std::string line =
      "Module=\"network.sip\" Level=\"INFO\":  Action=\"Sent\" Local-ip=\"10.48.36.47\" "
      "Local-port=\"25002\" Dst-ip=\"10.48.36.6\" Dst-port=\"5061\" Detail=\"Sending Request "
      "Method=INVITE, CSeq=2066245576, Call-ID=f1b3ad5d\"";
  std::vector<TvcsAttribute> attrs;
  for (auto _ : state) {
    attrs.clear();
    scan_tvcs_attributes(line, attrs);
    benchmark::DoNotOptimize(attrs.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * line.size()));
}
BENCHMARK(BM_TvcsAttributes);

void BM_SipParse(benchmark::State& state) {
  const std::string msg = sip_invite();
  for (auto _ : state) {
    auto m = parse_sip_message(msg);
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * msg.size()));
}
BENCHMARK(BM_SipParse);

void BM_EdgeRecordScan(benchmark::State& state) {
  feed_all<EdgeTraceParser>(state, edge_log(200));
}
BENCHMARK(BM_EdgeRecordScan);

// One SIP INVITE event as a JSON line, without and with the raw text (arg 1).
void BM_EventToJson(benchmark::State& state) {
  Event e;
  e.ts_ms = 1709539200226;
  e.source = Source::Expressway;
  e.kind = EventKind::Sip;
  e.origin = {"logs/expressway/loggingsnapshot_vcse1_2024-03-04_08-00-00.txt", 4584, 0};
  e.host = "vcse1";
  e.raw = sip_invite();
  e.sip = parse_sip_message(e.raw);
  e.call_id = e.sip->call_id;
  e.cseq = e.sip->cseq();
  e.direction = Direction::Out;
  e.local = "10.0.0.5:25012";
  e.remote = "10.0.1.20:5061";
  e.summary = "Sent to 10.0.1.20:5061: INVITE " + e.sip->request_uri;
  e.fields = {{"Module", "network.sip"}, {"Level", "DEBUG"},      {"Action", "Sent"},
              {"Local-ip", "10.0.0.5"},  {"Local-port", "25012"}, {"Dst-ip", "10.0.1.20"},
              {"Dst-port", "5061"}};
  const EventJsonOptions options{.include_raw = state.range(0) != 0};
  size_t bytes = 0;
  for (auto _ : state) {
    std::string line = event_to_json(e, options);
    bytes += line.size();
    benchmark::DoNotOptimize(line.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_EventToJson)->Arg(0)->Arg(1);

// Line splitting of a 4 MiB buffer (the LineReader every parser sits behind).
void BM_LineReader(benchmark::State& state) {
  const std::string text = expressway_log(2000, 4);
  for (auto _ : state) {
    MemorySource src(text);
    LineReader r(src);
    std::string_view line;
    size_t n = 0;
    while (r.next(line)) n += line.size();
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_LineReader);

}  // namespace
}  // namespace fedtriage::bench

BENCHMARK_MAIN();
