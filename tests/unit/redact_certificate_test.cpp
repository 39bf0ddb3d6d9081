// Certificates and keys in a bundle: regenerated with pseudonymised names (dates, key usage,
// EKU and the chain kept), keys removed; the host in Expressway bundle file names mapped.
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

#include "lib/redact/log_redactor.h"
#include "lib/redact/pem_redactor.h"
#include "lib/redact/pseudonym_map.h"
#include "lib/redact/text_redactor.h"
#include "tests/support/collecting_sinks.h"

namespace fedtriage::redact {
namespace {

const std::string kScenario =
    std::string(FEDTRIAGE_TESTDATA_DIR) + "/scenarios/expressway-bundle-certificate/";

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
using Cert = std::unique_ptr<X509, X509Free>;

Cert parse(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* x = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return Cert(x);
}

std::string name_text(const X509_NAME* name) {
  BIO* bio = BIO_new(BIO_s_mem());
  X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string s(data, static_cast<size_t>(n));
  BIO_free(bio);
  return s;
}

std::vector<std::string> san_dns(const X509* x) {
  std::vector<std::string> out;
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* g = sk_GENERAL_NAME_value(names, i);
    if (g->type != GEN_DNS) continue;
    out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(g->d.dNSName)),
                     static_cast<size_t>(ASN1_STRING_length(g->d.dNSName)));
  }
  GENERAL_NAMES_free(names);
  return out;
}

// The whole file through a LogRedactor, as the bundle writer does it.
std::string redact_file(const std::string& text, TextRedactor& t, PemRedactor& pem) {
  std::string out;
  LogRedactor r(
      t, [&](std::string_view s) { out.append(s); }, &pem);
  size_t start = 0;
  for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string_view line = std::string_view(text).substr(start, nl - start);
    const bool crlf = !line.empty() && line.back() == '\r';
    if (crlf) line.remove_suffix(1);
    r.line(line, crlf ? "\r\n" : "\n");
  }
  if (start < text.size()) r.line(std::string_view(text).substr(start), "");
  r.finish();
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void expect_redacted_chain(bool server_first) {
  SCOPED_TRACE(server_first ? "server first" : "CA first");
  const std::string server_in = testing::read_file(kScenario + "server_vcse_20170302_071046.pem");
  const std::string ca_in = testing::read_file(kScenario + "ca_vcse_20170302_071046.pem");
  const Cert orig_server = parse(server_in), orig_ca = parse(ca_in);
  ASSERT_TRUE(orig_server && orig_ca);

  PseudonymMap map;
  TextRedactor text(map);
  PemRedactor pem(text);
  std::string server_out, ca_out;
  if (server_first) server_out = redact_file(server_in, text, pem);
  ca_out = redact_file(ca_in, text, pem);
  if (!server_first) server_out = redact_file(server_in, text, pem);
  const Cert server = parse(server_out), ca = parse(ca_out);
  ASSERT_TRUE(server) << server_out;
  ASSERT_TRUE(ca) << ca_out;

  // Only pseudonymised names: none of the original CN / SAN / O values remain.
  const std::string subject = name_text(X509_get_subject_name(server.get()));
  const std::string issuer = name_text(X509_get_issuer_name(server.get()));
  const std::vector<std::string> sans = san_dns(server.get());
  std::string all = subject + "|" + issuer + "|" + name_text(X509_get_subject_name(ca.get()));
  for (const std::string& s : sans) all += "|" + s;
  for (const std::string original : {"vcse", "steven", "fedtriage test", "fedtriage test CA"}) {
    EXPECT_EQ(lower(all).find(original), std::string::npos) << original << " in " << all;
  }
  for (const std::string& s : san_dns(orig_server.get())) {
    EXPECT_EQ(all.find(s), std::string::npos) << s;
  }
  const std::string mapped = map.domain("vcse.steven.lab");
  EXPECT_NE(mapped, "vcse.steven.lab");
  EXPECT_EQ(sans, std::vector<std::string>{mapped});
  EXPECT_NE(subject.find("CN=" + mapped), std::string::npos) << subject;

  // Dates, EKU, CA constraints kept.
  EXPECT_EQ(
      ASN1_TIME_compare(X509_get0_notBefore(server.get()), X509_get0_notBefore(orig_server.get())),
      0);
  EXPECT_EQ(
      ASN1_TIME_compare(X509_get0_notAfter(server.get()), X509_get0_notAfter(orig_server.get())),
      0);
  EXPECT_EQ(ASN1_TIME_compare(X509_get0_notAfter(ca.get()), X509_get0_notAfter(orig_ca.get())), 0);
  EXPECT_EQ(X509_get_extended_key_usage(server.get()),
            X509_get_extended_key_usage(orig_server.get()));
  EXPECT_TRUE(X509_get_extended_key_usage(server.get()) & XKU_SSL_SERVER);
  EXPECT_EQ(X509_check_ca(ca.get()), X509_check_ca(orig_ca.get()));

  // Still a chain: the server certificate verifies against the regenerated CA.
  EXPECT_EQ(X509_check_issued(ca.get(), server.get()), X509_V_OK);
  EXPECT_EQ(X509_verify(server.get(), X509_get0_pubkey(ca.get())), 1);
  EXPECT_EQ(X509_verify(ca.get(), X509_get0_pubkey(ca.get())), 1);
  // Not the original key, not the original serial.
  EXPECT_NE(EVP_PKEY_eq(X509_get0_pubkey(server.get()), X509_get0_pubkey(orig_server.get())), 1);
  EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(server.get()),
                             X509_get0_serialNumber(orig_server.get())),
            0);
}

TEST(RedactCertificate, RegeneratedWithPseudonymsDatesEkuAndChain) {
  expect_redacted_chain(true);
  expect_redacted_chain(false);
}

TEST(RedactCertificate, PrivateKeysAndOtherBlocksAreRemoved) {
  PseudonymMap map;
  TextRedactor text(map);
  PemRedactor pem(text);
  const std::string in =
      "Bag Attributes: vcse.steven.lab\r\n"
      "-----BEGIN PRIVATE KEY-----\r\n"
      "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\r\n"
      "-----END PRIVATE KEY-----\r\n"
      "-----BEGIN RSA PRIVATE KEY-----\n"
      "MIIEowIBAAKCAQEAwx\n"
      "-----END RSA PRIVATE KEY-----\n"
      "-----BEGIN CERTIFICATE REQUEST-----\n"
      "MIIBszCCARwCAQAwczELMAkG\n"
      "-----END CERTIFICATE REQUEST-----\n"
      "-----BEGIN CERTIFICATE-----\n"
      "bm90IGEgY2VydGlmaWNhdGU=\n"
      "-----END CERTIFICATE-----";
  const std::string out = redact_file(in, text, pem);
  EXPECT_EQ(out, "Bag Attributes: " + map.domain("vcse.steven.lab") + "\r\n" +
                     std::string(kPrivateKeyRemoved) + "\r\n" + std::string(kPrivateKeyRemoved) +
                     "\n"
                     "# CERTIFICATE REQUEST block removed by fedtriage redact\n"
                     "# CERTIFICATE removed by fedtriage redact: it could not be read");
}

TEST(RedactCertificate, WithoutPemRedactorBlocksBecomeAComment) {
  PseudonymMap map;
  TextRedactor text(map);
  std::string out;
  LogRedactor r(text, [&](std::string_view s) { out.append(s); });
  r.line("-----BEGIN CERTIFICATE-----", "\n");
  r.line("MIIB", "\n");
  r.line("-----END CERTIFICATE-----", "\n");
  r.finish();
  EXPECT_EQ(out, "# PEM block removed by fedtriage redact\n");
}

// <prefix>_<host>_<YYYYMMDD>_<HHMMSS>.<ext>: the host mapped before any log has named it.
TEST(RedactCertificate, ExpresswayBundleFileNamesMapTheHost) {
  PseudonymMap map;
  TextRedactor text(map);
  const std::string ca = text.file_name("bundle/ca_vcse_20170302_071046.pem");
  const std::string host = map.domain("vcse");
  EXPECT_NE(host, "vcse");
  EXPECT_EQ(ca, "bundle/ca_" + host + "_20170302_071046.pem");
  EXPECT_EQ(text.file_name("server_vcse_20170302_071046.pem"),
            "server_" + host + "_20170302_071046.pem");
  EXPECT_EQ(text.file_name("loggingsnapshot_VCSE_20170302_071046.txt"),
            "loggingsnapshot_" + host + "_20170302_071046.txt");
  EXPECT_EQ(text.file_name("server_vcse.steven.lab_20170302_1010.pem"),
            "server_" + map.domain("vcse.steven.lab") + "_20170302_1010.pem");
  // Other names are left to the text rules.
  EXPECT_EQ(text.file_name("federation_504.log"), "federation_504.log");
  EXPECT_EQ(text.file_name("trace_20170302_071046.log"), "trace_20170302_071046.log");
}

}  // namespace
}  // namespace fedtriage::redact
