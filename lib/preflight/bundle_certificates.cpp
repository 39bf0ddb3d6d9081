#include "lib/preflight/bundle_certificates.h"

#include <algorithm>

#include "lib/preflight/certificate_check.h"
#include "lib/preflight/verdict_finding.h"

namespace fedtriage::preflight {
namespace {

// "server_vcse_20170302_1010.pem" -> ("server", "vcse"); false for other names. The host is
// what lies between the first '_' and the next one.
bool parse_name(std::string_view name, std::string* kind, std::string* host) {
  const size_t slash = name.find_last_of("/\\!");
  std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
  if (base.size() < 5 || base.substr(base.size() - 4) != ".pem") return false;
  base.remove_suffix(4);
  for (std::string_view prefix : {"server_", "ca_"}) {
    if (base.substr(0, prefix.size()) != prefix) continue;
    const std::string_view rest = base.substr(prefix.size());
    const size_t sep = rest.find('_');
    if (sep == 0 || sep == std::string_view::npos || sep + 1 >= rest.size()) return false;
    *kind = std::string(prefix.substr(0, prefix.size() - 1));
    *host = std::string(rest.substr(0, sep));
    return true;
  }
  return false;
}

bool by_name(const BundleCertificates::File& a, const BundleCertificates::File& b) {
  return a.name < b.name;
}

}  // namespace

void BundleCertificates::offer(const std::string& name, std::string_view head) {
  std::string kind, host;
  if (!parse_name(name, &kind, &host)) return;
  if (head.find("-----BEGIN CERTIFICATE-----") == std::string_view::npos) return;
  std::lock_guard<std::mutex> lock(mutex_);
  (kind == "server" ? servers_ : cas_).push_back(File{name, host, std::string(head)});
}

bool BundleCertificates::empty() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return servers_.empty();
}

std::vector<BundleCertificates::File> BundleCertificates::servers() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<File> out = servers_;
  std::sort(out.begin(), out.end(), by_name);
  return out;
}

std::vector<BundleCertificates::File> BundleCertificates::cas() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<File> out = cas_;
  std::sort(out.begin(), out.end(), by_name);
  return out;
}

void collect_expected_fqdns(const std::vector<Finding>& findings, std::set<std::string>* fqdns) {
  for (const Finding& f : findings) {
    const char* key = f.rule_id == "srv-domain-mismatch"  ? "fqdn"
                      : f.rule_id == "cert-fqdn-mismatch" ? "expected_fqdn"
                                                          : nullptr;
    if (!key) continue;
    if (const std::string* v = find_field(f.fields, key); v && !v->empty()) {
      std::string lower = *v;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      fqdns->insert(std::move(lower));
    }
  }
}

std::vector<DomainReport> check_bundle_certificates(const BundleCertificates& bundle,
                                                    const std::set<std::string>& fqdns, int64_t now,
                                                    const RuleSet& rules) {
  std::vector<DomainReport> out;
  const std::vector<BundleCertificates::File> cas = bundle.cas();
  for (const BundleCertificates::File& server : bundle.servers()) {
    DomainReport report;
    report.domain = server.name;
    CertificateCheckInput in;
    std::string error;
    if (!pem_certificates(server.pem, &in.chain_der, &error)) {
      report.checked = false;
      report.notes.push_back(server.name + ": " + error);
      out.push_back(std::move(report));
      continue;
    }
    in.where = server.name;
    in.now = now;
    const auto ca = std::find_if(cas.begin(), cas.end(), [&](const BundleCertificates::File& c) {
      return c.host == server.host;
    });
    if (ca != cas.end()) {
      in.ca_pem = ca->pem;
      in.trust_store_name = "the Expressway's trusted CA list " + ca->name;
    } else {
      in.check_trust = false;
      report.notes.push_back("no ca_" + server.host + "_*.pem in the input: trust not checked");
    }
    if (fqdns.empty()) {
      report.notes.push_back("no finding names an FQDN for the Expressway-E: names not checked");
    }
    std::vector<Verdict> verdicts;
    bool first = true;
    // One pass without a name when there is none to check; else one per FQDN. The verdicts
    // that do not depend on the name come out the same each time and are kept once.
    std::vector<std::string> names(fqdns.begin(), fqdns.end());
    if (names.empty()) names.emplace_back();
    for (const std::string& fqdn : names) {
      in.expected_fqdn = fqdn;
      const CertificateCheckResult c = check_certificate(in);
      if (!c.ok) {
        report.checked = false;
        report.notes.push_back(server.name + ": " + c.error);
        break;
      }
      if (first) {
        TlsEntry entry;
        entry.target = server.name;
        entry.have_certificate = true;
        entry.certificate = c.facts;
        report.tls.push_back(std::move(entry));
        first = false;
      }
      for (const Verdict& v : c.verdicts) {
        const bool seen = std::any_of(verdicts.begin(), verdicts.end(), [&](const Verdict& s) {
          return s.rule_id == v.rule_id && s.fields == v.fields;
        });
        if (!seen) verdicts.push_back(v);
      }
    }
    for (const Verdict& v : verdicts) report.findings.push_back(verdict_finding(rules, v));
    out.push_back(std::move(report));
  }
  return out;
}

}  // namespace fedtriage::preflight
