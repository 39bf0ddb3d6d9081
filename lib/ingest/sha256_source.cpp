#include "lib/ingest/sha256_source.h"

#include <openssl/evp.h>

#include <algorithm>

namespace fedtriage {

struct Sha256Source::State {
  EVP_MD_CTX* ctx = nullptr;
  ~State() { EVP_MD_CTX_free(ctx); }
};

Sha256Source::Sha256Source(ByteSource& inner, bool hash)
    : inner_(inner), state_(std::make_unique<State>()), hash_(hash) {
  state_->ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr);
}

Sha256Source::~Sha256Source() = default;

ssize_t Sha256Source::read(char* buf, size_t n) {
  const ssize_t got = inner_.read(buf, n);
  if (got > 0) {
    if (hash_) EVP_DigestUpdate(state_->ctx, buf, static_cast<size_t>(got));
    bytes_ += static_cast<uint64_t>(got);
  }
  return got;
}

std::string Sha256Source::hex_digest() const {
  if (!hash_) return {};
  // Finalise a copy so that reading may continue.
  EVP_MD_CTX* copy = EVP_MD_CTX_new();
  EVP_MD_CTX_copy_ex(copy, state_->ctx);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(copy, md, &len);
  EVP_MD_CTX_free(copy);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  class View : public ByteSource {
   public:
    explicit View(std::string_view d) : d_(d) {}
    ssize_t read(char* buf, size_t n) override {
      const size_t k = std::min(n, d_.size());
      std::copy_n(d_.data(), k, buf);
      d_.remove_prefix(k);
      return static_cast<ssize_t>(k);
    }
    const std::string& error() const override { return err_; }

   private:
    std::string_view d_;
    std::string err_;
  } view(data);
  Sha256Source hashed(view);
  char buf[64 * 1024];
  while (hashed.read(buf, sizeof buf) > 0) {
  }
  return hashed.hex_digest();
}

}  // namespace fedtriage
