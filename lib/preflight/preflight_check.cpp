#include "lib/preflight/preflight_check.h"

#include <algorithm>

#include "lib/preflight/certificate_check.h"
#include "lib/preflight/tls_probe.h"
#include "lib/preflight/verdict_finding.h"
#include "lib/rules/domain_relation.h"

namespace fedtriage::preflight {
namespace {

bool too_old(const std::string& version) {
  return version == "SSLv3" || version == "TLSv1" || version == "TLSv1.1";
}

void add_verdict(std::vector<Verdict>& verdicts, Verdict v) {
  // The same certificate behind several addresses gives the same verdict once.
  for (const Verdict& seen : verdicts) {
    if (seen.rule_id == v.rule_id && seen.fields == v.fields) return;
  }
  verdicts.push_back(std::move(v));
}

void word_findings(DomainReport& report, const std::vector<Verdict>& verdicts,
                   const RuleSet& rules) {
  for (const Verdict& v : verdicts) report.findings.push_back(verdict_finding(rules, v));
}

// One handshake with one address of a target.
void probe(const SrvTarget& t, const std::string& address, const CheckOptions& o,
           DomainReport& report, std::vector<Verdict>& verdicts) {
  const std::string where = t.target + ":" + std::to_string(t.port);
  const std::string where_addr = where + " (" + address + ")";
  TlsEntry entry;
  entry.target = t.target;
  entry.port = t.port;
  entry.address = address;
  const TlsProbeResult r = probe_tls(address, t.port, t.target, o.timeout_ms);
  if (!r.connected) {
    entry.error = r.error;
    add_verdict(verdicts, {"srv-target-unreachable", {{"where", where_addr}, {"reason", r.error}}});
  } else if (!r.handshake) {
    entry.error = r.error;
    add_verdict(verdicts,
                {"tls-negotiation-failure", {{"where", where_addr}, {"reason", r.error}}});
  } else {
    entry.version = r.version;
    if (too_old(r.version)) {
      add_verdict(verdicts, {"tls-version-too-old", {{"where", where}, {"version", r.version}}});
    }
  }
  if (!r.chain_der.empty()) {
    CertificateCheckInput in;
    in.chain_der = r.chain_der;
    in.expected_fqdn = t.target;
    in.where = where;
    in.ca_file = o.ca_file;
    in.now = o.now;
    const CertificateCheckResult c = check_certificate(in);
    if (!c.ok) {
      report.notes.push_back(where_addr + ": certificate not checked: " + c.error);
    } else {
      entry.have_certificate = true;
      entry.certificate = c.facts;
      for (const Verdict& v : c.verdicts) add_verdict(verdicts, v);
    }
  } else if (r.handshake) {
    report.notes.push_back(where_addr + ": the server sent no certificate");
  }
  report.tls.push_back(std::move(entry));
}

}  // namespace

DomainReport check_domain(const std::string& domain, const CheckOptions& o, const RuleSet& rules) {
  DomainReport report;
  report.domain = domain;
  std::vector<Verdict> verdicts;
  const std::string record = federation_srv_record(domain);
  SrvAnswer srv = lookup_srv(record, o.resolver);
  if (srv.status == DnsStatus::Failed) {
    report.checked = false;
    report.notes.push_back(record + ": no usable DNS answer: " + srv.answer);
    return report;
  }
  if (srv.status == DnsStatus::NoRecord) {
    add_verdict(verdicts, {"srv-record-missing", {{"domain", domain}, {"dns_answer", srv.answer}}});
    word_findings(report, verdicts, rules);
    return report;
  }
  if (srv.targets.size() == 1 && srv.targets[0].target.empty()) {
    // RFC 2782: a single target "." says the service is decidedly not available.
    add_verdict(verdicts, {"srv-record-missing",
                           {{"domain", domain},
                            {"dns_answer", "the record's target is '.': service not offered"}}});
    word_findings(report, verdicts, rules);
    return report;
  }
  if (srv.targets.size() > o.max_targets) {
    report.notes.push_back(record + " has " + std::to_string(srv.targets.size()) +
                           " targets: the first " + std::to_string(o.max_targets) +
                           " (by priority and weight) were checked, the others only listed");
  }
  for (size_t i = 0; i < srv.targets.size(); ++i) {
    SrvTarget& t = srv.targets[i];
    if (i >= o.max_targets) {
      report.srv.push_back(t);
      continue;
    }
    const std::optional<DomainRelation> rel = domain_relation(domain, t.target);
    if (rel && *rel != DomainRelation::Exact) {
      add_verdict(verdicts, {"srv-domain-mismatch", {{"domain", domain}, {"fqdn", t.target}}});
    }
    const AddressAnswer addr = lookup_addresses(t.target, o.resolver);
    t.addresses = addr.addresses;
    if (addr.status == DnsStatus::NoRecord) {
      t.address_error = addr.answer;
      add_verdict(verdicts,
                  {"srv-target-unresolved",
                   {{"domain", domain}, {"fqdn", t.target}, {"dns_answer", addr.answer}}});
    } else if (addr.status == DnsStatus::Failed) {
      t.address_error = addr.answer;
      report.notes.push_back(t.target + ": addresses not known: " + addr.answer);
    }
    if (t.addresses.size() > o.max_addresses) {
      report.notes.push_back(t.target + " has " + std::to_string(t.addresses.size()) +
                             " addresses: the first " + std::to_string(o.max_addresses) +
                             " were contacted");
    }
    for (size_t k = 0; k < t.addresses.size() && k < o.max_addresses; ++k) {
      probe(t, t.addresses[k], o, report, verdicts);
    }
    report.srv.push_back(t);
  }
  word_findings(report, verdicts, rules);
  return report;
}

DomainReport check_certificate_pem(const std::string& name, std::string_view pem,
                                   const std::string& fqdn, const CheckOptions& o,
                                   const RuleSet& rules) {
  DomainReport report;
  report.domain = name;
  TlsEntry entry;
  entry.target = name;
  CertificateCheckInput in;
  std::string error;
  if (!pem_certificates(pem, &in.chain_der, &error)) {
    report.checked = false;
    report.notes.push_back(name + ": " + error);
    return report;
  }
  in.expected_fqdn = fqdn;
  in.where = name;
  in.ca_file = o.ca_file;
  in.now = o.now;
  const CertificateCheckResult c = check_certificate(in);
  if (!c.ok) {
    report.checked = false;
    report.notes.push_back(name + ": " + c.error);
    return report;
  }
  entry.have_certificate = true;
  entry.certificate = c.facts;
  report.tls.push_back(std::move(entry));
  word_findings(report, c.verdicts, rules);
  return report;
}

}  // namespace fedtriage::preflight
