#include "lib/report/preflight_report.h"

#include "lib/report/json_support.h"
#include "lib/report/terminal_text.h"

namespace fedtriage::preflight {
namespace {

using nlohmann::ordered_json;

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string paint(bool on, const char* code, const std::string& text) {
  return on ? "\x1b[" + std::string(code) + "m" + text + "\x1b[0m" : text;
}

std::string severity_label(bool color, FindingSeverity sev) {
  std::string label = std::string(to_string(sev));
  for (char& c : label) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return paint(color, sev >= FindingSeverity::Error ? "1;31" : "33", "[" + label + "]");
}

std::string tls_line(const TlsEntry& t) {
  std::string out = t.port ? t.target + ":" + std::to_string(t.port) : t.target;
  if (!t.address.empty()) out += " (" + t.address + ")";
  if (!t.error.empty()) {
    out += ": " + t.error;
    if (!t.have_certificate) return out;
    out += "; certificate sent: ";
  } else if (!t.version.empty()) {
    out += ": " + t.version;
    if (!t.have_certificate) return out;
    out += ", ";
  } else {
    if (!t.have_certificate) return out;
    out += ": ";
  }
  const CertificateFacts& c = t.certificate;
  out += "subject " + c.subject;
  out += "; SAN " + (c.san.empty() ? std::string("none") : join(c.san));
  out += "; valid " + c.not_before + " to " + c.not_after;
  out += "; EKU " + (c.has_eku ? join(c.eku) : std::string("(no extension: any use)"));
  return out;
}

ordered_json certificate_json(const TlsEntry& t) {
  ordered_json j = {{"target", t.target}, {"port", t.port}};
  if (!t.address.empty()) j["address"] = t.address;
  j["version"] = t.version.empty() ? ordered_json(nullptr) : ordered_json(t.version);
  if (t.have_certificate) {
    const CertificateFacts& c = t.certificate;
    j["subject"] = c.subject;
    j["issuer"] = c.issuer;
    j["san"] = c.san;
    j["not_before"] = c.not_before;
    j["not_after"] = c.not_after;
    j["eku"] = c.has_eku ? ordered_json(c.eku) : ordered_json(nullptr);
  } else {
    for (const char* k : {"subject", "issuer", "san", "not_before", "not_after", "eku"}) {
      j[k] = nullptr;
    }
  }
  if (!t.error.empty()) j["error"] = t.error;
  return j;
}

}  // namespace

std::string reports_to_text(const std::vector<DomainReport>& reports, bool color) {
  std::string out;
  for (const DomainReport& r : reports) {
    out += paint(color, "1", "== " + terminal_safe(r.domain)) + "\n";
    if (!r.srv.empty()) {
      out += "SRV\n";
      for (const SrvTarget& t : r.srv) {
        out += "  " + terminal_safe(t.target) + ":" + std::to_string(t.port) + " priority " +
               std::to_string(t.priority) + " weight " + std::to_string(t.weight) + " -> " +
               terminal_safe(t.addresses.empty()
                                 ? (t.address_error.empty() ? "not resolved" : t.address_error)
                                 : join(t.addresses)) +
               "\n";
      }
    }
    if (!r.tls.empty()) {
      out += r.tls.front().port ? "TLS\n" : "Certificate\n";
      for (const TlsEntry& t : r.tls) out += "  " + terminal_safe(tls_line(t)) + "\n";
    }
    for (const std::string& n : r.notes) out += "note: " + terminal_safe(n) + "\n";
    for (const Finding& f : r.findings) {
      out += severity_label(color, f.severity) + " " + paint(color, "1", f.rule_id) + ": " +
             terminal_safe(f.title) + "\n";
      out += "  Root cause: " + terminal_safe(f.root_cause) + "\n";
      out += "  Fix: " + terminal_safe(f.fix) + "\n";
    }
    if (!r.checked) {
      out += paint(color, "1;31", "NOT CHECKED") + "\n";
    } else if (r.findings.empty()) {
      out += paint(color, "32", "OK: every check passed") + "\n";
    } else {
      size_t errors = 0;
      for (const Finding& f : r.findings) errors += f.severity >= FindingSeverity::Error;
      out += std::to_string(r.findings.size()) + " finding" + (r.findings.size() == 1 ? "" : "s") +
             " (" + std::to_string(errors) + " error" + (errors == 1 ? "" : "s") + ")\n";
    }
    out += "\n";
  }
  return out;
}

namespace {

ordered_json domains_json(const std::vector<DomainReport>& reports) {
  ordered_json domains = ordered_json::array();
  for (const DomainReport& r : reports) {
    ordered_json srv = ordered_json::array();
    for (const SrvTarget& t : r.srv) {
      ordered_json j = {{"target", t.target},
                        {"port", t.port},
                        {"priority", t.priority},
                        {"weight", t.weight},
                        {"addresses", t.addresses}};
      if (!t.address_error.empty()) j["address_error"] = t.address_error;
      srv.push_back(std::move(j));
    }
    ordered_json tls = ordered_json::array();
    for (const TlsEntry& t : r.tls) tls.push_back(certificate_json(t));
    ordered_json findings = ordered_json::array();
    for (const Finding& f : r.findings) {
      findings.push_back({{"rule", f.rule_id},
                          {"severity", to_string(f.severity)},
                          {"title", f.title},
                          {"root_cause", f.root_cause},
                          {"fix", f.fix},
                          {"fields", fields_to_json(f.fields)}});
    }
    domains.push_back({{"domain", r.domain},
                       {"checked", r.checked},
                       {"srv", std::move(srv)},
                       {"tls", std::move(tls)},
                       {"findings", std::move(findings)},
                       {"notes", r.notes}});
  }
  return domains;
}

}  // namespace

std::string reports_to_json(const std::vector<DomainReport>& reports, int indent) {
  ordered_json root = {{"domains", domains_json(reports)}};
  return dump_json(root, indent) + "\n";
}

std::string domains_json_text(const std::vector<DomainReport>& reports) {
  return dump_json(domains_json(reports));
}

}  // namespace fedtriage::preflight
