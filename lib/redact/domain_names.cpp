#include "lib/redact/domain_names.h"

#include <algorithm>
#include <iterator>

namespace fedtriage::redact {
namespace {

// A curated list rather than the whole IANA root: two-letter file extensions (.sh, .py, .md)
// and component names in logs ("network.sip") must not be taken for domains.
constexpr std::string_view kTlds[] = {
    "com",      "net",      "org",       "edu",     "gov",      "mil",     "int",         "info",
    "biz",      "name",     "pro",       "mobi",    "aero",     "coop",    "museum",      "cloud",
    "online",   "site",     "tech",      "app",     "dev",      "xyz",     "company",     "global",
    "email",    "systems",  "solutions", "network", "services", "group",   "health",      "bank",
    "law",      "legal",    "travel",    "shop",    "lab",      "local",   "lan",         "corp",
    "internal", "intranet", "home",      "test",    "example",  "invalid", "localdomain", "private",
    "ad",       "uk",       "de",        "fr",      "nl",       "be",      "ch",          "at",
    "se",       "no",       "dk",        "fi",      "it",       "es",      "pt",          "ie",
    "pl",       "cz",       "jp",        "cn",      "in",       "au",      "nz",          "ca",
    "us",       "br",       "mx",        "ru",      "za",       "sg",      "hk",          "kr",
    "tw",       "il",       "ae",        "eu",      "io",       "co",      "me",          "tv",
    "lu",       "gr",       "hu",        "ro",      "tr",       "ar",      "cl",          "sa",
    "my",       "th",       "ph",        "id",      "vn",       "is",      "ee"};

constexpr std::string_view kSecondLevel[] = {"co", "com", "org", "net", "ac",  "gov", "edu",
                                             "ne", "or",  "gv",  "ltd", "plc", "gob", "nic"};

constexpr std::string_view kConventionalLabels[] = {
    "sip",          "sipfed",       "sipexternal",
    "sipinternal",  "lyncdiscover", "lyncdiscoverinternal",
    "access",       "webconf",      "av",
    "www",          "meet",         "dialin",
    "autodiscover", "scheduler",    "lyncweb",
    "pool"};

std::string_view last_label(std::string_view name) {
  size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

bool equals_nocase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

bool in_list(std::string_view word, auto const& list) {
  return std::any_of(std::begin(list), std::end(list),
                     [&](std::string_view t) { return equals_nocase(t, word); });
}

}  // namespace

bool has_known_tld(std::string_view name) {
  if (name.find('.') == std::string_view::npos) return false;
  const std::string_view tld = last_label(name);
  // Most dotted tokens in logs end in a number or a long word: rejected before the list.
  if (tld.size() < 2 || tld.size() > 11 || (tld[0] >= '0' && tld[0] <= '9')) return false;
  return in_list(tld, kTlds);
}

int public_suffix_labels(std::string_view name) {
  if (!in_list(last_label(name), kTlds)) return 0;
  const std::string_view tld = last_label(name);
  // Two-level suffixes only under country codes: "co.uk", "com.au", not "co.com".
  if (tld.size() != 2 || name.size() <= tld.size() + 1) return 1;
  std::string_view rest = name.substr(0, name.size() - tld.size() - 1);
  std::string_view second = last_label(rest);
  // "x.co.uk" is a suffix only with a label in front of it; "co.uk" alone is one too.
  return in_list(second, kSecondLevel) ? 2 : 1;
}

bool is_conventional_label(std::string_view label) {
  return in_list(label, kConventionalLabels);
}

}  // namespace fedtriage::redact
