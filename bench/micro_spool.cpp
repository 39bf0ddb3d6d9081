// The event spool: encoding and decoding one SIP INVITE event (as the Expressway parser makes
// it) and appending events to a spool file. Bytes/s are of encoded events.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "bench/micro_bench_data.h"
#include "lib/core/event.h"
#include "lib/sip/sip_message.h"
#include "lib/spool/event_codec.h"
#include "lib/spool/event_spool.h"

namespace fedtriage::bench {
namespace {

Event invite_event() {
  const std::string text = sip_invite();
  Event e;
  e.ts_ms = 1709539200000;
  e.origin = {"diagnostic_log_vcse_2024.tar.gz!/loggingsnapshot_vcse.txt", 123456, 0};
  e.host = "vcse";
  e.sip = *parse_sip_message(text);
  e.call_id = e.sip->call_id;
  e.cseq = e.sip->cseq();
  e.direction = Direction::Out;
  e.local = "10.48.36.47:25002";
  e.remote = "10.48.36.6:5061";
  e.summary = "INVITE sip:stejanss@skype.lab";
  e.fields = {{"Module", "network.sip"}, {"Level", "DEBUG"}, {"Action", "Sent"}};
  e.raw = text;
  return e;
}

void BM_EventEncode(benchmark::State& state) {
  const Event e = invite_event();
  std::string out;
  for (auto _ : state) {
    out.clear();
    encode_event(e, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * out.size()));
}
BENCHMARK(BM_EventEncode);

// Into the same Event each time, as a loader does: its strings are reused. Arg 1: an event
// spooled without the record's text (EventDetail::NoText, what `events` loads without --raw).
void BM_EventDecode(benchmark::State& state) {
  std::string bytes;
  encode_event(invite_event(), bytes,
               state.range(0) != 0 ? EventDetail::NoText : EventDetail::Whole);
  Event e;
  for (auto _ : state) {
    if (!decode_event(bytes, e)) {
      state.SkipWithError("decode failed");
      break;
    }
    benchmark::DoNotOptimize(e.raw.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK(BM_EventDecode)->Arg(0)->Arg(1);

// One writer appends N events to a new spool and flushes (creating and closing the temporary
// file included). $TMPDIR decides where the file is.
void BM_SpoolAppend(benchmark::State& state) {
  const Event e = invite_event();
  const int n = static_cast<int>(state.range(0));
  uint64_t bytes = 0;
  for (auto _ : state) {
    auto spool = EventSpool::create(nullptr);
    {
      auto writer = spool->writer();
      for (int i = 0; i < n; ++i) benchmark::DoNotOptimize(writer->append(e));
    }
    if (!spool->error().empty()) {
      state.SkipWithError(spool->error().c_str());
      break;
    }
    bytes += spool->bytes();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}
BENCHMARK(BM_SpoolAppend)->Arg(20000)->Unit(benchmark::kMillisecond);

// Loading events back in a random-looking order (pread + decode per event).
void BM_SpoolLoad(benchmark::State& state) {
  const Event e = invite_event();
  auto spool = EventSpool::create(nullptr);
  std::vector<SpoolRef> refs;
  {
    auto writer = spool->writer();
    for (int i = 0; i < 20000; ++i) refs.push_back(writer->append(e));
  }
  Event out;
  std::string scratch;
  size_t k = 0;
  uint64_t bytes = 0;
  for (auto _ : state) {
    k = (k + 7919) % refs.size();
    if (!spool->load(refs[k], out, scratch)) {
      state.SkipWithError("load failed");
      break;
    }
    bytes += refs[k].size;
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_SpoolLoad);

}  // namespace
}  // namespace fedtriage::bench

BENCHMARK_MAIN();
