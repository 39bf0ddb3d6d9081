// The certificate half of the preflight: what a Microsoft Edge will think of the Expressway-E
// certificate. A pure function of the chain, the expected FQDN, the trust store and the time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lib/preflight/preflight_model.h"

namespace fedtriage::preflight {

struct CertificateCheckInput {
  std::vector<std::string> chain_der;  // leaf first, then what the server sent with it
  std::string expected_fqdn;           // the SRV target; empty skips the name check
  std::string where;                   // "expe.a.test:5061" or the file name, for the texts
  std::string ca_file;                 // PEM CA list; empty: the system store
  std::string ca_pem;  // PEM CA list in memory (a bundle's ca_*.pem); used instead of ca_file
  std::string trust_store_name;  // what the texts call ca_pem
  bool check_trust = true;
  int64_t now = 0;     // seconds since the epoch
  int warn_days = 30;  // cert-expires-soon below this
};

struct CertificateCheckResult {
  bool ok = false;  // false: the chain could not be read at all (error says why)
  std::string error;
  CertificateFacts facts;
  std::vector<Verdict> verdicts;  // in the order a person should fix them
};

// Rules applied: cert-untrusted (chain to ca_file or the system store; the leaf's own dates
// are left to the next two), cert-expired / cert-not-yet-valid / cert-expires-soon,
// cert-fqdn-mismatch (SAN dNSName, or the CN when there is no DNS SAN; wildcards as OpenSSL
// matches them), cert-missing-server-auth / cert-missing-client-auth (only when the
// certificate has an extendedKeyUsage extension: without one it is valid for any use).
CertificateCheckResult check_certificate(const CertificateCheckInput& input);

// Every CERTIFICATE block of a PEM text, as DER, in file order. False (error set) when there
// is none or one does not decode.
bool pem_certificates(std::string_view pem, std::vector<std::string>* der, std::string* error);

// "2026-01-01T00:00:00Z"
std::string format_utc_seconds(int64_t seconds);

}  // namespace fedtriage::preflight
