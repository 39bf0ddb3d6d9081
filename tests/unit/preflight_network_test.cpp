// `fedtriage check` against local services: dnsmasq as the DNS server (SRV and A records on a
// free port), openssl s_server per test certificate, a server that never answers, one that
// closes mid-handshake, and an SRV answer with 50 targets. No internet needed; skipped when
// dnsmasq or openssl is not installed.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "lib/preflight/preflight_check.h"
#include "lib/preflight/srv_lookup.h"
#include "lib/rules/rule_set.h"
#include "tests/support/run_binary.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certificates.h"
#include "tests/support/test_services.h"

namespace fedtriage::preflight {
namespace {

using namespace std::chrono_literals;
using testing::CertSpec;
using testing::ChildProcess;
using testing::TestCa;

constexpr const char* kDnsmasq = "/usr/sbin/dnsmasq";
constexpr const char* kOpenssl = "/usr/bin/openssl";
constexpr int kTimeoutMs = 1000;

struct Services {
  testing::TempDir dir;
  TestCa ca{"fedtriage test CA"};
  TestCa unknown_ca{"some other CA"};
  std::string ca_file;
  std::map<std::string, uint16_t> ports;  // certificate name -> s_server port
  std::vector<ChildProcess> tls_servers;
  testing::SilentServer silent;
  testing::ClosingServer closing;
  uint16_t refused_port = 0;
  uint16_t dns_port = 0;
  ChildProcess dnsmasq;
  std::string problem;  // why the services could not start

  void serve(const std::string& name, const testing::TestCert& cert,
             std::vector<std::string> extra = {}) {
    const std::string c = dir.write(name + ".crt", cert.cert_pem);
    const std::string k = dir.write(name + ".key", cert.key_pem);
    const uint16_t port = testing::free_port();
    std::vector<std::string> argv = {
        kOpenssl, "s_server", "-accept", "127.0.0.1:" + std::to_string(port), "-cert", c, "-key",
        k,        "-www",     "-quiet"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    tls_servers.emplace_back(argv, dir.path() + "/" + name + ".log");
    if (!testing::wait_for_port(port, 5s)) problem += "s_server " + name + " did not start; ";
    ports[name] = port;
  }

  Services() {
    ca_file = dir.write("ca.pem", ca.pem());
    auto spec = [](const std::string& host) {
      CertSpec s;
      s.cn = host;
      s.san = {host};
      return s;
    };
    serve("good", ca.issue(spec("expe.good.test")));
    CertSpec nosan = spec("expe.nosan.test");
    nosan.san = {"other.nosan.test", "www.nosan.test"};
    serve("nosan", ca.issue(nosan));
    CertSpec cn = spec("expe.cn.test");
    cn.san.clear();
    serve("cn", ca.issue(cn));
    CertSpec expired = spec("expe.expired.test");
    expired.not_before = 946684800;  // 2000-01-01
    expired.not_after = 978307200;   // 2001-01-01
    serve("expired", ca.issue(expired));
    CertSpec server_only = spec("expe.serveronly.test");
    server_only.eku = {"serverAuth"};
    serve("serveronly", ca.issue(server_only));
    serve("unknownca", unknown_ca.issue(spec("expe.unknownca.test")));
    serve("tls11", ca.issue(spec("expe.tls11.test")),
          {"-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"});
    // Mutual TLS as a Microsoft Edge expects it: a client certificate is required.
    serve("mtls", ca.issue(spec("expe.mtls.test")), {"-Verify", "1", "-tls1_2"});
    refused_port = testing::free_port();

    dns_port = testing::free_port();
    std::vector<std::string> argv = {kDnsmasq,
                                     "--no-daemon",
                                     "--port=" + std::to_string(dns_port),
                                     "--listen-address=127.0.0.1",
                                     "--bind-interfaces",
                                     "--no-resolv",
                                     "--no-hosts",
                                     "--conf-file=/dev/null",
                                     "--pid-file",
                                     "--local=/test/",
                                     "--log-facility=-"};
    auto srv = [&argv](const std::string& domain, const std::string& target, uint16_t port) {
      argv.push_back("--srv-host=_sipfederationtls._tcp." + domain + "," + target + "," +
                     std::to_string(port) + ",10,10");
    };
    auto host = [&argv](const std::string& name) {
      argv.push_back("--host-record=" + name + ",127.0.0.1");
    };
    for (const char* name :
         {"good", "nosan", "cn", "expired", "serveronly", "unknownca", "tls11", "mtls"}) {
      const std::string target = std::string("expe.") + name + ".test";
      srv(std::string(name) + ".test", target, ports[name]);
      host(target);
    }
    srv("sub.test", "expe.x.sub.test", ports["good"]);
    host("expe.x.sub.test");
    srv("other.test", "expe.good.test", ports["good"]);
    srv("noaddr.test", "gone.noaddr.test", ports["good"]);
    srv("silent.test", "expe.silent.test", silent.port());
    host("expe.silent.test");
    srv("closing.test", "expe.closing.test", closing.port());
    host("expe.closing.test");
    srv("refused.test", "expe.refused.test", refused_port);
    host("expe.refused.test");
    for (int i = 0; i < 50; ++i) {
      const std::string target = "t" + std::to_string(100 + i) + ".many.test";
      srv("many.test", target, refused_port);
      host(target);
    }
    dnsmasq = ChildProcess(argv, dir.path() + "/dnsmasq.log");
    // dnsmasq also answers over TCP on its port: ready when that accepts.
    if (!testing::wait_for_port(dns_port, 5s)) problem += "dnsmasq did not start; ";
  }

  CheckOptions options() const {
    CheckOptions o;
    o.resolver.server = "127.0.0.1:" + std::to_string(dns_port);
    o.resolver.timeout_ms = 2000;
    o.timeout_ms = kTimeoutMs;
    o.ca_file = ca_file;
    o.now = static_cast<int64_t>(std::time(nullptr));
    return o;
  }
};

class PreflightNetworkTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (access(kDnsmasq, X_OK) != 0 || access(kOpenssl, X_OK) != 0) return;
    services_ = new Services();
  }
  static void TearDownTestSuite() {
    delete services_;
    services_ = nullptr;
  }
  void SetUp() override {
    if (access(kDnsmasq, X_OK) != 0) {
      GTEST_SKIP() << kDnsmasq << " not installed (Debian package dnsmasq-base)";
    }
    if (access(kOpenssl, X_OK) != 0) {
      GTEST_SKIP() << kOpenssl << " not installed (Debian package openssl)";
    }
    ASSERT_TRUE(services_->problem.empty()) << services_->problem;
  }

  static DomainReport check(const std::string& domain) {
    static const RuleSet rules = RuleSet::embedded();
    return check_domain(domain, services_->options(), rules);
  }

  static std::vector<std::string> rules_of(const DomainReport& r) {
    std::vector<std::string> out;
    for (const Finding& f : r.findings) out.push_back(f.rule_id);
    return out;
  }

  static std::string field(const Finding& f, std::string_view k) {
    const std::string* v = find_field(f.fields, k);
    return v ? *v : "<unset>";
  }

  static Services* services_;
};
Services* PreflightNetworkTest::services_ = nullptr;

TEST_F(PreflightNetworkTest, GoodDomainPasses) {
  const DomainReport r = check("good.test");
  EXPECT_TRUE(r.checked);
  EXPECT_TRUE(r.findings.empty()) << ::testing::PrintToString(rules_of(r));
  ASSERT_EQ(r.srv.size(), 1u);
  EXPECT_EQ(r.srv[0].target, "expe.good.test");
  EXPECT_EQ(r.srv[0].port, services_->ports["good"]);
  EXPECT_EQ(r.srv[0].priority, 10);
  EXPECT_EQ(r.srv[0].addresses, std::vector<std::string>{"127.0.0.1"});
  ASSERT_EQ(r.tls.size(), 1u);
  EXPECT_TRUE(r.tls[0].version == "TLSv1.3" || r.tls[0].version == "TLSv1.2") << r.tls[0].version;
  EXPECT_EQ(r.tls[0].certificate.san, std::vector<std::string>{"expe.good.test"});
}

TEST_F(PreflightNetworkTest, SrvTargetInASubdomain) {
  const DomainReport r = check("sub.test");
  ASSERT_FALSE(r.findings.empty());
  const Finding& f = r.findings[0];
  EXPECT_EQ(f.rule_id, "srv-domain-mismatch");
  EXPECT_EQ(field(f, "domain"), "sub.test");
  EXPECT_EQ(field(f, "fqdn"), "expe.x.sub.test");
  EXPECT_EQ(field(f, "relation"), "subdomain");
  EXPECT_EQ(field(f, "srv_record"), "_sipfederationtls._tcp.sub.test");
  EXPECT_NE(f.root_cause.find("which is in a subdomain (x.sub.test) of sub.test"),
            std::string::npos)
      << f.root_cause;
  // The good server's certificate does not carry expe.x.sub.test either.
  EXPECT_EQ(rules_of(r), (std::vector<std::string>{"srv-domain-mismatch", "cert-fqdn-mismatch"}));
}

TEST_F(PreflightNetworkTest, SrvTargetInADifferentDomain) {
  const DomainReport r = check("other.test");
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"srv-domain-mismatch"});
  EXPECT_EQ(field(r.findings[0], "relation"), "different-domain");
}

TEST_F(PreflightNetworkTest, NoSrvRecord) {
  const DomainReport r = check("none.test");
  EXPECT_TRUE(r.checked);
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"srv-record-missing"});
  EXPECT_EQ(field(r.findings[0], "srv_record"), "_sipfederationtls._tcp.none.test");
}

TEST_F(PreflightNetworkTest, SrvTargetWithoutAddress) {
  const DomainReport r = check("noaddr.test");
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"srv-target-unresolved"});
  EXPECT_EQ(field(r.findings[0], "fqdn"), "gone.noaddr.test");
  EXPECT_TRUE(r.tls.empty());
}

TEST_F(PreflightNetworkTest, SanWithoutTheFqdn) {
  const DomainReport r = check("nosan.test");
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"cert-fqdn-mismatch"});
  EXPECT_EQ(field(r.findings[0], "expected_fqdn"), "expe.nosan.test");
  EXPECT_EQ(field(r.findings[0], "cert_name"), "other.nosan.test, www.nosan.test");
}

TEST_F(PreflightNetworkTest, CnOnlyCertificatePasses) {
  const DomainReport r = check("cn.test");
  EXPECT_TRUE(r.findings.empty()) << ::testing::PrintToString(rules_of(r));
  ASSERT_EQ(r.tls.size(), 1u);
  EXPECT_TRUE(r.tls[0].certificate.san.empty());
}

TEST_F(PreflightNetworkTest, ExpiredCertificate) {
  const DomainReport r = check("expired.test");
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"cert-expired"});
  EXPECT_EQ(field(r.findings[0], "not_after"), "2001-01-01T00:00:00Z");
}

TEST_F(PreflightNetworkTest, ServerAuthOnlyCertificate) {
  const DomainReport r = check("serveronly.test");
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"cert-missing-client-auth"});
  EXPECT_EQ(field(r.findings[0], "eku"), "serverAuth");
}

TEST_F(PreflightNetworkTest, UnknownCa) {
  const DomainReport r = check("unknownca.test");
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"cert-untrusted"});
}

TEST_F(PreflightNetworkTest, OldTlsVersion) {
  const DomainReport r = check("tls11.test");
  ASSERT_EQ(r.tls.size(), 1u);
  if (r.tls[0].version.empty()) {
    GTEST_SKIP() << "this OpenSSL will not speak TLS 1.1: " << r.tls[0].error;
  }
  EXPECT_EQ(r.tls[0].version, "TLSv1.1");
  EXPECT_EQ(rules_of(r), std::vector<std::string>{"tls-version-too-old"});
}

TEST_F(PreflightNetworkTest, ServerThatDemandsAClientCertificate) {
  // The probe sends none, so TLS 1.2 ends after the server's certificate: it is still checked.
  const DomainReport r = check("mtls.test");
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"tls-negotiation-failure"});
  ASSERT_EQ(r.tls.size(), 1u);
  EXPECT_TRUE(r.tls[0].have_certificate);
  EXPECT_EQ(r.tls[0].certificate.san, std::vector<std::string>{"expe.mtls.test"});
  EXPECT_FALSE(r.tls[0].error.empty());
}

TEST_F(PreflightNetworkTest, ServerThatNeverAnswersTimesOut) {
  const auto start = std::chrono::steady_clock::now();
  const DomainReport r = check("silent.test");
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"tls-negotiation-failure"});
  EXPECT_NE(field(r.findings[0], "reason").find("no TLS handshake within 1 s"), std::string::npos)
      << field(r.findings[0], "reason");
  EXPECT_LT(took, 5s);
}

TEST_F(PreflightNetworkTest, ServerThatClosesMidHandshake) {
  const DomainReport r = check("closing.test");
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"tls-negotiation-failure"});
  EXPECT_NE(field(r.findings[0], "reason").find("closed the connection"), std::string::npos)
      << field(r.findings[0], "reason");
}

TEST_F(PreflightNetworkTest, NothingListening) {
  const DomainReport r = check("refused.test");
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"srv-target-unreachable"});
  EXPECT_NE(field(r.findings[0], "reason").find("refused"), std::string::npos);
}

TEST_F(PreflightNetworkTest, SrvAnswerWithFiftyTargets) {
  const DomainReport r = check("many.test");  // larger than 512 bytes: c-ares retries over TCP
  ASSERT_EQ(r.srv.size(), 50u);
  EXPECT_EQ(r.srv.front().target, "t100.many.test");
  EXPECT_EQ(r.srv.back().target, "t149.many.test");
  ASSERT_FALSE(r.notes.empty());
  EXPECT_NE(r.notes[0].find("has 50 targets: the first 16"), std::string::npos) << r.notes[0];
  EXPECT_EQ(r.tls.size(), 16u);
  EXPECT_EQ(r.findings.size(), 16u);  // one unreachable target each
}

TEST_F(PreflightNetworkTest, ResolverUnreachable) {
  CheckOptions o = services_->options();
  o.resolver.server = "127.0.0.1:" + std::to_string(services_->refused_port);
  o.resolver.timeout_ms = 500;
  const auto start = std::chrono::steady_clock::now();
  const DomainReport r = check_domain("good.test", o, RuleSet::embedded());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_FALSE(r.checked);
  EXPECT_TRUE(r.findings.empty());
  ASSERT_EQ(r.notes.size(), 1u);
}

TEST_F(PreflightNetworkTest, DnsServerOption) {
  std::string error;
  EXPECT_TRUE(valid_dns_server("127.0.0.1", &error));
  EXPECT_TRUE(valid_dns_server("127.0.0.1:5353", &error));
  EXPECT_TRUE(valid_dns_server("[::1]:5353", &error));
  EXPECT_TRUE(valid_dns_server("::1", &error));
  EXPECT_FALSE(valid_dns_server("dns.example.com", &error));
  EXPECT_FALSE(valid_dns_server("127.0.0.1:99999", &error));
  EXPECT_FALSE(valid_dns_server("[::1", &error));
}

// The binary: exit statuses and the JSON shape.
struct RunResult {
  int status = -1;
  std::string out, err;
};

RunResult run(const std::vector<std::string>& args, const testing::TempDir& dir) {
  const std::string out = dir.path() + "/out.txt", err = dir.path() + "/err.txt";
  const pid_t pid = testing::start_binary(args, out, err);
  int status = 0;
  waitpid(pid, &status, 0);
  RunResult r;
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::stringstream o, e;
  o << std::ifstream(out).rdbuf();
  e << std::ifstream(err).rdbuf();
  r.out = o.str();
  r.err = e.str();
  return r;
}

TEST_F(PreflightNetworkTest, CommandExitStatusAndJson) {
  const std::string server = "127.0.0.1:" + std::to_string(services_->dns_port);
  const testing::TempDir tmp;
  const std::vector<std::string> common = {"--dns-server",     server,      "--ca-file",
                                           services_->ca_file, "--timeout", "1"};
  auto args = [&](std::vector<std::string> a) {
    a.insert(a.begin(), "check");
    a.insert(a.end(), common.begin(), common.end());
    return a;
  };
  RunResult ok = run(args({"good.test", "cn.test"}), tmp);
  EXPECT_EQ(ok.status, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("OK: every check passed"), std::string::npos) << ok.out;

  RunResult bad = run(args({"good.test", "serveronly.test", "--format", "json"}), tmp);
  EXPECT_EQ(bad.status, 4) << bad.out << bad.err;
  const nlohmann::json j = nlohmann::json::parse(bad.out);
  ASSERT_EQ(j["domains"].size(), 2u);
  const auto& d = j["domains"][1];
  EXPECT_EQ(d["domain"], "serveronly.test");
  EXPECT_EQ(d["srv"][0]["target"], "expe.serveronly.test");
  for (const char* k : {"target", "port", "priority", "weight", "addresses"}) {
    EXPECT_TRUE(d["srv"][0].contains(k)) << k;
  }
  for (const char* k : {"target", "port", "version", "subject", "san", "not_after", "eku"}) {
    EXPECT_TRUE(d["tls"][0].contains(k)) << k;
  }
  EXPECT_EQ(d["tls"][0]["eku"], nlohmann::json::array({"serverAuth"}));
  ASSERT_EQ(d["findings"].size(), 1u);
  const auto& f = d["findings"][0];
  EXPECT_EQ(f["rule"], "cert-missing-client-auth");
  EXPECT_EQ(f["severity"], "error");
  for (const char* k : {"rule", "severity", "root_cause", "fix", "fields"}) {
    EXPECT_TRUE(f.contains(k)) << k;
  }
  EXPECT_EQ(f["fields"]["eku"], "serverAuth");

  RunResult unreachable =
      run({"check", "good.test", "--dns-server",
           "127.0.0.1:" + std::to_string(services_->refused_port), "--timeout", "0.5"},
          tmp);
  EXPECT_EQ(unreachable.status, 1) << unreachable.out << unreachable.err;
  EXPECT_NE(unreachable.out.find("NOT CHECKED"), std::string::npos);

  RunResult usage = run({"check", "good.test", "--dns-server", "dns.example.com"}, tmp);
  EXPECT_EQ(usage.status, 2);
}

}  // namespace
}  // namespace fedtriage::preflight
