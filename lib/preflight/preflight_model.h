// What `fedtriage check` looked at and what it concluded, per federated domain (or per
// certificate file). Plain data: no c-ares or OpenSSL type appears here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lib/core/event.h"
#include "lib/rules/finding.h"

namespace fedtriage::preflight {

// A check's conclusion before the rule set words it: the rule id and that rule's fields
// (without the "preflight." prefix the rule patterns see).
struct Verdict {
  std::string rule_id;
  Fields fields;
};

// One target of the _sipfederationtls._tcp SRV answer, with the addresses its name resolves to.
struct SrvTarget {
  std::string target;  // FQDN without the trailing dot
  uint16_t port = 0;
  uint16_t priority = 0;
  uint16_t weight = 0;
  std::vector<std::string> addresses;  // A then AAAA, as text
  std::string address_error;           // why there are none ("NXDOMAIN", "timeout", ...)
};

// What a certificate says, as text fit for any output (rendering makes it output-safe).
struct CertificateFacts {
  std::string subject;  // RFC 2253, e.g. "CN=expe.a.test,O=A"
  std::string issuer;
  std::string common_name;
  std::vector<std::string> san;  // DNS names of subjectAltName
  std::string not_before;        // "2026-01-01T00:00:00Z"
  std::string not_after;
  bool has_eku = false;          // an extendedKeyUsage extension is present
  std::vector<std::string> eku;  // short names: serverAuth, clientAuth, ...
};

// One TLS handshake (or one certificate file).
struct TlsEntry {
  std::string target;   // SRV target, or the file name with --cert
  uint16_t port = 0;    // 0 for a file
  std::string address;  // the address connected to
  std::string version;  // "TLSv1.3"; empty for a file or when the handshake failed
  bool have_certificate = false;
  CertificateFacts certificate;
  std::string error;  // connect / handshake / read failure
};

struct DomainReport {
  std::string domain;   // the domain, or the certificate file with --cert
  bool checked = true;  // false when nothing could be checked (resolver unreachable)
  std::vector<SrvTarget> srv;
  std::vector<TlsEntry> tls;
  std::vector<Finding> findings;
  std::vector<std::string> notes;  // e.g. targets not probed
};

}  // namespace fedtriage::preflight
