#include "lib/store/event_text.h"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace fedtriage::store_cold {
namespace {

ColdText text(int i) {
  ColdText t;
  t.raw = "INVITE sip:user" + std::to_string(i % 40) +
          "@skype.example SIP/2.0\r\nVia: SIP/2.0/TLS 10.0.1.20:5061;branch=z9hG4bK" +
          std::to_string(i * 7919) + "\r\nCall-ID: " + std::to_string(i * 104729) +
          "\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
  t.summary = "INVITE " + std::to_string(i);
  t.fields = "{}";
  t.local = "10.0.1.20:5061";
  t.remote = "192.0.2." + std::to_string(i % 200) + ":5061";
  t.request_uri = "sip:user" + std::to_string(i % 40) + "@skype.example";
  return t;
}

// A store in memory: rows of raw_dicts and event_texts, as a back end keeps them.
struct Rows {
  std::map<int64_t, std::string> dicts;
  std::map<int64_t, TextReader::Frame> frames;
  int64_t dictionary_row = 0;

  std::vector<RecordPlace> store(const PackedEvents& packed) {
    return store_packed(
        packed, dictionary_row,
        [this](const std::string& d) {
          const int64_t id = 100 + static_cast<int64_t>(dicts.size());
          dicts[id] = d;
          return id;
        },
        [this](const std::string& frame, int64_t dict) {
          const int64_t id = 1 + static_cast<int64_t>(frames.size());
          frames[id] = TextReader::Frame{frame, dict, true};
          return id;
        });
  }
  TextReader reader() {
    return TextReader(
        [this](int64_t id) { return frames.count(id) ? frames[id] : TextReader::Frame{}; },
        [this](int64_t id) { return dicts.count(id) ? dicts[id] : std::string(); });
  }
};

// Batches packed on one thread and stored on another, in another order than packed: every
// record reads back, and the dictionary is stored once, by the first stored batch needing it.
TEST(BatchPacker, PackedOnOneThreadStoredInAnyOrderOnAnother) {
  constexpr int kBatches = 800, kPerBatch = 12;  // ~2 MB of text: the dictionary is trained
  BatchPacker packer;
  std::vector<std::vector<ColdText>> texts(kBatches);
  std::vector<PackedEvents> packed(kBatches);
  for (int b = 0; b < kBatches; ++b) {
    for (int k = 0; k < kPerBatch; ++k) texts[b].push_back(text(b * kPerBatch + k));
  }
  std::thread packing([&] {
    for (int b = 0; b < kBatches; ++b) packed[b] = packer.pack(texts[b]);
  });
  packing.join();
  int with_dictionary = 0;
  for (const PackedEvents& p : packed) {
    ASSERT_EQ(p.places.size(), static_cast<size_t>(kPerBatch));
    for (const PackedEvents::Frame& f : p.frames) with_dictionary += f.with_dictionary;
  }
  ASSERT_GT(with_dictionary, 0);
  ASSERT_FALSE(packed[0].frames.at(0).with_dictionary);  // the first batches train it

  Rows rows;
  std::vector<std::vector<RecordPlace>> places(kBatches);
  for (int b = kBatches - 1; b >= 0; --b) places[b] = rows.store(packed[b]);  // last first
  EXPECT_EQ(rows.dicts.size(), 1u);
  TextReader reader = rows.reader();
  for (int b = 0; b < kBatches; ++b) {
    for (int k = 0; k < kPerBatch; ++k) {
      const RecordPlace& p = places[b][k];
      StoredEvent e;
      reader.fill(e, p.text_id, p.at, p.raw_len);
      const ColdText& t = texts[b][k];
      ASSERT_EQ(e.raw, t.raw) << b << " " << k;
      EXPECT_EQ(e.summary, t.summary);
      EXPECT_EQ(e.local, t.local);
      EXPECT_EQ(e.remote, t.remote);
      EXPECT_EQ(e.request_uri, t.request_uri);
    }
  }
}

TEST(BatchPacker, ABatchLargerThanAFrameGetsSeveralFrames) {
  BatchPacker packer;
  std::vector<ColdText> texts;
  for (int i = 0; i < 40; ++i) {
    texts.push_back(text(i));
    texts.back().raw.append(20 * 1024, 'x');  // 40 x 20 KiB: more than kFrameBytes
  }
  const PackedEvents p = packer.pack(texts);
  EXPECT_GE(p.frames.size(), 3u);
  Rows rows;
  const std::vector<RecordPlace> places = rows.store(p);
  TextReader reader = rows.reader();
  for (size_t k = 0; k < texts.size(); ++k) {
    EXPECT_EQ(reader.raw(places[k].text_id, places[k].at, places[k].raw_len), texts[k].raw);
  }
}

TEST(BatchPacker, AnInconsistentBatchIsRefused) {
  BatchPacker packer;
  PackedEvents p = packer.pack({text(1), text(2)});
  Rows rows;
  PackedEvents wrong_frame = p;
  wrong_frame.places[1].text_id = 5;
  EXPECT_THROW(rows.store(wrong_frame), std::logic_error);
  PackedEvents no_dictionary = p;
  no_dictionary.frames[0].with_dictionary = true;
  no_dictionary.dictionary.reset();
  EXPECT_THROW(rows.store(no_dictionary), std::logic_error);
  EXPECT_TRUE(packer.pack({}).frames.empty());
}

}  // namespace
}  // namespace fedtriage::store_cold
