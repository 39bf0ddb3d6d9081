// `fedtriage check`: preflight of a federation before calls fail (or right after a fix):
// the DNS SRV record and the Expressway-E certificate, online or from a certificate file.
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/cli_support.h"
#include "app/command_line.h"
#include "app/exit_status.h"
#include "lib/base/sys_error.h"
#include "lib/preflight/preflight_check.h"
#include "lib/report/report_format.h"
#include "lib/rules/rule_set.h"

namespace po = boost::program_options;

namespace fedtriage::cli {
namespace {

constexpr size_t kMaxPemBytes = 1 << 20;  // a certificate file is a few KB

bool read_small_file(const std::string& path, std::string* text, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open: " + sys_error_message(errno);
    return false;
  }
  text->resize(kMaxPemBytes + 1);
  in.read(text->data(), static_cast<std::streamsize>(text->size()));
  text->resize(static_cast<size_t>(in.gcount()));
  if (in.bad()) {
    *error = "read error";
    return false;
  }
  if (text->size() > kMaxPemBytes) {
    *error = "larger than 1 MiB: not a certificate file";
    return false;
  }
  return true;
}

}  // namespace

int run_check(const Args& args, const GlobalOptions&) {
  std::vector<std::string> domains, certs;
  std::string dns_server, ca_file, format_name = "text", fqdn, rules_dir, color = "auto";
  ReportFormat format = ReportFormat::Text;
  double timeout_s = 5;
  po::options_description desc(
      "Usage: fedtriage check DOMAIN... [--dns-server IP[:PORT]] [--ca-file PEM] [--timeout S]\n"
      "                       [--format text|json]\n"
      "       fedtriage check --cert FILE.pem [--fqdn NAME] [--ca-file PEM] [--format text|json]\n"
      "\n"
      "Checks a federated domain before calls fail: the _sipfederationtls._tcp SRV record (its\n"
      "targets must be FQDNs in exactly DOMAIN), their A/AAAA records, a TLS handshake with\n"
      "each target (TLS 1.2 or later) and its certificate (chain trusted, the target FQDN in\n"
      "SAN or CN, dates, serverAuth and clientAuth EKU). Only a TLS handshake is sent. With\n"
      "--cert, checks certificate files the same way, offline. Verdicts use the rule ids and\n"
      "texts of the rule set (see `fedtriage rules list`).\n"
      "\n"
      "Exit status: 0 every check passed (warnings allowed), 1 nothing could be checked\n"
      "(resolver unreachable, unreadable certificate), 2 usage error, 3 some domains or files\n"
      "could not be checked, 4 a finding of severity error.\n\nOptions");
  desc.add_options()("help,h", "this help")("dns-server",
                                            po::value(&dns_server)->value_name("IP[:PORT]"),
                                            "DNS server to ask (default: the system resolver)")(
      "ca-file", po::value(&ca_file)->value_name("PEM"), "trusted CAs (default: the system store)")(
      "timeout", number_option(&timeout_s, "timeout", 0.001, 300.0)->value_name("S"),
      "seconds per DNS lookup and per TCP connect + TLS handshake (default 5)")(
      "format", po::value(&format_name)->value_name(format_names(ReportKind::Preflight)),
      "output format (default text)")(
      "cert", po::value(&certs)->value_name("FILE"),
      "check a PEM certificate file (leaf first, then intermediates); repeatable")(
      "fqdn", po::value(&fqdn)->value_name("NAME"),
      "with --cert: the FQDN the certificate must carry (the SRV target)")(
      "rules", po::value(&rules_dir)->value_name("DIR"), "rule files in DIR (for the texts)")(
      "color", po::value(&color)->value_name("auto|always|never"),
      "colour (auto: on a terminal, unless NO_COLOR is set)")("no-color", "same as --color never");
  po::options_description hidden;
  hidden.add_options()("domain", po::value(&domains));
  po::positional_options_description pos;
  pos.add("domain", -1);
  po::variables_map vm;
  if (auto stop = parse_command_line({"check", &desc, &hidden, &pos}, args, vm, [&] {
        if (vm.count("no-color")) color = "never";
        if (color != "auto" && color != "always" && color != "never") {
          throw std::invalid_argument("--color: auto, always or never");
        }
        std::string format_error;
        auto parsed = parse_report_format(ReportKind::Preflight, format_name, &format_error);
        if (!parsed) throw std::invalid_argument(format_error);
        format = *parsed;
        if (!(timeout_s > 0 && timeout_s <= 300)) {
          throw std::invalid_argument("--timeout: seconds, more than 0 and at most 300");
        }
        if (domains.empty() && certs.empty())
          throw std::invalid_argument("give a DOMAIN or --cert FILE");
        if (!domains.empty() && !certs.empty()) {
          throw std::invalid_argument("give DOMAINs or --cert files, not both");
        }
        if (!fqdn.empty() && certs.empty()) throw std::invalid_argument("--fqdn goes with --cert");
        std::string error;
        if (!dns_server.empty() && !preflight::valid_dns_server(dns_server, &error)) {
          throw std::invalid_argument("--dns-server: " + error);
        }
      })) {
    return *stop;
  }
  if (!ca_file.empty() && access(ca_file.c_str(), R_OK) != 0) {
    std::cerr << "fedtriage check: error: cannot read --ca-file " << ca_file << "\n";
    return kFatal;
  }
  const RuleSet rules = load_rules(rules_dir);
  preflight::CheckOptions options;
  options.resolver.server = dns_server;
  options.resolver.timeout_ms = static_cast<int>(timeout_s * 1000);
  options.timeout_ms = options.resolver.timeout_ms;
  options.ca_file = ca_file;
  options.now = static_cast<int64_t>(std::time(nullptr));

  std::vector<preflight::DomainReport> reports;
  for (const std::string& d : domains) {
    reports.push_back(preflight::check_domain(d, options, rules));
  }
  for (const std::string& path : certs) {
    std::string pem, error;
    if (!read_small_file(path, &pem, &error)) {
      preflight::DomainReport r;
      r.domain = path;
      r.checked = false;
      r.notes.push_back(path + ": " + error);
      reports.push_back(std::move(r));
      continue;
    }
    reports.push_back(preflight::check_certificate_pem(path, pem, fqdn, options, rules));
    if (fqdn.empty()) reports.back().notes.push_back("no --fqdn: the names were not checked");
  }

  const bool use_color = color == "always" || (color == "auto" && isatty(STDOUT_FILENO) &&
                                               std::getenv("NO_COLOR") == nullptr);
  std::cout << render_preflight(reports, format, use_color);
  size_t checked = 0;
  bool error_found = false;
  for (const preflight::DomainReport& r : reports) {
    checked += r.checked;
    for (const Finding& f : r.findings) error_found |= f.severity >= FindingSeverity::Error;
  }
  if (checked == 0) return kFatal;
  if (error_found) return kFindingsAtLevel;
  return checked < reports.size() ? kPartialInput : kOk;
}

}  // namespace fedtriage::cli
