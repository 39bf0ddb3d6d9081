// The consistent map from original identifiers to pseudonyms, shared by every file of a run
// (and, loaded from its file, by later runs on the same customer's bundles).
//
// Domains are mapped label by label from the right, so that the hierarchy survives: with
// "steven.lab" -> "org1.lab", "cms.steven.lab" becomes "h2.org1.lab" and
// "vcse.sub.cms.steven.lab" "h4.h3.h2.org1.lab": a subdomain stays a subdomain of the mapped
// parent, two different domains stay different. Public suffixes (".com", ".co.uk", ".lab"),
// service labels ("_sipfederationtls", "_tcp") and conventional host labels ("sip") are kept.
// IPv4 addresses keep their class (private 10/8, 172.16/12, 192.168/16, link-local, CGNAT,
// public) and their /24 grouping: the network is mapped, the host octet kept. IPv6 addresses
// keep their class. Phone numbers keep their length and punctuation.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace fedtriage::redact {

class PseudonymMap {
 public:
  enum class Kind { Domain, Ipv4Net, Ipv4, Ipv6, User, Phone, Name, Keep };
  struct Entry {
    Kind kind;
    std::string original;
    std::string pseudonym;
  };

  PseudonymMap();

  // Leaves `domain` and its subdomains as they are (e.g. the vendor's).
  void keep_domain(std::string_view domain);
  bool is_kept(std::string_view domain) const;  // lower-case, no trailing dot

  // A DNS name (any case, optional trailing dot) or a single-label host name. Returned in
  // lower case; unchanged when kept or when it is only a public suffix.
  std::string domain(std::string_view name);
  // The pseudonym of a name already mapped (lower case, no trailing dot), without mapping.
  std::optional<std::string> known_domain(std::string_view lower_name) const;
  // A dotted IPv4 address; returned unchanged when not one, or loopback/multicast/unspecified.
  std::string ipv4(std::string_view address);
  // An IPv6 address in any spelling; unchanged when not one, or loopback/multicast/unspecified.
  std::string ipv6(std::string_view address);
  // The user part of a URI or alias: phone numbers ("+1 415-555", "2000") keep their length
  // and punctuation, other users become "user<N>".
  std::string user(std::string_view user);
  // A display name ("Alice Contoso") becomes "Name<N>".
  std::string display_name(std::string_view name);

  // Everything mapped so far (and the kept domains), in a stable order.
  std::vector<Entry> entries() const;

  // The map file: a comment line, then one "kind<TAB>original<TAB>pseudonym" per line, with
  // tab, newline and backslash escaped as \t, \n, \\. Returns false with *why on failure;
  // unknown kinds and malformed lines are skipped.
  bool load(const std::string& path, std::string* why);
  // Written to a temporary name beside `path` and renamed, mode 0600 (it holds originals).
  bool save(const std::string& path, std::string* why) const;

  static std::string_view kind_name(Kind kind);

 private:
  std::string allocate_label(std::string_view prefix);
  std::string allocate_phone(std::string_view original);
  uint32_t map_ipv4_net(uint32_t net24);

  std::map<std::string, std::string, std::less<>> domains_;
  std::map<uint32_t, uint32_t> nets4_;
  std::map<std::string, std::string, std::less<>> ips4_, ips6_, users_, phones_, names_;
  std::set<std::string, std::less<>> kept_;
  std::set<std::string, std::less<>> used_labels_, used_pseudonyms_;
  std::set<uint32_t> used_nets4_;
  std::map<uint32_t, uint32_t> next_net4_;  // per address class
  uint64_t next_label_ = 1, next_user_ = 1, next_phone_ = 1, next_name_ = 1, next_ip6_ = 1;
};

}  // namespace fedtriage::redact
