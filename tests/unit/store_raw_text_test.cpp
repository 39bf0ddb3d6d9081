#include "lib/store/raw_text.h"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>

namespace fedtriage::store_raw {
namespace {

std::string message(int i) {
  return "INVITE sip:user" + std::to_string(i % 40) +
         "@skype.example SIP/2.0\r\nVia: SIP/2.0/TLS 10.0.1.20:5061;branch=z9hG4bK" +
         std::to_string(i * 7919) + "\r\nCall-ID: " + std::to_string(i * 104729) +
         "\r\nCSeq: 1 INVITE\r\nUser-Agent: TANDBERG/529 (ce9.6.1)\r\nContent-Length: 0\r\n\r\n";
}

TEST(RawText, RoundTripWithAndWithoutATrainedDictionary) {
  std::map<int64_t, std::string> saved;
  Packer packer([&](std::string_view dict) {
    const int64_t id = static_cast<int64_t>(saved.size()) + 7;
    saved[id] = std::string(dict);
    return id;
  });
  Unpacker unpacker([&](int64_t id) { return saved.count(id) ? saved[id] : std::string(); });
  std::string frame;
  size_t plain = 0, with_dict = 0, plain_bytes = 0, dict_bytes = 0;
  for (int i = 0; i < 12000; ++i) {
    const std::string text = message(i) + std::string(i % 3, '\0') + "\xff\xfe";
    const int64_t dict = packer.pack(text, frame);
    ASSERT_EQ(unpacker.unpack(frame, dict), text) << i;
    (dict ? with_dict : plain)++;
    (dict ? dict_bytes : plain_bytes) += frame.size();
  }
  ASSERT_EQ(saved.size(), 1u);  // trained once, after the first MiB
  EXPECT_GT(plain, 0u);
  EXPECT_GT(with_dict, plain);
  EXPECT_LT(dict_bytes / with_dict, plain_bytes / plain);  // the dictionary pays
  EXPECT_EQ(unpacker.unpack(frame, packer.pack("", frame)), "");
}

TEST(RawText, DamagedFramesAndMissingDictionariesThrow) {
  Packer packer([](std::string_view) -> int64_t { return 1; });
  Unpacker unpacker([](int64_t) { return std::string(); });
  std::string frame;
  packer.pack(message(1), frame);
  EXPECT_THROW(unpacker.unpack(frame.substr(0, frame.size() / 2), 0), std::runtime_error);
  EXPECT_THROW(unpacker.unpack("not a frame", 0), std::runtime_error);
  EXPECT_THROW(unpacker.unpack(frame, 5), std::runtime_error);  // dictionary 5 is not there
}

}  // namespace
}  // namespace fedtriage::store_raw
