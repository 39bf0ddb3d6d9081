#include "lib/redact/pem_redactor.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <map>

namespace fedtriage::redact {
namespace {

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using NamePtr = std::unique_ptr<X509_NAME, Deleter<X509_NAME, X509_NAME_free>>;
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using NamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES, GENERAL_NAMES_free>>;

std::string_view label_of(std::string_view begin_line) {
  constexpr std::string_view kBegin = "-----BEGIN ";
  size_t start = begin_line.find(kBegin);
  if (start == std::string_view::npos) return {};
  start += kBegin.size();
  const size_t end = begin_line.find("-----", start);
  return end == std::string_view::npos ? begin_line.substr(start)
                                       : begin_line.substr(start, end - start);
}

std::string utf8(const ASN1_STRING* s) {
  unsigned char* out = nullptr;
  const int n = ASN1_STRING_to_UTF8(&out, s);
  if (n < 0) return {};
  std::string text(reinterpret_cast<char*>(out), static_cast<size_t>(n));
  OPENSSL_free(out);
  return text;
}

bool looks_like_host(std::string_view v) {
  if (v.empty()) return false;
  for (char c : v) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '*' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

// Keys per pseudonymised issuer/subject name, so that a CA and what it signed stay a chain.
struct PemRedactor::Keys {
  std::map<std::string, KeyPtr> by_name;
};

PemRedactor::PemRedactor(TextRedactor& text) : text_(text), keys_(std::make_unique<Keys>()) {}
PemRedactor::~PemRedactor() = default;

namespace {

// Country kept (not identifying on its own); host-like CN and DC mapped as host names;
// e-mail as text (user@host); anything else (O, OU, L, ST, a CA's "Contoso Issuing CA")
// becomes a consistent Name<N>.
NamePtr redact_name(const X509_NAME* in, TextRedactor& text) {
  NamePtr out(X509_NAME_new());
  for (int i = 0; i < X509_NAME_entry_count(in); ++i) {
    const X509_NAME_ENTRY* e = X509_NAME_get_entry(in, i);
    const int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
    const std::string value = utf8(X509_NAME_ENTRY_get_data(e));
    std::string mapped;
    if (nid == NID_countryName) {
      mapped = value;
    } else if ((nid == NID_commonName || nid == NID_domainComponent) && looks_like_host(value)) {
      mapped = text.map().domain(value);
    } else if (nid == NID_pkcs9_emailAddress) {
      mapped = text.line(value);
    } else {
      mapped = text.map().display_name(value);
    }
    const int type =
        nid == NID_countryName || nid == NID_domainComponent || nid == NID_pkcs9_emailAddress
            ? MBSTRING_ASC
            : MBSTRING_UTF8;
    X509_NAME_add_entry_by_NID(out.get(), nid, type,
                               reinterpret_cast<const unsigned char*>(mapped.data()),
                               static_cast<int>(mapped.size()), -1, 0);
  }
  return out;
}

std::string name_key(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

// A key of the same type and size as the original's (RSA bits, EC curve); else EC P-256.
KeyPtr new_key_like(const EVP_PKEY* original) {
  if (original != nullptr && EVP_PKEY_is_a(original, "RSA")) {
    const size_t bits = static_cast<size_t>(EVP_PKEY_get_bits(original));
    if (bits >= 1024 && bits <= 8192)
      return KeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", bits));
  }
  if (original != nullptr && EVP_PKEY_is_a(original, "EC")) {
    char curve[80] = {0};
    size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(original, "group", curve, sizeof curve, &len) == 1) {
      if (EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve)) return KeyPtr(k);
    }
  }
  return KeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

// SAN with DNS names mapped as hosts, addresses through the address maps, e-mail and URIs as
// text; other forms (directory names, otherName) dropped.
NamesPtr redact_san(const GENERAL_NAMES* in, TextRedactor& text) {
  NamesPtr out(sk_GENERAL_NAME_new_null());
  for (int i = 0; i < sk_GENERAL_NAME_num(in); ++i) {
    const GENERAL_NAME* g = sk_GENERAL_NAME_value(in, i);
    std::string mapped;
    int type = g->type;
    if (g->type == GEN_DNS) {
      mapped = text.map().domain(utf8(g->d.dNSName));
    } else if (g->type == GEN_EMAIL || g->type == GEN_URI) {
      mapped = text.line(utf8(g->d.ia5));
    } else if (g->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* ip = g->d.iPAddress;
      char buf[64] = {0};
      const unsigned char* b = ASN1_STRING_get0_data(ip);
      if (ASN1_STRING_length(ip) == 4) {
        snprintf(buf, sizeof buf, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
        mapped = text.map().ipv4(buf);
      } else if (ASN1_STRING_length(ip) == 16) {
        std::string v6;
        for (int k = 0; k < 16; k += 2) {
          snprintf(buf, sizeof buf, "%s%x", k == 0 ? "" : ":", (b[k] << 8) | b[k + 1]);
          v6 += buf;
        }
        mapped = text.map().ipv6(v6);
      } else {
        continue;
      }
    } else {
      continue;
    }
    GENERAL_NAME* n = nullptr;
    if (type == GEN_IPADD) {
      n = a2i_GENERAL_NAME(nullptr, nullptr, nullptr, GEN_IPADD, mapped.c_str(), 0);
    } else {
      n = GENERAL_NAME_new();
      ASN1_IA5STRING* s = ASN1_IA5STRING_new();
      ASN1_STRING_set(s, mapped.data(), static_cast<int>(mapped.size()));
      GENERAL_NAME_set0_value(n, type, s);
    }
    if (n != nullptr) sk_GENERAL_NAME_push(out.get(), n);
  }
  return out;
}

void copy_extension(const X509* from, X509* to, int nid) {
  const int at = X509_get_ext_by_NID(from, nid, -1);
  if (at >= 0) X509_add_ext(to, X509_get_ext(from, at), -1);
}

}  // namespace

std::vector<std::string> PemRedactor::block(const std::vector<std::string>& lines) {
  const std::string label = lines.empty() ? std::string() : std::string(label_of(lines[0]));
  if (label.find("PRIVATE KEY") != std::string::npos) return {std::string(kPrivateKeyRemoved)};
  const bool certificate =
      label == "CERTIFICATE" || label == "TRUSTED CERTIFICATE" || label == "X509 CERTIFICATE";
  const std::string removed =
      "# " + (label.empty() ? std::string("PEM") : label) + " block removed by fedtriage redact";
  if (!certificate) return {removed};

  std::string pem;
  for (const std::string& l : lines) pem += l + "\n";
  BioPtr in(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509Ptr orig(label == "TRUSTED CERTIFICATE"
                   ? PEM_read_bio_X509_AUX(in.get(), nullptr, nullptr, nullptr)
                   : PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr));
  if (!orig) return {"# CERTIFICATE removed by fedtriage redact: it could not be read"};

  X509Ptr x(X509_new());
  NamePtr subject = redact_name(X509_get_subject_name(orig.get()), text_);
  NamePtr issuer = redact_name(X509_get_issuer_name(orig.get()), text_);
  const std::string subject_key = name_key(subject.get());
  const std::string issuer_key = name_key(issuer.get());

  // The certificate's own key, and its issuer's: one per name, so that the regenerated CA
  // (self-signed: the same name) signs with the key its subordinates were signed with.
  const EVP_PKEY* orig_key = X509_get0_pubkey(orig.get());
  auto key_for = [&](const std::string& name) -> EVP_PKEY* {
    auto it = keys_->by_name.find(name);
    if (it == keys_->by_name.end()) it = keys_->by_name.emplace(name, new_key_like(orig_key)).first;
    return it->second.get();
  };
  EVP_PKEY* own = key_for(subject_key);
  EVP_PKEY* signer = key_for(issuer_key);
  if (own == nullptr || signer == nullptr) {
    return {"# CERTIFICATE removed by fedtriage redact: no key could be generated"};
  }

  // A random serial: the original's, with its issuer, would find the certificate in public
  // Certificate Transparency logs.
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x.get()));
  BN_free(bn);

  X509_set_version(x.get(), X509_VERSION_3);
  X509_set_subject_name(x.get(), subject.get());
  X509_set_issuer_name(x.get(), issuer.get());
  X509_set1_notBefore(x.get(), X509_get0_notBefore(orig.get()));
  X509_set1_notAfter(x.get(), X509_get0_notAfter(orig.get()));
  X509_set_pubkey(x.get(), own);
  for (int nid : {NID_basic_constraints, NID_key_usage, NID_ext_key_usage}) {
    copy_extension(orig.get(), x.get(), nid);
  }
  int critical = 0;
  if (auto* san = static_cast<GENERAL_NAMES*>(
          X509_get_ext_d2i(orig.get(), NID_subject_alt_name, &critical, nullptr))) {
    NamesPtr original(san);
    NamesPtr mapped = redact_san(original.get(), text_);
    if (sk_GENERAL_NAME_num(mapped.get()) > 0) {
      X509_add1_ext_i2d(x.get(), NID_subject_alt_name, mapped.get(), critical, X509V3_ADD_DEFAULT);
    }
  }

  // The original's digest (a SHA-1 certificate stays one), SHA-256 when that cannot sign.
  int md_nid = NID_undef;
  const EVP_MD* md = nullptr;
  if (X509_get_signature_info(orig.get(), &md_nid, nullptr, nullptr, nullptr) == 1) {
    md = EVP_get_digestbynid(md_nid);
  }
  if (md == nullptr || X509_sign(x.get(), signer, md) <= 0) {
    if (X509_sign(x.get(), signer, EVP_sha256()) <= 0) {
      return {"# CERTIFICATE removed by fedtriage redact: it could not be signed again"};
    }
  }

  BioPtr out(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(out.get(), x.get());
  char* data = nullptr;
  const long n = BIO_get_mem_data(out.get(), &data);
  std::vector<std::string> result;
  std::string_view text(data, static_cast<size_t>(n));
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    result.emplace_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return result;
}

}  // namespace fedtriage::redact
