// A ByteSource that passes bytes through and keeps a SHA-256 of everything read.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "lib/input/byte_source.h"

namespace fedtriage {

class Sha256Source : public ByteSource {
 public:
  // hash = false: only counts bytes (the caller knows the digest already); hex_digest() is "".
  explicit Sha256Source(ByteSource& inner, bool hash = true);
  ~Sha256Source() override;
  ssize_t read(char* buf, size_t n) override;
  const std::string& error() const override { return inner_.error(); }
  uint64_t bytes() const { return bytes_; }
  // Lower-case hex digest of the bytes read so far.
  std::string hex_digest() const;

 private:
  struct State;
  ByteSource& inner_;
  std::unique_ptr<State> state_;
  uint64_t bytes_ = 0;
  bool hash_ = true;
};

// SHA-256 of a buffer, lower-case hex.
std::string sha256_hex(std::string_view data);

}  // namespace fedtriage
