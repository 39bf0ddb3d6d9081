// DNS for the preflight: the federation SRV record and the addresses of its targets, through
// c-ares against the system resolver or one given server, each lookup bounded by a deadline.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lib/preflight/preflight_model.h"

namespace fedtriage::preflight {

struct ResolverOptions {
  std::string server;     // "IP" or "IP:PORT" ("[v6]:PORT"); empty: /etc/resolv.conf
  int timeout_ms = 5000;  // hard limit for one lookup, retries included
};

enum class DnsStatus {
  Found,     // an answer with records
  NoRecord,  // NXDOMAIN, or the name exists without records of that type
  Failed,    // no usable answer: timeout, refused, SERVFAIL, bad server address
};

struct SrvAnswer {
  DnsStatus status = DnsStatus::Failed;
  std::string answer;              // "NXDOMAIN", "no SRV record", "timeout after 5 s", ...
  std::vector<SrvTarget> targets;  // priority, then weight (highest first), then name
};

struct AddressAnswer {
  DnsStatus status = DnsStatus::Failed;
  std::string answer;
  std::vector<std::string> addresses;  // A, then AAAA
};

// False with `error` when `server` is not an IP address with an optional port.
bool valid_dns_server(const std::string& server, std::string* error);

SrvAnswer lookup_srv(const std::string& name, const ResolverOptions& options);
AddressAnswer lookup_addresses(const std::string& host, const ResolverOptions& options);

}  // namespace fedtriage::preflight
