// PEM blocks in a bundle (the Expressway's server_<host>_<ts>.pem and ca_<host>_<ts>.pem, or a
// certificate pasted into a log): base64 DER that names the customer, which text redaction
// cannot see. A certificate is replaced by a fresh one carrying the pseudonymised subject,
// issuer and SAN names, the same validity dates, key type and size, key usage, basic
// constraints and extended key usage, signed by a key kept per (pseudonymised) issuer name:
// a server certificate and its CA, in whatever order they come, still form a chain. A private
// key, or any other block, is replaced by a comment line.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lib/redact/text_redactor.h"

namespace fedtriage::redact {

class PemRedactor {
 public:
  explicit PemRedactor(TextRedactor& text);
  ~PemRedactor();
  PemRedactor(const PemRedactor&) = delete;
  PemRedactor& operator=(const PemRedactor&) = delete;

  // One block from its "-----BEGIN <label>-----" line to its "-----END <label>-----" line
  // (or as far as it went), lines without terminators. Returns the lines that replace it.
  std::vector<std::string> block(const std::vector<std::string>& lines);

 private:
  struct Keys;
  TextRedactor& text_;
  std::unique_ptr<Keys> keys_;
};

// The comments that replace what is not regenerated.
inline constexpr std::string_view kPrivateKeyRemoved = "# private key removed by fedtriage redact";

}  // namespace fedtriage::redact
