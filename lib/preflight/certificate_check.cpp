#include "lib/preflight/certificate_check.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>

namespace fedtriage::preflight {
namespace {

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX, X509_STORE_CTX_free>>;

void free_x509_stack(STACK_OF(X509) * s) {
  sk_X509_pop_free(s, X509_free);
}

X509Ptr from_der(const std::string& der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  return X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
}

std::string name_text(const X509_NAME* name) {
  if (!name) return {};
  BioPtr bio(BIO_new(BIO_s_mem()));
  // RFC 2253 with UTF-8 kept as it is (not \UXXXX); output safety is the renderer's job.
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

std::string asn1_text(const ASN1_STRING* s) {
  if (!s) return {};
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<size_t>(ASN1_STRING_length(s)));
}

std::string common_name(X509* cert) {
  const X509_NAME* subject = X509_get_subject_name(cert);
  const int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (i < 0) return {};
  return asn1_text(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i)));
}

std::vector<std::string> dns_names(X509* cert) {
  std::vector<std::string> out;
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* g = sk_GENERAL_NAME_value(names, i);
    if (g->type == GEN_DNS) out.push_back(asn1_text(g->d.dNSName));
  }
  GENERAL_NAMES_free(names);
  return out;
}

std::vector<std::string> eku_names(X509* cert, bool* present) {
  std::vector<std::string> out;
  auto* eku =
      static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(cert, NID_ext_key_usage, nullptr, nullptr));
  *present = eku != nullptr;
  if (!eku) return out;
  for (int i = 0; i < sk_ASN1_OBJECT_num(eku); ++i) {
    const ASN1_OBJECT* obj = sk_ASN1_OBJECT_value(eku, i);
    const int nid = OBJ_obj2nid(obj);
    if (nid != NID_undef) {
      out.emplace_back(OBJ_nid2sn(nid));
    } else {
      char buf[128];
      OBJ_obj2txt(buf, sizeof buf, obj, 1);
      out.emplace_back(buf);
    }
  }
  sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
  return out;
}

bool asn1_seconds(const ASN1_TIME* t, int64_t* out) {
  struct tm tm {};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return false;
  *out = static_cast<int64_t>(timegm(&tm));
  return true;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// The time errors of the leaf itself are reported as cert-expired / cert-not-yet-valid; the
// trust verdict is about the chain.
int ignore_leaf_time(int ok, X509_STORE_CTX* ctx) {
  if (ok) return ok;
  const int err = X509_STORE_CTX_get_error(ctx);
  if (X509_STORE_CTX_get_error_depth(ctx) == 0 &&
      (err == X509_V_ERR_CERT_HAS_EXPIRED || err == X509_V_ERR_CERT_NOT_YET_VALID)) {
    return 1;
  }
  return ok;
}

// Empty when the chain verifies, else OpenSSL's reason.
// Adds every certificate of a PEM text to `store`; false when there is none.
bool load_pem_cas(X509_STORE* store, const std::string& pem) {
  std::vector<std::string> der;
  std::string error;
  pem_certificates(pem, &der, &error);
  size_t added = 0;
  for (const std::string& d : der) {
    if (X509Ptr c = from_der(d)) added += X509_STORE_add_cert(store, c.get()) == 1;
  }
  ERR_clear_error();
  return added > 0;
}

std::string verify_chain(X509* leaf, const std::vector<X509Ptr>& rest,
                         const CertificateCheckInput& in, std::string* store_error) {
  const std::string& ca_file = in.ca_file;
  StorePtr store(X509_STORE_new());
  if (!store) return "out of memory";
  const int loaded = !in.ca_pem.empty() ? load_pem_cas(store.get(), in.ca_pem)
                     : ca_file.empty()  ? X509_STORE_set_default_paths(store.get())
                                        : X509_STORE_load_file(store.get(), ca_file.c_str());
  if (loaded != 1) {
    ERR_clear_error();
    *store_error = !in.ca_pem.empty() ? "no CA certificate in the CA list"
                   : ca_file.empty()  ? "the system CA store could not be loaded"
                                      : "no CA certificate could be read from " + ca_file;
    return *store_error;
  }
  std::unique_ptr<STACK_OF(X509), Deleter<STACK_OF(X509), free_x509_stack>> untrusted(
      sk_X509_new_null());
  for (const X509Ptr& c : rest) {
    X509_up_ref(c.get());
    sk_X509_push(untrusted.get(), c.get());
  }
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), leaf, untrusted.get()) != 1) {
    return "cannot set up verification";
  }
  X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(in.now));
  X509_STORE_CTX_set_verify_cb(ctx.get(), ignore_leaf_time);
  const int ok = X509_verify_cert(ctx.get());
  ERR_clear_error();
  if (ok == 1) return {};
  return X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
}

Verdict verdict(std::string rule, const std::string& where, const CertificateFacts& f) {
  Verdict v{std::move(rule), {{"where", where}}};
  if (!f.subject.empty()) v.fields.emplace_back("subject", f.subject);
  return v;
}

}  // namespace

std::string format_utc_seconds(int64_t seconds) {
  const time_t t = static_cast<time_t>(seconds);
  struct tm tm {};
  if (!gmtime_r(&t, &tm)) return "?";
  char buf[40];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool pem_certificates(std::string_view pem, std::vector<std::string>* der, std::string* error) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  while (true) {
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) break;
    unsigned char* buf = nullptr;
    const int n = i2d_X509(cert.get(), &buf);
    if (n <= 0) break;
    der->emplace_back(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
    OPENSSL_free(buf);
  }
  // The loop ends on "no start line" at the end of the text; anything else is damage.
  const unsigned long e = ERR_peek_last_error();
  const bool clean_end = e == 0 || ERR_GET_REASON(e) == PEM_R_NO_START_LINE;
  ERR_clear_error();
  if (der->empty()) {
    *error = "no PEM certificate (-----BEGIN CERTIFICATE-----) in it";
    return false;
  }
  if (!clean_end) {
    *error = "a PEM certificate block does not decode";
    return false;
  }
  return true;
}

CertificateCheckResult check_certificate(const CertificateCheckInput& in) {
  CertificateCheckResult r;
  if (in.chain_der.empty()) {
    r.error = "no certificate";
    return r;
  }
  std::vector<X509Ptr> chain;
  for (const std::string& der : in.chain_der) {
    X509Ptr c = from_der(der);
    if (!c) {
      ERR_clear_error();
      r.error = "a certificate does not decode";
      return r;
    }
    chain.push_back(std::move(c));
  }
  X509* leaf = chain.front().get();
  std::vector<X509Ptr> rest;
  for (size_t i = 1; i < chain.size(); ++i) rest.push_back(std::move(chain[i]));

  CertificateFacts& f = r.facts;
  f.subject = name_text(X509_get_subject_name(leaf));
  f.issuer = name_text(X509_get_issuer_name(leaf));
  f.common_name = common_name(leaf);
  f.san = dns_names(leaf);
  f.eku = eku_names(leaf, &f.has_eku);
  int64_t not_before = 0, not_after = 0;
  const bool have_before = asn1_seconds(X509_get0_notBefore(leaf), &not_before);
  const bool have_after = asn1_seconds(X509_get0_notAfter(leaf), &not_after);
  if (have_before) f.not_before = format_utc_seconds(not_before);
  if (have_after) f.not_after = format_utc_seconds(not_after);
  r.ok = true;

  if (in.check_trust) {
    std::string store_error;
    const std::string why = verify_chain(leaf, rest, in, &store_error);
    if (!store_error.empty()) {
      r.ok = false;
      r.error = store_error;
      return r;
    }
    if (!why.empty()) {
      Verdict v = verdict("cert-untrusted", in.where, f);
      if (!f.issuer.empty()) v.fields.emplace_back("issuer", f.issuer);
      v.fields.emplace_back("reason", why);
      v.fields.emplace_back("trust_store", in.ca_file.empty() ? "the system CA store" : in.ca_file);
      r.verdicts.push_back(std::move(v));
    }
  }

  if (have_after && in.now > not_after) {
    Verdict v = verdict("cert-expired", in.where, f);
    v.fields.emplace_back("not_after", f.not_after);
    if (!in.expected_fqdn.empty()) v.fields.emplace_back("expected_fqdn", in.expected_fqdn);
    r.verdicts.push_back(std::move(v));
  } else if (have_before && in.now < not_before) {
    Verdict v = verdict("cert-not-yet-valid", in.where, f);
    v.fields.emplace_back("not_before", f.not_before);
    r.verdicts.push_back(std::move(v));
  }

  if (!in.expected_fqdn.empty() &&
      X509_check_host(leaf, in.expected_fqdn.data(), in.expected_fqdn.size(),
                      X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr) != 1) {
    Verdict v{"cert-fqdn-mismatch", {{"where", in.where}, {"expected_fqdn", in.expected_fqdn}}};
    const std::string names = f.san.empty() ? f.common_name : join(f.san);
    if (!names.empty()) v.fields.emplace_back("cert_name", names);
    r.verdicts.push_back(std::move(v));
  }

  if (f.has_eku) {
    bool server = false, client = false;
    for (const std::string& e : f.eku) {
      server = server || e == "serverAuth" || e == "anyExtendedKeyUsage";
      client = client || e == "clientAuth" || e == "anyExtendedKeyUsage";
    }
    for (auto [missing, rule] : {std::pair{!server, "cert-missing-server-auth"},
                                 std::pair{!client, "cert-missing-client-auth"}}) {
      if (!missing) continue;
      Verdict v = verdict(rule, in.where, f);
      if (!f.eku.empty()) v.fields.emplace_back("eku", join(f.eku));
      r.verdicts.push_back(std::move(v));
    }
  }

  if (have_after && in.now <= not_after && (!have_before || in.now >= not_before)) {
    const int64_t days_left = (not_after - in.now) / 86400;
    if (days_left < in.warn_days) {
      Verdict v = verdict("cert-expires-soon", in.where, f);
      v.fields.emplace_back("not_after", f.not_after);
      v.fields.emplace_back("days_left", std::to_string(days_left));
      r.verdicts.push_back(std::move(v));
    }
  }
  return r;
}

}  // namespace fedtriage::preflight
