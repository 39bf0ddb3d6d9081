// The fallback applied to every line of every file: finds identifiers anywhere in text and
// replaces them through the map, and removes secrets.
//
// Found: SIP/SIPS/TEL URIs (user part and host), user@host (aliases, e-mail, Call-IDs that
// embed a host or address), IPv4 and IPv6 addresses, DNS names ending in a known top-level
// domain (certificate names, ms-diagnostics parameters, SRV names), quoted display names
// before "<", the logging host of Expressway ("<time> HOST tvcs:") and Edge ("[HOST\HOST]")
// lines. Removed: the credentials of Authorization / Proxy-Authorization headers, and the
// value of any Key=value / Key="value" whose key names a secret (password, token, opaque,
// rspauth, snum, gssapi-data, ...).
#pragma once

#include <string>
#include <string_view>

#include "lib/redact/pseudonym_map.h"

namespace fedtriage::redact {

// What replaces a removed secret.
inline constexpr std::string_view kRemoved = "REDACTED";

class TextRedactor {
 public:
  explicit TextRedactor(PseudonymMap& map) : map_(map) {}

  // One line without its terminator.
  std::string line(std::string_view text);
  // A file or archive member path: each component redacted as text, and host names already
  // learned from contents ("sfvedge" in "sfvedge_trace.log") replaced too. The <host> of an
  // Expressway bundle name <prefix>_<host>_<YYYYMMDD>_<HHMMSS>.<ext> is mapped as a host.
  std::string file_name(std::string_view path);

  PseudonymMap& map() { return map_; }

 private:
  void scan(std::string_view text, std::string& out);
  std::string host(std::string_view host);
  std::string replace_known_hosts(const std::string& name);

  PseudonymMap& map_;
};

}  // namespace fedtriage::redact
