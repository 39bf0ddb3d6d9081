// What the redactor needs to know about DNS names: which trailing labels are public suffixes
// (kept, so that ".com" stays ".com"), which names look like domains at all, and which host
// labels are conventions rather than identities ("sip.", "lyncdiscover.").
#pragma once

#include <string_view>

namespace fedtriage::redact {

// Number of trailing labels of `name` (lower-case, no trailing dot) that form a known public
// suffix: 2 for "a.b.co.uk", 1 for "a.com" and for "a.lab" (internal pseudo-TLDs count too),
// 0 when the last label is no known top-level domain.
int public_suffix_labels(std::string_view name);

// True when the last label of `name` is a known top-level domain: the test that tells a host
// name ("vcse.steven.lab") from a file name or a version ("SIPAdminLog.cpp", "X8.11.4").
bool has_known_tld(std::string_view name);

// Host labels every deployment uses ("sip", "lyncdiscover", "access", ...): kept as they are.
bool is_conventional_label(std::string_view label);

}  // namespace fedtriage::redact
