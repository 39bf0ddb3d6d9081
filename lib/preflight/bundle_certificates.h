// The Expressway's own certificate in its diagnostic bundle: `server_<host>_<ts>.pem` (the
// server certificate) and `ca_<host>_<ts>.pem` (its trusted CA list), checked like
// `fedtriage check --cert` against the FQDNs the logs' findings name.
#pragma once

#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "lib/preflight/preflight_model.h"
#include "lib/rules/finding.h"
#include "lib/rules/rule_set.h"

namespace fedtriage::preflight {

// Collects the certificate files of a bundle as ingest meets them (see
// IngestOptions::on_unparsed); thread-safe.
class BundleCertificates {
 public:
  struct File {
    std::string name;  // display name, e.g. "bundle.tar.gz!/server_vcse_20170302.pem"
    std::string host;  // <host> of the file name
    std::string pem;
  };

  // Keeps `head` when `name`'s last component is server_<host>_<ts>.pem or ca_<host>_<ts>.pem
  // and it holds a PEM certificate; anything else is ignored.
  void offer(const std::string& name, std::string_view head);

  bool empty() const;
  std::vector<File> servers() const;  // name order
  std::vector<File> cas() const;

 private:
  mutable std::mutex mutex_;
  std::vector<File> servers_, cas_;
};

// The FQDNs the Expressway-E certificate must carry according to these findings: the SRV
// target of srv-domain-mismatch (`fqdn`) and the name cert-fqdn-mismatch expected
// (`expected_fqdn`).
void collect_expected_fqdns(const std::vector<Finding>& findings, std::set<std::string>* fqdns);

// One report per server certificate: checked against every FQDN (none: names not checked, a
// note says so), its chain against the bundle's CA list of the same host (none: trust not
// checked), dates at `now`, EKU.
std::vector<DomainReport> check_bundle_certificates(const BundleCertificates& bundle,
                                                    const std::set<std::string>& fqdns, int64_t now,
                                                    const RuleSet& rules);

}  // namespace fedtriage::preflight
