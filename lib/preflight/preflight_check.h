// `fedtriage check`: one federated domain (SRV record, its targets' addresses, a TLS handshake
// with each, their certificates), or one certificate file, turned into findings of the rule
// set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "lib/preflight/preflight_model.h"
#include "lib/preflight/srv_lookup.h"
#include "lib/rules/rule_set.h"

namespace fedtriage::preflight {

struct CheckOptions {
  ResolverOptions resolver;
  std::string ca_file;    // empty: the system CA store
  int timeout_ms = 5000;  // per DNS lookup and per TCP connect + TLS handshake
  int64_t now = 0;        // seconds since the epoch
  // Bounds the run on a huge SRV answer: targets and addresses beyond these are named in the
  // notes, not contacted.
  size_t max_targets = 16;
  size_t max_addresses = 4;
};

// DomainReport::checked is false when the SRV lookup got no usable answer (server
// unreachable, timeout, SERVFAIL): then nothing else was tried.
DomainReport check_domain(const std::string& domain, const CheckOptions& options,
                          const RuleSet& rules);

// A certificate file (leaf first, then any intermediates) checked as the handshake's chain
// would be, against `fqdn` (empty: no name check). `name` is what the report calls it.
DomainReport check_certificate_pem(const std::string& name, std::string_view pem,
                                   const std::string& fqdn, const CheckOptions& options,
                                   const RuleSet& rules);

}  // namespace fedtriage::preflight
