#include "lib/spool/event_spool.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <algorithm>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "lib/spool/event_codec.h"
#include "parsers/log_parser.h"
#include "tests/support/collecting_sinks.h"
#include "tests/support/fixture_events.h"

namespace fedtriage {
namespace {

std::vector<Event> fixture_events() {
  return testing::fixture_events({"expressway", "edge", "client", "scenarios"});
}

// The codec test shows that the encoding covers every member of Event and is canonical, so
// two events are equal exactly when their encodings are.
std::string encode(const Event& e) {
  std::string out;
  encode_event(e, out);
  return out;
}

// Sets TMPDIR for the life of the object.
class ScopedTmpdir {
 public:
  explicit ScopedTmpdir(const std::string& value) {
    if (const char* old = ::getenv("TMPDIR")) old_ = old;
    ::setenv("TMPDIR", value.c_str(), 1);
  }
  ~ScopedTmpdir() {
    if (old_) {
      ::setenv("TMPDIR", old_->c_str(), 1);
    } else {
      ::unsetenv("TMPDIR");
    }
  }

 private:
  std::optional<std::string> old_;
};

// A spool created with $TMPDIR set to `tmpdir` ("": left as it is). A directory that does not
// exist gives a spool in memory.
std::unique_ptr<EventSpool> spool_in(const char* tmpdir) {
  std::optional<ScopedTmpdir> tmp;
  if (*tmpdir) tmp.emplace(tmpdir);
  return EventSpool::create(nullptr);
}

// Two threads, each with its own writer, spool `rounds` copies of the fixture events (several
// MiB, so that every writer goes through several ranges); then every event is loaded back, from
// two threads at once.
void round_trip(EventSpool& spool, int rounds) {
  const std::vector<Event> events = fixture_events();
  ASSERT_GT(events.size(), 50u);
  std::vector<std::string> expected;
  for (const Event& e : events) expected.push_back(encode(e));

  struct Spooled {
    SpoolRef ref;
    size_t index;
  };
  std::vector<Spooled> refs[2];
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      auto writer = spool.writer();
      for (int r = 0; r < rounds; ++r) {
        for (size_t i = t; i < events.size(); i += 2) {
          Event e = events[i];
          refs[t].push_back({writer->append(e), i});
        }
      }
      writer->flush();
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(spool.error(), "");

  uint64_t total = 0;
  for (const auto& list : refs) {
    for (const Spooled& s : list) total += s.ref.size;
  }
  EXPECT_EQ(spool.bytes(), total);
  EXPECT_GT(total, uint64_t{2} << 20);  // more than one range per writer

  std::vector<std::string> failures[2];
  for (int t = 0; t < 2; ++t) {
    threads[t] = std::thread([&, t] {
      Event e;
      std::string scratch, error;
      // Each thread loads the other's events, back to front.
      const auto& list = refs[1 - t];
      for (size_t k = list.size(); k-- > 0;) {
        if (!spool.load(list[k].ref, e, scratch, &error)) {
          failures[t].push_back(error);
        } else if (encode(e) != expected[list[k].index]) {
          failures[t].push_back("event " + std::to_string(list[k].index) + " differs");
        }
        if (failures[t].size() > 5) break;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& f : failures) EXPECT_TRUE(f.empty()) << f.front();
}

TEST(EventSpool, TwoWritersOnTwoThreadsLoadBackEqual) {
  std::string note;
  auto spool = EventSpool::create(&note);
  ASSERT_NE(spool, nullptr);
  EXPECT_EQ(note, "");
  EXPECT_FALSE(spool->in_memory());
  round_trip(*spool, 60);
}

// A spool that keeps no text (`events` without --raw) writes and gives back the events without
// it, in a file and in memory.
TEST(EventSpool, KeptWithoutTextLoadsBackWithoutText) {
  const std::vector<Event> events = fixture_events();
  for (const bool in_memory : {false, true}) {
    std::unique_ptr<EventSpool> spool;
    {
      std::optional<ScopedTmpdir> tmp;
      if (in_memory) tmp.emplace("/nonexistent/fedtriage-spool-test");
      spool = EventSpool::create(nullptr, EventDetail::NoText);
    }
    ASSERT_EQ(spool->in_memory(), in_memory);
    std::vector<SpoolRef> refs;
    uint64_t whole_bytes = 0;
    {
      auto writer = spool->writer();
      for (const Event& e : events) {
        refs.push_back(writer->append(e));
        whole_bytes += encode(e).size();
      }
    }
    EXPECT_LT(spool->bytes(), whole_bytes * 3 / 4);
    std::string scratch, error;
    Event out;
    for (size_t i = 0; i < events.size(); ++i) {
      std::string lean;
      encode_event(events[i], lean, EventDetail::NoText);
      ASSERT_TRUE(spool->load(refs[i], out, scratch, &error)) << error;
      ASSERT_EQ(encode(out), lean) << "event " << i;
      EXPECT_TRUE(out.raw.empty());
    }
  }
}

TEST(EventSpool, FallsBackToMemoryWhenTheTempDirIsNotWritable) {
  std::unique_ptr<EventSpool> spool;
  std::string note;
  {
    ScopedTmpdir tmp("/nonexistent/fedtriage-spool-test");
    spool = EventSpool::create(&note);
  }
  ASSERT_NE(spool, nullptr);
  EXPECT_TRUE(spool->in_memory());
  EXPECT_NE(note.find("/nonexistent/fedtriage-spool-test"), std::string::npos) << note;
  EXPECT_NE(note.find("memory"), std::string::npos) << note;
  round_trip(*spool, 30);
}

TEST(EventSpool, BadReferencesAreRefused) {
  for (const char* tmpdir : {"", "/nonexistent/fedtriage-spool-test"}) {
    const std::unique_ptr<EventSpool> spool = spool_in(tmpdir);
    Event e;
    e.raw = "x";
    std::string scratch, error;
    SpoolRef a, b;
    {
      auto writer = spool->writer();
      a = writer->append(e);
      e.raw = std::string(5000, 'y');
      b = writer->append(e);
    }
    ASSERT_TRUE(spool->load(b, e, scratch, &error)) << error;
    EXPECT_EQ(e.raw, std::string(5000, 'y'));
    ASSERT_TRUE(spool->load(a, e, scratch, &error)) << error;
    EXPECT_EQ(e.raw, "x");

    const SpoolRef bad[] = {
        {},                               // size 0
        {a.offset, a.size - 1},           // cut short
        {a.offset + 1, a.size},           // shifted
        {b.offset, b.size + 1},           // one byte too many
        {uint64_t{1} << 40, 10},          // past the end
        {UINT64_MAX - 2, 10},             // wraps around
        {b.offset + b.size, UINT32_MAX},  // past the end
    };
    for (const SpoolRef& ref : bad) {
      error.clear();
      EXPECT_FALSE(spool->load(ref, e, scratch, &error)) << tmpdir << " " << ref.offset;
      EXPECT_NE(error.find("temporary spool"), std::string::npos) << error;
      EXPECT_FALSE(spool->load(ref, e, scratch));  // no message wanted
    }
  }
}

// load_all reads records close together at once: whatever the refs (any order, repeated,
// far apart, larger than one read), each event is the one load() gives; a bad ref fails the
// batch with load()'s message. On disk and in memory.
TEST(EventSpool, LoadingManyAtOnceEqualsLoadingEach) {
  for (const char* tmpdir : {"", "/nonexistent/fedtriage-spool-test"}) {
    const std::unique_ptr<EventSpool> spool = spool_in(tmpdir);
    std::vector<Event> events = fixture_events();
    std::vector<SpoolRef> refs;
    {
      auto writer = spool->writer();
      for (int round = 0; round < 8; ++round) {
        for (size_t k = 0; k < events.size(); ++k) {
          Event e = events[k];
          if (k % 97 == 0) e.raw.append((k % 3 + 1) * 700 * 1024, 'z');  // beyond one read
          refs.push_back(writer->append(e));
        }
      }
    }
    uint32_t seed = 11;
    auto next = [&](size_t n) {
      seed = seed * 1103515245u + 12345u;
      return static_cast<size_t>((seed >> 8) % n);
    };
    std::string scratch, single_scratch, error;
    for (int batch = 0; batch < 200; ++batch) {
      std::vector<SpoolRef> pick;
      const size_t start = next(refs.size());
      const size_t n = 1 + next(40);
      for (size_t k = 0; k < n; ++k) {  // mostly neighbours, some anywhere, some twice
        pick.push_back(
            refs[k % 5 == 4 ? next(refs.size()) : (start + k * (1 + next(3))) % refs.size()]);
      }
      if (n > 3) pick.push_back(pick[1]);
      std::vector<Event> got(pick.size());
      std::vector<Event*> out;
      for (Event& e : got) out.push_back(&e);
      ASSERT_TRUE(spool->load_all(pick, out, scratch, &error)) << tmpdir << " " << error;
      for (size_t k = 0; k < pick.size(); ++k) {
        Event one;
        ASSERT_TRUE(spool->load(pick[k], one, single_scratch, &error)) << error;
        ASSERT_TRUE(encode(got[k]) == encode(one)) << tmpdir << " batch " << batch << " " << k;
      }
    }
    // A bad ref among good neighbours fails the batch, as load() fails it.
    for (const SpoolRef bad :
         {SpoolRef{refs[5].offset, refs[5].size - 1}, SpoolRef{refs[5].offset + 1, refs[5].size},
          SpoolRef{uint64_t{1} << 40, 10}, SpoolRef{}}) {
      std::vector<SpoolRef> pick = {refs[4], bad, refs[6]};
      std::vector<Event> got(pick.size());
      std::vector<Event*> out = {&got[0], &got[1], &got[2]};
      error.clear();
      EXPECT_FALSE(spool->load_all(pick, out, scratch, &error)) << tmpdir << " " << bad.offset;
      EXPECT_NE(error.find("temporary spool"), std::string::npos) << error;
    }
    std::vector<Event*> too_few;
    EXPECT_FALSE(spool->load_all({refs[0]}, too_few, scratch, &error));
  }
}

TEST(EventSpool, EventsOfAnUnflushedWriterAreNotThereYet) {
  auto spool = EventSpool::create(nullptr);
  auto writer = spool->writer();
  Event e;
  e.raw = "pending";
  const SpoolRef ref = writer->append(e);
  std::string scratch, error;
  EXPECT_FALSE(spool->load(ref, e, scratch, &error));
  writer->flush();
  ASSERT_TRUE(spool->load(ref, e, scratch, &error)) << error;
  EXPECT_EQ(e.raw, "pending");
  // Appending after a flush goes on in the same range.
  e.raw = "after";
  const SpoolRef next = writer->append(e);
  writer->flush();
  EXPECT_EQ(next.offset, ref.offset + ref.size);
  ASSERT_TRUE(spool->load(next, e, scratch, &error)) << error;
  EXPECT_EQ(e.raw, "after");
}

// An event larger than a writer's buffer gets a range of its own.
TEST(EventSpool, EventLargerThanTheBuffer) {
  auto spool = EventSpool::create(nullptr);
  Event big, small;
  big.raw = std::string(3 << 20, 'b');
  small.raw = "s";
  SpoolRef refs[3];
  {
    auto writer = spool->writer();
    refs[0] = writer->append(small);
    refs[1] = writer->append(big);
    refs[2] = writer->append(small);
  }
  Event e;
  std::string scratch, error;
  ASSERT_TRUE(spool->load(refs[1], e, scratch, &error)) << error;
  EXPECT_EQ(e.raw, big.raw);
  ASSERT_TRUE(spool->load(refs[0], e, scratch, &error)) << error;
  ASSERT_TRUE(spool->load(refs[2], e, scratch, &error)) << error;
  EXPECT_EQ(e.raw, "s");
}

// A write that fails (here: over the file size limit, as a full disk would) is recorded, not
// fatal: later appends are dropped and error() says why.
TEST(EventSpool, WriteErrorsAreRecordedNotFatal) {
  auto spool = EventSpool::create(nullptr);
  if (spool->in_memory()) GTEST_SKIP() << "no temporary file";
  struct rlimit old_limit;
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  auto old_handler = ::signal(SIGXFSZ, SIG_IGN);
  struct rlimit limit = old_limit;
  limit.rlim_cur = 256 * 1024;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limit), 0);
  Event e;
  e.raw = std::string(100000, 'z');
  {
    auto writer = spool->writer();
    for (int i = 0; i < 40; ++i) writer->append(e);
    writer->flush();
    EXPECT_EQ(writer->append(e).size, 0u);
  }
  ::setrlimit(RLIMIT_FSIZE, &old_limit);
  ::signal(SIGXFSZ, old_handler);
  EXPECT_EQ(spool->error(), "File too large");
  EXPECT_LT(spool->bytes(), uint64_t{40} * 100000);
}

}  // namespace
}  // namespace fedtriage
