// The raw text of events in the store: one zstd frame per event, compressed with a dictionary
// trained per case on its first messages (SIP messages of one case share most of their
// headers, so each ~1 KB message shrinks 4x where plain zstd gets 1.4x). Both back ends keep
// the frame and the dictionary id beside the event and the dictionary in raw_dicts
// (docs/schema.md); `fedtriage db message ID` prints a message for sqlite3 users.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fedtriage::store_raw {

// Compresses the raw texts of one write. The first kTrainBytes of texts are compressed
// without a dictionary and kept as samples; then a dictionary is trained on them, handed to
// `save` (which stores it and returns its row id) and used for every later text.
class Packer {
 public:
  using SaveDictionary = std::function<int64_t(std::string_view dictionary)>;
  explicit Packer(SaveDictionary save);
  ~Packer();
  Packer(const Packer&) = delete;
  Packer& operator=(const Packer&) = delete;

  // `frame` = the zstd frame of `raw`; returns the dictionary id it needs (0: none).
  int64_t pack(std::string_view raw, std::string& frame);
  // The same for a text made of parts of `part_sizes` bytes each (the records of one batch,
  // event_text.h): the parts, not the whole, are the dictionary's training samples.
  int64_t pack(std::string_view text, const std::vector<size_t>& part_sizes, std::string& frame);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Decompresses frames; dictionaries are loaded once each through `load` (id -> bytes).
class Unpacker {
 public:
  using LoadDictionary = std::function<std::string(int64_t id)>;
  explicit Unpacker(LoadDictionary load);
  ~Unpacker();
  Unpacker(const Unpacker&) = delete;
  Unpacker& operator=(const Unpacker&) = delete;

  // The text of `frame` (dictionary `dict`, 0: none). Throws std::runtime_error when the
  // frame or its dictionary is damaged or missing.
  std::string unpack(std::string_view frame, int64_t dict);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fedtriage::store_raw
