// How an SRV target FQDN relates to the domain it was looked up for. Skype/Lync federation
// trusts the target only when its domain part is exactly the federated domain.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fedtriage {

enum class DomainRelation { Exact, Subdomain, DifferentDomain };

std::string_view to_string(DomainRelation r);  // "exact", "subdomain", "different-domain"

// "vcse.sub.cms.steven.lab" -> "sub.cms.steven.lab": everything after the first label,
// lower-case, without a trailing dot or a :port.
std::string fqdn_domain(std::string_view fqdn);

// nullopt when either side is empty.
//   ("cms.steven.lab",   "vcse.sub.cms.steven.lab") -> Subdomain
//   ("acano.steven.lab", "vcse.steven.lab")         -> DifferentDomain
//   ("cms.steven.lab",   "vcse.cms.steven.lab")     -> Exact
std::optional<DomainRelation> domain_relation(std::string_view domain, std::string_view fqdn);

// "_sipfederationtls._tcp.<domain>"
std::string federation_srv_record(std::string_view domain);

// "host:5061" -> "host", "[::1]:5061" -> "[::1]"; anything else unchanged.
std::string_view strip_port(std::string_view host_port);

}  // namespace fedtriage
