#include "lib/correlate/event_sketch.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lib/ingest/ingest.h"
#include "lib/ingest/sketch_chunks.h"

namespace fedtriage {
namespace {

TEST(StringTable, InternsToDenseIdsWithTheEmptyStringAsZero) {
  StringTable t;
  EXPECT_EQ(t.size(), 1u);
  EXPECT_EQ(t.intern(""), 0u);
  EXPECT_EQ(t.at(0), "");
  const uint32_t a = t.intern("a84b4c76e66710@pc33.atlanta.example.com");
  const uint32_t b = t.intern("skype.lab");
  EXPECT_EQ(a, 1u);
  EXPECT_EQ(b, 2u);
  EXPECT_EQ(t.intern("skype.lab"), b);
  EXPECT_EQ(t.at(a), "a84b4c76e66710@pc33.atlanta.example.com");
  EXPECT_EQ(t.find("skype.lab"), b);
  EXPECT_EQ(t.find("not.there"), 0u);
  EXPECT_EQ(t.find(""), 0u);
  EXPECT_EQ(t.size(), 3u);
}

TEST(StringTable, KeepsEveryStringThroughGrowthAndLongStrings) {
  StringTable t;
  std::vector<std::string> all;
  // Enough to grow the slot table many times and fill several text blocks, with strings longer
  // than a block among them.
  for (int i = 0; i < 50000; ++i) {
    std::string s = "call-" + std::to_string(i) + "@host";
    if (i % 9973 == 0) s += std::string(70000, 'x');
    all.push_back(s);
    ASSERT_EQ(t.intern(s), static_cast<uint32_t>(i + 1));
  }
  const std::string_view first = t.at(1);
  for (size_t i = 0; i < all.size(); ++i) {
    ASSERT_EQ(t.at(static_cast<uint32_t>(i + 1)), all[i]);
    ASSERT_EQ(t.find(all[i]), i + 1);
    ASSERT_EQ(t.intern(all[i]), i + 1);
  }
  EXPECT_EQ(t.at(1).data(), first.data());  // views stay valid as the table grows
  EXPECT_EQ(t.size(), all.size() + 1);
}

TEST(StringTable, MovedTableKeepsItsStrings) {
  StringTable t;
  const uint32_t id = t.intern("sip.example.com");
  StringTable moved = std::move(t);
  EXPECT_EQ(moved.at(id), "sip.example.com");
  EXPECT_EQ(moved.find("sip.example.com"), id);
  t = StringTable();
  EXPECT_EQ(t.size(), 1u);
  EXPECT_EQ(t.find("sip.example.com"), 0u);
}

Event sip_event(const std::string& file, uint64_t line, const std::string& call_id,
                const std::string& host) {
  Event e;
  e.kind = EventKind::CallEvent;
  e.origin.file = file;
  e.origin.line = line;
  e.call_id = call_id;
  e.host = host;
  e.ts_ms = static_cast<int64_t>(line) * 10;
  return e;
}

TEST(SketchSet, AppendRemappedEqualsReadingInOneSet) {
  // Two inputs read separately and put together, against both read into one set.
  auto add_events = [](SketchSet& s, const std::string& file, int n, const std::string& prefix) {
    for (int i = 0; i < n; ++i) {
      s.add(sip_event(file, static_cast<uint64_t>(i + 1), prefix + std::to_string(i % 7),
                      i % 2 ? "vcse1" : "vcsc1"));
    }
  };
  auto make = [&](const std::string& file, int n, const std::string& prefix) {
    SketchSet s;
    add_events(s, file, n, prefix);
    return s;
  };
  SketchSet whole;
  add_events(whole, "a.log", 30, "x");
  add_events(whole, "b.log", 20, "y");

  SketchSet chunked;
  for (auto [file, n, prefix] : {std::tuple{"a.log", 30, "x"}, std::tuple{"b.log", 20, "y"}}) {
    SketchSet leaf = make(file, n, prefix);
    SketchChunks chunks;
    for (const EventSketch& s : leaf.events) chunks.push_back(s);
    leaf.events.clear();
    const SketchSet::Remap remap = chunked.remap_from(leaf);
    const uint32_t base = static_cast<uint32_t>(chunked.events.size());
    chunks.drain([&](const EventSketch& s) { chunked.append_remapped(s, remap, base); });
    EXPECT_EQ(chunks.size(), 0u);
  }
  ASSERT_EQ(chunked.events.size(), whole.events.size());
  for (size_t i = 0; i < whole.events.size(); ++i) {
    const EventSketch &a = whole.events[i], &b = chunked.events[i];
    EXPECT_EQ(a.order, i);
    EXPECT_EQ(b.order, i);
    EXPECT_EQ(whole.strings.at(a.call), chunked.strings.at(b.call));
    EXPECT_EQ(whole.strings.at(a.host), chunked.strings.at(b.host));
    EXPECT_EQ(whole.where(a), chunked.where(b));
  }
}

TEST(SketchChunks, KeepsOrderAcrossBlocksAndEmptiesWhenDrained) {
  SketchChunks chunks;
  const size_t n = 3 * SketchChunks::kMaxBlock + 123;
  for (size_t i = 0; i < n; ++i) {
    EventSketch s;
    s.line = i;
    chunks.push_back(s);
  }
  chunks.shrink();
  EXPECT_EQ(chunks.size(), n);
  size_t next = 0;
  chunks.drain([&](const EventSketch& s) { EXPECT_EQ(s.line, next++); });
  EXPECT_EQ(next, n);
  EXPECT_EQ(chunks.size(), 0u);
  chunks.drain([&](const EventSketch&) { ADD_FAILURE() << "drained twice"; });
}

}  // namespace
}  // namespace fedtriage
