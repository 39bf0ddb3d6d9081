// Test helper: a CA and server certificates made with the OpenSSL API at test time (EC P-256,
// fast), so that no certificate in the repository can drift out of its validity.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <string>
#include <vector>

namespace fedtriage::testing {

struct TestCert {
  std::string cert_pem;
  std::string key_pem;
  std::string der;  // the certificate
};

struct CertSpec {
  std::string cn;
  std::vector<std::string> san;  // DNS names; empty: no subjectAltName extension
  std::vector<std::string> eku = {"serverAuth", "clientAuth"};  // empty: no EKU extension
  int64_t not_before = 0;  // seconds since the epoch; 0: one day ago
  int64_t not_after = 0;   // 0: in one year
  bool ca = false;
};

namespace detail {

inline std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string s(data, static_cast<size_t>(n));
  BIO_free(bio);
  return s;
}

inline void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext) {
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
}

}  // namespace detail

// Holds its key so that it can sign other certificates.
class TestCa {
 public:
  explicit TestCa(const std::string& name) {
    CertSpec spec;
    spec.cn = name;
    spec.eku.clear();
    spec.ca = true;
    key_ = EVP_EC_gen("P-256");
    cert_ = make(spec, key_, nullptr, nullptr, &pem_);
  }
  ~TestCa() {
    X509_free(cert_);
    EVP_PKEY_free(key_);
  }
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  const std::string& pem() const { return pem_.cert_pem; }

  TestCert issue(const CertSpec& spec) const {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    TestCert out;
    X509* cert = make(spec, key, cert_, key_, &out);
    X509_free(cert);
    EVP_PKEY_free(key);
    return out;
  }

 private:
  static X509* make(const CertSpec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key,
                    TestCert* out) {
    static long serial = 1000;
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), ++serial);
    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    ASN1_TIME_set(X509_getm_notBefore(cert),
                  static_cast<time_t>(spec.not_before ? spec.not_before : now - 86400));
    ASN1_TIME_set(X509_getm_notAfter(cert),
                  static_cast<time_t>(spec.not_after ? spec.not_after : now + 365 * 86400));
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("fedtriage test"), -1, -1, 0);
    if (!spec.cn.empty()) {
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(spec.cn.c_str()), -1, -1,
                                 0);
    }
    X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : name);
    X509_set_pubkey(cert, key);
    X509* self_or_issuer = issuer ? issuer : cert;
    if (spec.ca) {
      detail::add_ext(cert, self_or_issuer, NID_basic_constraints, "critical,CA:TRUE");
      detail::add_ext(cert, self_or_issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
    }
    detail::add_ext(cert, self_or_issuer, NID_subject_key_identifier, "hash");
    if (issuer) detail::add_ext(cert, self_or_issuer, NID_authority_key_identifier, "keyid");
    if (!spec.san.empty()) {
      std::string san;
      for (const std::string& s : spec.san) san += (san.empty() ? "DNS:" : ",DNS:") + s;
      detail::add_ext(cert, self_or_issuer, NID_subject_alt_name, san);
    }
    if (!spec.eku.empty()) {
      std::string eku;
      for (const std::string& e : spec.eku) eku += (eku.empty() ? "" : ",") + e;
      detail::add_ext(cert, self_or_issuer, NID_ext_key_usage, eku);
    }
    X509_sign(cert, issuer_key ? issuer_key : key, EVP_sha256());

    BIO* b = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(b, cert);
    out->cert_pem = detail::bio_text(b);
    b = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr);
    out->key_pem = detail::bio_text(b);
    unsigned char* der = nullptr;
    const int n = i2d_X509(cert, &der);
    out->der.assign(reinterpret_cast<char*>(der), static_cast<size_t>(n));
    OPENSSL_free(der);
    return cert;
  }

  EVP_PKEY* key_ = nullptr;
  X509* cert_ = nullptr;
  TestCert pem_;
};

}  // namespace fedtriage::testing
