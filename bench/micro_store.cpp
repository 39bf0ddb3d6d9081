// SQLite insert through the store API: one analysis of N SIP events in one transaction, as
// write_analysis (all at once) and as the streaming CaseWriter (calls of 10 events each).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include "bench/micro_bench_data.h"
#include "lib/core/event.h"
#include "lib/sip/sip_message.h"
#include "lib/store/open_store.h"
#include "lib/store/case_writer.h"

namespace fedtriage::bench {
namespace {

std::vector<Event> make_events(size_t n) {
  const std::string text = sip_invite();
  const SipMessage m = *parse_sip_message(text);
  std::vector<Event> out(n);
  for (size_t i = 0; i < n; ++i) {
    Event& e = out[i];
    e.ts_ms = 1709539200000 + static_cast<int64_t>(i);
    e.origin = {"bench.log", i + 1};
    e.host = "vcse";
    e.call_id = m.call_id + std::to_string(i / 8);
    e.cseq = m.cseq();
    e.sip = m;
    e.summary = "INVITE sip:stejanss@skype.lab";
    e.fields = {{"module", "network.sip"}, {"level", "DEBUG"}};
    e.raw = text;
  }
  return out;
}

void BM_StoreWriteEvents(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const std::vector<Event> events = make_events(n);
  InputRecord in;
  in.name = "bench.log";
  in.format = "expressway";
  in.sha256 = "00";
  const std::string path = "fedtriage-bench-" + std::to_string(::getpid()) + ".db";
  int round = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::remove(path.c_str());
    std::string error;
    auto store = open_store(path, &error);
    state.ResumeTiming();
    if (!store || !store->write_analysis("case" + std::to_string(round++), {in}, events, {}, {}, {},
                                         &error)) {
      state.SkipWithError(error.c_str());
      break;
    }
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}
BENCHMARK(BM_StoreWriteEvents)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

// The same events through begin_case: per call its 10 events, then the call.
void BM_StoreStreamCalls(benchmark::State& state) {
  constexpr size_t kPerCall = 10;
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<Event> all = make_events(n);
  std::vector<std::vector<Event>> chunks;
  std::vector<Call> calls;
  for (size_t i = 0; i < n; i += kPerCall) {
    chunks.emplace_back(all.begin() + static_cast<ptrdiff_t>(i),
                        all.begin() + static_cast<ptrdiff_t>(std::min(n, i + kPerCall)));
    Call c;
    c.call_id = "call-" + std::to_string(i / kPerCall);
    c.first_ms = chunks.back().front().ts_ms;
    c.last_ms = chunks.back().back().ts_ms;
    c.method = "INVITE";
    c.sources = {Source::Expressway};
    c.hosts = {"vcse"};
    for (size_t k = 0; k < chunks.back().size(); ++k) c.events.push_back(k);
    calls.push_back(std::move(c));
  }
  InputRecord in;
  in.name = "bench.log";
  in.format = "expressway";
  in.sha256 = "00";
  const std::string path = "fedtriage-bench-" + std::to_string(::getpid()) + ".db";
  int round = 0;
  std::vector<int64_t> ids;
  for (auto _ : state) {
    state.PauseTiming();
    std::remove(path.c_str());
    std::string error;
    auto store = open_store(path, &error);
    state.ResumeTiming();
    std::unique_ptr<CaseWriter> writer;
    if (store) writer = store->begin_case("case" + std::to_string(round++), {}, {}, &error);
    bool ok = writer && writer->write_inputs({in}, &error);
    for (size_t c = 0; ok && c < calls.size(); ++c) {
      ids.clear();
      ok = writer->write_events(chunks[c], &ids, &error) &&
           writer->write_call(calls[c], {}, ids, &error);
    }
    if (!ok || !writer->commit(&error)) {
      state.SkipWithError(error.c_str());
      break;
    }
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}
BENCHMARK(BM_StoreStreamCalls)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace fedtriage::bench

BENCHMARK_MAIN();
