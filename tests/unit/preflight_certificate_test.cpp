// lib/preflight certificate_check and the rule set's wording of its verdicts, on certificates
// made at test time.
#include <gtest/gtest.h>

#include <ctime>
#include <set>

#include "lib/preflight/bundle_certificates.h"
#include "lib/preflight/certificate_check.h"
#include "lib/preflight/preflight_check.h"
#include "lib/preflight/verdict_finding.h"
#include "lib/report/preflight_report.h"
#include "lib/rules/rule_set.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certificates.h"

namespace fedtriage::preflight {
namespace {

using testing::CertSpec;
using testing::TempDir;
using testing::TestCa;

const std::string* field(const Fields& f, std::string_view k) {
  return find_field(f, k);
}

class CertificateCheckTest : public ::testing::Test {
 protected:
  CertificateCheckTest() : ca_("fedtriage test CA"), other_ca_("unknown CA") {
    ca_file_ = dir_.write("ca.pem", ca_.pem());
  }

  CertificateCheckResult check(const CertSpec& spec, const std::string& fqdn = "expe.a.test",
                               const TestCa* issuer = nullptr) {
    CertificateCheckInput in;
    in.chain_der = {(issuer ? *issuer : ca_).issue(spec).der};
    in.expected_fqdn = fqdn;
    in.where = "expe.a.test:5061";
    in.ca_file = ca_file_;
    in.now = now_;
    return check_certificate(in);
  }

  static std::vector<std::string> rules_of(const CertificateCheckResult& r) {
    std::vector<std::string> out;
    for (const Verdict& v : r.verdicts) out.push_back(v.rule_id);
    return out;
  }

  static CertSpec good() {
    CertSpec s;
    s.cn = "expe.a.test";
    s.san = {"expe.a.test", "www.a.test"};
    return s;
  }

  TempDir dir_;
  TestCa ca_, other_ca_;
  std::string ca_file_;
  int64_t now_ = static_cast<int64_t>(std::time(nullptr));
};

TEST_F(CertificateCheckTest, GoodCertificatePasses) {
  const CertificateCheckResult r = check(good());
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.verdicts.empty()) << ::testing::PrintToString(rules_of(r));
  EXPECT_EQ(r.facts.san, (std::vector<std::string>{"expe.a.test", "www.a.test"}));
  EXPECT_EQ(r.facts.eku, (std::vector<std::string>{"serverAuth", "clientAuth"}));
  EXPECT_EQ(r.facts.common_name, "expe.a.test");
  EXPECT_NE(r.facts.subject.find("CN=expe.a.test"), std::string::npos);
}

TEST_F(CertificateCheckTest, SanWithoutTheFqdn) {
  CertSpec s = good();
  s.san = {"other.a.test", "www.a.test"};
  const CertificateCheckResult r = check(s);
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"cert-fqdn-mismatch"});
  EXPECT_EQ(*field(r.verdicts[0].fields, "expected_fqdn"), "expe.a.test");
  EXPECT_EQ(*field(r.verdicts[0].fields, "cert_name"), "other.a.test, www.a.test");
}

TEST_F(CertificateCheckTest, CnOnlyIsUsedWhenThereIsNoSan) {
  CertSpec s = good();
  s.san.clear();
  EXPECT_TRUE(check(s).verdicts.empty());
  s.cn = "vcse.a.test";
  const CertificateCheckResult r = check(s);
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"cert-fqdn-mismatch"});
  EXPECT_EQ(*field(r.verdicts[0].fields, "cert_name"), "vcse.a.test");
}

TEST_F(CertificateCheckTest, CnIsIgnoredWhenThereIsASan) {
  CertSpec s = good();
  s.san = {"www.a.test"};  // CN still expe.a.test
  EXPECT_EQ(rules_of(check(s)), std::vector<std::string>{"cert-fqdn-mismatch"});
}

TEST_F(CertificateCheckTest, Expired) {
  CertSpec s = good();
  s.not_before = 946684800;  // 2000-01-01
  s.not_after = 978307200;   // 2001-01-01
  const CertificateCheckResult r = check(s);
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"cert-expired"});
  EXPECT_EQ(*field(r.verdicts[0].fields, "not_after"), "2001-01-01T00:00:00Z");
}

TEST_F(CertificateCheckTest, NotYetValid) {
  CertSpec s = good();
  s.not_before = now_ + 10 * 86400;
  s.not_after = now_ + 400 * 86400;
  EXPECT_EQ(rules_of(check(s)), std::vector<std::string>{"cert-not-yet-valid"});
}

TEST_F(CertificateCheckTest, ExpiresWithinThirtyDaysIsAWarning) {
  CertSpec s = good();
  s.not_after = now_ + 12 * 86400 + 3600;
  const CertificateCheckResult r = check(s);
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"cert-expires-soon"});
  EXPECT_EQ(*field(r.verdicts[0].fields, "days_left"), "12");
  s.not_after = now_ + 31 * 86400;
  EXPECT_TRUE(check(s).verdicts.empty());
}

TEST_F(CertificateCheckTest, ServerAuthOnly) {
  CertSpec s = good();
  s.eku = {"serverAuth"};
  const CertificateCheckResult r = check(s);
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"cert-missing-client-auth"});
  EXPECT_EQ(*field(r.verdicts[0].fields, "eku"), "serverAuth");
}

TEST_F(CertificateCheckTest, ClientAuthOnly) {
  CertSpec s = good();
  s.eku = {"clientAuth"};
  EXPECT_EQ(rules_of(check(s)), std::vector<std::string>{"cert-missing-server-auth"});
}

TEST_F(CertificateCheckTest, NoEkuExtensionAllowsAnyUse) {
  CertSpec s = good();
  s.eku.clear();
  EXPECT_TRUE(check(s).verdicts.empty());
}

TEST_F(CertificateCheckTest, UnknownCa) {
  const CertificateCheckResult r = check(good(), "expe.a.test", &other_ca_);
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"cert-untrusted"});
  EXPECT_EQ(*field(r.verdicts[0].fields, "reason"), "unable to get local issuer certificate");
  EXPECT_EQ(*field(r.verdicts[0].fields, "trust_store"), ca_file_);
}

TEST_F(CertificateCheckTest, SeveralProblemsAtOnce) {
  CertSpec s = good();
  s.san = {"www.a.test"};
  s.eku = {"serverAuth"};
  s.not_after = 978307200;
  s.not_before = 946684800;
  EXPECT_EQ(rules_of(check(s, "expe.a.test", &other_ca_)),
            (std::vector<std::string>{"cert-untrusted", "cert-expired", "cert-fqdn-mismatch",
                                      "cert-missing-client-auth"}));
}

TEST_F(CertificateCheckTest, PemFiles) {
  std::vector<std::string> der;
  std::string error;
  EXPECT_FALSE(pem_certificates("hello", &der, &error));
  EXPECT_NE(error.find("no PEM certificate"), std::string::npos);
  der.clear();
  const std::string two = ca_.issue(good()).cert_pem + ca_.pem();
  ASSERT_TRUE(pem_certificates(two, &der, &error)) << error;
  EXPECT_EQ(der.size(), 2u);
  der.clear();
  EXPECT_FALSE(pem_certificates("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                                &der, &error));
}

TEST_F(CertificateCheckTest, VerdictsAreWordedByTheRuleSet) {
  const RuleSet rules = RuleSet::embedded();
  CertSpec s = good();
  s.san = {"other.a.test"};
  s.eku = {"serverAuth"};
  const CertificateCheckResult r = check(s);
  ASSERT_EQ(r.verdicts.size(), 2u);
  const Finding name = verdict_finding(rules, r.verdicts[0]);
  EXPECT_EQ(name.rule_id, "cert-fqdn-mismatch");
  EXPECT_EQ(name.title,
            "Expressway-E certificate does not carry the FQDN the SRV record points to");
  EXPECT_EQ(name.severity, FindingSeverity::Error);
  EXPECT_EQ(name.root_cause,
            "The certificate of expe.a.test:5061 is for other.a.test and does not contain "
            "expe.a.test, the name the federation SRV record points to. Skype for Business / "
            "Lync will refuse the TLS connection (SEC_E_WRONG_PRINCIPAL) and answer 504 Server "
            "time-out with ms-diagnostics 1010.");
  EXPECT_NE(name.fix.find("lists expe.a.test as a Subject Alternative Name"), std::string::npos);
  EXPECT_EQ(find_field(name.fields, "preflight"), nullptr);
  EXPECT_EQ(*find_field(name.fields, "expected_fqdn"), "expe.a.test");
  EXPECT_EQ(*find_field(name.fields, "cert_name"), "other.a.test");

  const Finding eku = verdict_finding(rules, r.verdicts[1]);
  EXPECT_EQ(eku.rule_id, "cert-missing-client-auth");
  EXPECT_NE(eku.root_cause.find("allows only serverAuth, not TLS Web Client Authentication"),
            std::string::npos)
      << eku.root_cause;
}

TEST_F(CertificateCheckTest, ARuleSetWithoutTheRuleStillGivesTheVerdict) {
  const RuleSet rules = RuleSet::from_text("empty.yaml", "rules: []\n");
  const Finding f = verdict_finding(rules, Verdict{"cert-expired", {{"where", "x"}}});
  EXPECT_EQ(f.rule_id, "cert-expired");
  EXPECT_EQ(f.severity, FindingSeverity::Error);
  EXPECT_NE(f.root_cause.find("has no rule 'cert-expired'"), std::string::npos);
}

TEST_F(CertificateCheckTest, CertificateTextIsOutputSafe) {
  CertSpec s = good();
  s.cn = "evil\x1b]0;owned\x07.a.test";
  s.san.clear();
  CheckOptions o;
  o.ca_file = ca_file_;
  o.now = now_;
  const DomainReport r = check_certificate_pem("cert.pem", ca_.issue(s).cert_pem, "expe.a.test", o,
                                               RuleSet::embedded());
  ASSERT_TRUE(r.checked);
  const std::string text = reports_to_text({r}, false);
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
  EXPECT_EQ(text.find('\x07'), std::string::npos) << text;
  EXPECT_NE(text.find("cert-fqdn-mismatch"), std::string::npos) << text;
  const std::string json = reports_to_json({r});
  EXPECT_EQ(json.find('\x1b'), std::string::npos);
  EXPECT_NE(json.find("\\u001b"), std::string::npos) << json;
}

TEST_F(CertificateCheckTest, BundleCertificatesAreFoundByName) {
  BundleCertificates bundle;
  const std::string pem = ca_.issue(good()).cert_pem;
  bundle.offer("b.tar.gz!/diag/server_vcse_20170302_0710.pem", pem);
  bundle.offer("b.tar.gz!/diag/ca_vcse_20170302_0710.pem", ca_.pem());
  bundle.offer("b.tar.gz!/diag/server.pem", pem);               // no host and time stamp
  bundle.offer("b.tar.gz!/diag/server_vcse_1.txt", pem);        // not .pem
  bundle.offer("b.tar.gz!/diag/server_vcse_1.pem", "hello\n");  // no certificate
  bundle.offer("b.tar.gz!/diag/myserver_vcse_1.pem", pem);
  ASSERT_EQ(bundle.servers().size(), 1u);
  EXPECT_EQ(bundle.servers()[0].host, "vcse");
  ASSERT_EQ(bundle.cas().size(), 1u);

  std::set<std::string> fqdns;
  Finding srv;
  srv.rule_id = "srv-domain-mismatch";
  srv.fields = {{"domain", "a.test"}, {"fqdn", "Expe.A.test"}};
  Finding cert;
  cert.rule_id = "cert-fqdn-mismatch";
  cert.fields = {{"expected_fqdn", "vcse.a.test"}};
  collect_expected_fqdns({srv, cert}, &fqdns);
  EXPECT_EQ(fqdns, (std::set<std::string>{"expe.a.test", "vcse.a.test"}));

  const std::vector<DomainReport> r =
      check_bundle_certificates(bundle, fqdns, now_, RuleSet::embedded());
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].checked);
  EXPECT_TRUE(r[0].notes.empty()) << r[0].notes[0];
  ASSERT_EQ(r[0].findings.size(), 1u);  // trusted by the bundle's CA list, lacks vcse.a.test
  EXPECT_EQ(r[0].findings[0].rule_id, "cert-fqdn-mismatch");
  EXPECT_EQ(*find_field(r[0].findings[0].fields, "expected_fqdn"), "vcse.a.test");
}

TEST_F(CertificateCheckTest, BundleCertificateWithoutCaListOrNames) {
  BundleCertificates bundle;
  CertSpec s = good();
  s.eku = {"serverAuth"};
  bundle.offer("server_vcse_1.pem", other_ca_.issue(s).cert_pem);
  const std::vector<DomainReport> r =
      check_bundle_certificates(bundle, {}, now_, RuleSet::embedded());
  ASSERT_EQ(r.size(), 1u);
  ASSERT_EQ(r[0].notes.size(), 2u);
  EXPECT_NE(r[0].notes[0].find("trust not checked"), std::string::npos);
  EXPECT_NE(r[0].notes[1].find("names not checked"), std::string::npos);
  ASSERT_EQ(r[0].findings.size(), 1u);
  EXPECT_EQ(r[0].findings[0].rule_id, "cert-missing-client-auth");
}

}  // namespace
}  // namespace fedtriage::preflight
