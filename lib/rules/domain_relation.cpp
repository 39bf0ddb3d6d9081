#include "lib/rules/domain_relation.h"

#include <cctype>

namespace fedtriage {
namespace {

std::string normalize_host(std::string_view s) {
  s = strip_port(s);
  while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string_view to_string(DomainRelation r) {
  switch (r) {
    case DomainRelation::Exact:
      return "exact";
    case DomainRelation::Subdomain:
      return "subdomain";
    case DomainRelation::DifferentDomain:
      return "different-domain";
  }
  return "different-domain";
}

std::string_view strip_port(std::string_view s) {
  const size_t colon = s.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == s.size()) return s;
  for (size_t i = colon + 1; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return s;
  }
  const std::string_view host = s.substr(0, colon);
  // A bare IPv6 address has colons of its own: only "[v6]:port" carries a port.
  if (host.find(':') != std::string_view::npos && !host.ends_with(']')) return s;
  return host;
}

std::string fqdn_domain(std::string_view fqdn) {
  const std::string host = normalize_host(fqdn);
  const size_t dot = host.find('.');
  return dot == std::string::npos ? std::string() : host.substr(dot + 1);
}

std::optional<DomainRelation> domain_relation(std::string_view domain, std::string_view fqdn) {
  const std::string d = normalize_host(domain);
  const std::string fd = fqdn_domain(fqdn);
  if (d.empty() || normalize_host(fqdn).empty()) return std::nullopt;
  if (fd == d) return DomainRelation::Exact;
  if (fd.size() > d.size() && fd.ends_with(d) && fd[fd.size() - d.size() - 1] == '.') {
    return DomainRelation::Subdomain;
  }
  return DomainRelation::DifferentDomain;
}

std::string federation_srv_record(std::string_view domain) {
  return "_sipfederationtls._tcp." + normalize_host(domain);
}

}  // namespace fedtriage
