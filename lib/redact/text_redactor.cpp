#include "lib/redact/text_redactor.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

#include "lib/redact/domain_names.h"

namespace fedtriage::redact {
namespace {

// Character classes from one table: the scanner asks several per byte.
enum : uint8_t {
  kAlnum = 1,
  kHex = 2,
  kToken = 4,
  kLabel = 8,
  kUser = 16,
  kHost = 32,
  kStart = 64,  // may start a match: letters, digits and _ : " [ * /
};

constexpr std::array<uint8_t, 256> make_classes() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    const bool hex = (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || (c >= '0' && c <= '9');
    uint8_t f = 0;
    if (alnum) f |= kAlnum | kToken | kLabel | kUser | kHost | kStart;
    if (c == '_' || c == ':' || c == '"' || c == '[' || c == '*' || c == '/') f |= kStart;
    if (hex) f |= kHex;
    // Characters that continue a token: a match may only start where the previous one is not.
    if (c == '_' || c == '.' || c == '-') f |= kToken;
    if (c == '_' || c == '-') f |= kLabel | kHost;
    if (c == '.') f |= kHost;
    // RFC 3261 "unreserved" and most user-unreserved, without the separators of log fields
    // ('=', ',', ';', '?', '/'), so that "Call-ID=abc@host" yields the user "abc".
    for (char u : std::string_view("-_.!~*'()+%&$")) {
      if (c == static_cast<unsigned char>(u)) f |= kUser;
    }
    t[static_cast<size_t>(c)] = f;
  }
  return t;
}
constexpr std::array<uint8_t, 256> kClasses = make_classes();

bool has_class(char c, uint8_t cls) {
  return (kClasses[static_cast<unsigned char>(c)] & cls) != 0;
}
bool is_alnum(char c) {
  return has_class(c, kAlnum);
}
bool is_hex(char c) {
  return has_class(c, kHex);
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_token_char(char c) {
  return has_class(c, kToken);
}
bool is_label_char(char c) {
  return has_class(c, kLabel);
}
bool is_user_char(char c) {
  return has_class(c, kUser);
}
bool is_host_char(char c) {
  return has_class(c, kHost);
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool starts_with_nocase(std::string_view s, size_t at, std::string_view prefix) {
  if (s.size() - at < prefix.size() || at > s.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (lower(s[at + i]) != prefix[i]) return false;
  }
  return true;
}

std::string lower_copy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

bool is_secret_key(std::string_view key) {
  static constexpr std::string_view kExact[] = {"opaque",      "rspauth", "snum",     "crand",
                                                "cnum",        "srand",   "response", "signature",
                                                "gssapi-data", "cnonce"};
  static constexpr std::string_view kPart[] = {"password", "passwd",     "pwd",    "secret",
                                               "token",    "credential", "apikey", "api-key",
                                               "api_key",  "passphrase"};
  const std::string k = lower_copy(key);
  for (std::string_view e : kExact) {
    if (k == e) return true;
  }
  for (std::string_view p : kPart) {
    if (k.find(p) != std::string::npos) return true;
  }
  return false;
}

bool valid_ipv4(std::string_view s) {
  if (s.size() < 7 || s.size() > 15) return false;
  in_addr a{};
  return inet_pton(AF_INET, std::string(s).c_str(), &a) == 1;
}

bool valid_ipv6(std::string_view s) {
  if (s.size() < 2 || s.size() > 45) return false;
  in6_addr a{};
  return inet_pton(AF_INET6, std::string(s).c_str(), &a) == 1;
}

size_t count_char(std::string_view s, char c) {
  size_t n = 0;
  for (char x : s) n += x == c ? 1 : 0;
  return n;
}

// True when `before` ends with a label after which the logs put a host: Edge "Peer: ",
// UccApiLog "Sending Packet - ", "Data Received - ", "Local Address: ".
bool follows_host_label(std::string_view before) {
  if (before.empty() || before.back() != ' ') return false;  // every label ends in a blank
  static constexpr std::string_view kLabels[] = {"peer: ", "packet - ", "received - ",
                                                 "local address: "};
  for (std::string_view l : kLabels) {
    if (before.size() >= l.size() && starts_with_nocase(before, before.size() - l.size(), l)) {
      return true;
    }
  }
  return false;
}

// Where the display name ends ('<') when `text` is a header that names a party with an
// unquoted display name, else npos.
size_t unquoted_display_name_end(std::string_view text) {
  static constexpr std::string_view kHeaders[] = {"from",        "to",
                                                  "f",           "t",
                                                  "contact",     "m",
                                                  "referred-by", "p-asserted-identity",
                                                  "reply-to",    "p-preferred-identity",
                                                  "refer-to",    "r"};
  size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '|')) ++i;
  size_t colon = text.find(':', i);
  if (colon == std::string_view::npos || colon == i) return std::string_view::npos;
  std::string name = lower_copy(text.substr(i, colon - i));
  while (!name.empty() && name.back() == ' ') name.pop_back();
  bool known = false;
  for (std::string_view h : kHeaders) known = known || name == h;
  if (!known) return std::string_view::npos;
  size_t v = colon + 1;
  while (v < text.size() && (text[v] == ' ' || text[v] == '\t')) ++v;
  if (v >= text.size() || text[v] == '"' || text[v] == '<') return std::string_view::npos;
  size_t lt = text.find('<', v);
  if (lt == std::string_view::npos) return std::string_view::npos;
  // A display name holds no URI of its own: "sip:a@b <...>" is not one.
  std::string_view candidate = text.substr(v, lt - v);
  if (candidate.find(':') != std::string_view::npos ||
      candidate.find('@') != std::string_view::npos ||
      candidate.find('"') != std::string_view::npos) {
    return std::string_view::npos;
  }
  return lt;
}

bool all_digits(std::string_view s, size_t a, size_t b) {
  if (s.size() < a || s.size() > b) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// An Expressway diagnostic bundle name, <prefix>_<host>_<YYYYMMDD>_<HHMMSS>.<ext>
// ("server_vcse_20170302_071046.pem", "loggingsnapshot_vcse_20170302_071046.txt"): the
// position of <host> in `name`, or false.
bool bundle_host(std::string_view name, size_t* start, size_t* len) {
  const size_t dot = name.rfind('.');
  const std::string_view stem = name.substr(0, dot);
  const size_t t = stem.rfind('_');
  if (t == std::string_view::npos || t == 0 || !all_digits(stem.substr(t + 1), 4, 6)) return false;
  const size_t d = stem.rfind('_', t - 1);
  if (d == std::string_view::npos || d == 0 || !all_digits(stem.substr(d + 1, t - d - 1), 8, 8)) {
    return false;
  }
  const size_t p = stem.find('_');
  if (p == 0 || p >= d) return false;
  const std::string_view prefix = stem.substr(0, p);
  if (!std::all_of(prefix.begin(), prefix.end(), [](char c) { return is_alnum(c); })) {
    return false;
  }
  *start = p + 1;
  *len = d - p - 1;
  return *len > 0;
}

}  // namespace

std::string TextRedactor::host(std::string_view h) {
  if (valid_ipv4(h)) return map_.ipv4(h);
  if (valid_ipv6(h)) return map_.ipv6(h);
  return map_.domain(h);
}

std::string TextRedactor::line(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  // Authorization / Proxy-Authorization header: keep the scheme, drop the credentials.
  // Two plain searches ("Authorization:", "AUTHORIZATION:"), then the exact check: this runs
  // on every line.
  size_t auth = std::string_view::npos;
  for (std::string_view probe :
       {std::string_view("uthorization:"), std::string_view("UTHORIZATION:")}) {
    size_t p = text.find(probe);
    if (p != std::string_view::npos && p > 0 && starts_with_nocase(text, p - 1, "authorization:")) {
      auth = std::min(auth, p - 1);
    }
  }
  if (auth != std::string_view::npos) {
    size_t start = auth;
    if (start >= 6 && starts_with_nocase(text, start - 6, "proxy-")) start -= 6;
    std::string_view prefix = text.substr(0, start);
    size_t p = prefix.find_first_not_of(" \t|");
    const bool header_position = p == std::string_view::npos ||
                                 (prefix.size() >= 3 && prefix.substr(prefix.size() - 3) == ":: ");
    if (header_position) {
      scan(prefix, out);
      size_t colon = auth + std::strlen("authorization:");
      out.append(text.substr(start, colon - start));
      size_t scheme = colon;
      while (scheme < text.size() && (text[scheme] == ' ' || text[scheme] == '\t')) ++scheme;
      size_t scheme_end = scheme;
      while (scheme_end < text.size() && (is_label_char(text[scheme_end]))) ++scheme_end;
      out.append(text.substr(colon, scheme_end - colon));
      if (scheme_end < text.size()) {
        out += ' ';
        out += kRemoved;
      }
      return out;
    }
  }
  // Expressway: "<time> HOST tvcs: ..." names the logging host.
  size_t tvcs = text.find(" tvcs:");
  if (tvcs != std::string_view::npos && tvcs > 0 && tvcs < 120) {
    size_t host_start = text.rfind(' ', tvcs - 1);
    host_start = host_start == std::string_view::npos ? 0 : host_start + 1;
    std::string_view h = text.substr(host_start, tvcs - host_start);
    if (!h.empty() && h.find_first_of("\"=<>|") == std::string_view::npos) {
      scan(text.substr(0, host_start), out);
      out += host(h);
      scan(text.substr(tvcs), out);
      return out;
    }
  }
  // An unquoted display name in a From/To/Contact-like header: "From: Bell, Alexander <sip:..".
  if (size_t name_end = unquoted_display_name_end(text); name_end != std::string_view::npos) {
    size_t colon = text.find(':');
    size_t start = colon + 1;
    while (start < name_end && (text[start] == ' ' || text[start] == '\t')) ++start;
    size_t stop = name_end;
    while (stop > start && (text[stop - 1] == ' ' || text[stop - 1] == '\t')) --stop;
    if (stop > start) {
      scan(text.substr(0, start), out);
      out += map_.display_name(text.substr(start, stop - start));
      scan(text.substr(stop), out);
      return out;
    }
  }
  scan(text, out);
  return out;
}

void TextRedactor::scan(std::string_view t, std::string& out) {
  const size_t n = t.size();
  size_t i = 0;
  while (i < n) {
    const char c = t[i];
    const bool boundary = i == 0 || !is_token_char(t[i - 1]);
    if (!boundary) {
      // The rest of the token, copied at once: nothing starts inside it.
      size_t k = i;
      while (k < n && is_token_char(t[k])) ++k;
      if (k == i) k = i + 1;
      out.append(t.substr(i, k - i));
      i = k;
      continue;
    }
    // "Display Name" <sip:...>
    if (c == '"') {
      size_t close = t.find('"', i + 1);
      if (close != std::string_view::npos && close > i + 1) {
        size_t k = close + 1;
        while (k < n && (t[k] == ' ' || t[k] == '\t')) ++k;
        if (k < n && t[k] == '<') {
          out += '"';
          out += map_.display_name(t.substr(i + 1, close - i - 1));
          out += '"';
          i = close + 1;
          continue;
        }
      }
      out += c;
      ++i;
      continue;
    }
    // URL user info: "://user:password@host" keeps a mapped user, loses the password.
    if (c == '/' && i >= 1 && t[i - 1] == ':' && i + 1 < n && t[i + 1] == '/') {
      size_t at = i + 2;
      while (at < n && std::strchr("/@ \t\"'<>", t[at]) == nullptr) ++at;
      std::string_view info = t.substr(i + 2, at - i - 2);
      size_t colon = info.find(':');
      if (at < n && t[at] == '@' && colon != std::string_view::npos && colon > 0) {
        out += "//";
        out += map_.user(info.substr(0, colon));
        out += ':';
        out += kRemoved;
        out += '@';
        i = at + 1;
        continue;
      }
    }
    // Wildcard certificate names: "*.steven.lab".
    if (c == '*' && i + 2 < n && t[i + 1] == '.' && is_label_char(t[i + 2])) {
      size_t k = i + 2;
      while (k < n && is_host_char(t[k])) ++k;
      std::string_view cand = t.substr(i + 2, k - i - 2);
      while (!cand.empty() && (cand.back() == '.' || cand.back() == '-')) cand.remove_suffix(1);
      if (has_known_tld(cand)) {
        out += "*.";
        out += map_.domain(cand);
        i += 2 + cand.size();
        continue;
      }
    }
    // [IPv6] or Edge's [MACHINE\MACHINE]
    if (c == '[') {
      size_t close = t.find(']', i + 1);
      if (close != std::string_view::npos && close - i < 300) {
        std::string_view inner = t.substr(i + 1, close - i - 1);
        size_t bs = inner.find('\\');
        if (valid_ipv6(inner)) {
          out += '[' + map_.ipv6(inner) + ']';
          i = close + 1;
          continue;
        }
        if (bs != std::string_view::npos && bs > 0 && bs + 1 < inner.size()) {
          std::string_view a = inner.substr(0, bs), b = inner.substr(bs + 1);
          auto all_host = [](std::string_view s) {
            for (char x : s) {
              if (!is_host_char(x)) return false;
            }
            return true;
          };
          if (all_host(a) && all_host(b)) {
            out += '[' + host(a) + '\\' + host(b) + ']';
            i = close + 1;
            continue;
          }
        }
      }
      out += c;
      ++i;
      continue;
    }
    if (is_alnum(c) || c == '_') {
      // Fast path for plain words ("INFO", "Sending"): an identifier needs '.', '@', '=' or
      // ':' right after its first label, or a host label before it.
      size_t k = i;
      while (k < n && is_label_char(t[k])) ++k;
      const char next = k < n ? t[k] : ' ';
      if (next != '.' && next != '@' && next != '=' && next != ':' && !is_user_char(next) &&
          !follows_host_label(t.substr(0, i))) {
        out.append(t.substr(i, k - i));
        i = k;
        continue;
      }
    }
    if (is_alnum(c) || c == '_' || c == ':') {
      // Key=value secrets.
      if (c != ':') {
        size_t k = i;
        while (k < n && is_label_char(t[k])) ++k;
        // Expressway aliases may be a bare number or user: Src-alias="+14155550123".
        if (k + 1 < n && t[k] == '=' && t[k + 1] == '"' && k - i >= 5 &&
            lower_copy(t.substr(k - 5, 5)) == "alias") {
          size_t close = t.find('"', k + 2);
          std::string_view value =
              close == std::string_view::npos ? std::string_view() : t.substr(k + 2, close - k - 2);
          if (!value.empty() && value.find_first_of("@:. ") == std::string_view::npos) {
            out.append(t.substr(i, k + 2 - i));
            out += map_.user(value);
            out += '"';
            i = close + 1;
            continue;
          }
        }
        if (k < n && t[k] == '=' && is_secret_key(t.substr(i, k - i))) {
          out.append(t.substr(i, k + 1 - i));
          size_t v = k + 1;
          if (v < n && t[v] == '"') {
            size_t close = t.find('"', v + 1);
            v = close == std::string_view::npos ? n : close + 1;
            out += '"';
            out += kRemoved;
            out += '"';
          } else {
            while (v < n && std::strchr(",; \t\"<>&", t[v]) == nullptr) ++v;
            out += kRemoved;
          }
          i = v;
          continue;
        }
      }
      // sip:/sips:/tel: URIs
      size_t scheme = starts_with_nocase(t, i, "sips:")  ? 5
                      : starts_with_nocase(t, i, "sip:") ? 4
                      : starts_with_nocase(t, i, "tel:") ? 4
                                                         : 0;
      if (scheme > 0) {
        out.append(t.substr(i, scheme));
        size_t j = i + scheme;
        if (scheme == 4 && lower(c) == 't') {
          size_t k = j;
          while (k < n && (is_digit(t[k]) || std::strchr("+-.()", t[k]) != nullptr)) ++k;
          out += map_.user(t.substr(j, k - j));
          i = k;
          continue;
        }
        // Inside a URI the user part may hold '=', ';', ',', '?' and '/' too (RFC 3261
        // user-unreserved): "sip:proxy-call-id=...@10.1.2.3".
        size_t k = j;
        while (k < n && (is_user_char(t[k]) || std::strchr("=;,?/", t[k]) != nullptr)) ++k;
        // A user part holding '=' is a routing token ("proxy-call-id=<uuid>"), not a user.
        if (k < n && t[k] == '@' && k > j &&
            t.substr(j, k - j).find('=') != std::string_view::npos) {
          scan(t.substr(j, k - j), out);
          out += '@';
          j = k + 1;
        } else if (k < n && t[k] == '@' && k > j) {
          out += map_.user(t.substr(j, k - j));
          out += '@';
          j = k + 1;
        }
        if (j < n && t[j] == '[') {
          size_t close = t.find(']', j);
          if (close != std::string_view::npos && valid_ipv6(t.substr(j + 1, close - j - 1))) {
            out += '[' + map_.ipv6(t.substr(j + 1, close - j - 1)) + ']';
            i = close + 1;
            continue;
          }
        }
        k = j;
        while (k < n && is_host_char(t[k])) ++k;
        std::string_view h = t.substr(j, k - j);
        while (!h.empty() && h.back() == '.') h.remove_suffix(1);
        out += host(h);
        i = j + h.size();
        continue;
      }
      // user@host: aliases, e-mail addresses, Call-IDs that embed a host or an address.
      if (c != ':') {
        size_t k = i;
        while (k < n && is_user_char(t[k])) ++k;
        if (k < n && t[k] == '@' && k + 1 < n && (is_alnum(t[k + 1]) || t[k + 1] == '[')) {
          size_t j = k + 1;
          std::string mapped_host;
          if (t[j] == '[') {
            size_t close = t.find(']', j);
            if (close != std::string_view::npos && valid_ipv6(t.substr(j + 1, close - j - 1))) {
              mapped_host = '[' + map_.ipv6(t.substr(j + 1, close - j - 1)) + ']';
              j = close + 1;
            }
          } else {
            size_t e = j;
            while (e < n && is_host_char(t[e])) ++e;
            std::string_view h = t.substr(j, e - j);
            while (!h.empty() && h.back() == '.') h.remove_suffix(1);
            mapped_host = host(h);
            j += h.size();
          }
          if (!mapped_host.empty()) {
            out += map_.user(t.substr(i, k - i));
            out += '@';
            out += mapped_host;
            i = j;
            continue;
          }
        }
      }
      // IPv6 (at least three colons, so that times such as 14:31:38 and Edge thread ids
      // such as 0D6C::03 are left alone).
      if (is_hex(c) || c == ':') {
        size_t k = i;
        while (k < n && (is_hex(t[k]) || t[k] == ':' || t[k] == '.')) ++k;
        std::string_view cand = t.substr(i, k - i);
        while (!cand.empty() && cand.back() == '.') cand.remove_suffix(1);
        if (count_char(cand, ':') >= 3 && (i + cand.size() >= n || !is_alnum(t[i + cand.size()])) &&
            valid_ipv6(cand)) {
          out += map_.ipv6(cand);
          i += cand.size();
          continue;
        }
      }
      if (c == ':') {
        out += c;
        ++i;
        continue;
      }
      // Where the log says a host comes next ("Peer: sfbfe01:5061"), the token is a host
      // whatever it looks like: single-label names too.
      if (follows_host_label(t.substr(0, i))) {
        size_t k = i;
        while (k < n && is_host_char(t[k])) ++k;
        std::string_view h = t.substr(i, k - i);
        while (!h.empty() && (h.back() == '.' || h.back() == '-')) h.remove_suffix(1);
        if (!h.empty()) {
          out += host(h);
          i += h.size();
          continue;
        }
      }
      // IPv4
      if (is_digit(c)) {
        size_t k = i;
        while (k < n && (is_digit(t[k]) || t[k] == '.')) ++k;
        std::string_view cand = t.substr(i, k - i);
        if (!cand.empty() && cand.back() == '.') cand.remove_suffix(1);
        const bool glued = i + cand.size() < n && is_label_char(t[i + cand.size()]);
        if (!glued && count_char(cand, '.') == 3 && valid_ipv4(cand)) {
          out += map_.ipv4(cand);
          i += cand.size();
          continue;
        }
      }
      // DNS names with a known top-level domain; other dotted tokens ("SIPAdminLog.cpp",
      // "X8.11.4", branch ids) are copied whole so that no part of them matches later.
      size_t k = i;
      while (k < n && is_host_char(t[k])) ++k;
      std::string_view cand = t.substr(i, k - i);
      while (!cand.empty() && (cand.back() == '.' || cand.back() == '-')) cand.remove_suffix(1);
      if (cand.find('.') != std::string_view::npos) {
        if (has_known_tld(cand)) {
          out += map_.domain(cand);
        } else {
          out.append(cand);
        }
        i += cand.size();
        continue;
      }
      // A host name learned elsewhere (a logging host), here with a port: "sfvedge:5061".
      {
        size_t k = i;
        while (k < n && is_label_char(t[k])) ++k;
        // Words starting with a digit are times and ids far more often than hosts.
        if (k + 1 < n && t[k] == ':' && is_digit(t[k + 1]) && k - i >= 3 && !is_digit(c)) {
          if (auto known = map_.known_domain(lower_copy(t.substr(i, k - i)))) {
            out += *known;
            i = k;
            continue;
          }
        }
      }
      // A plain word: copied whole.
      size_t w = i;
      while (w < n && (is_alnum(t[w]) || t[w] == '_')) ++w;
      out.append(t.substr(i, w - i));
      i = w;
      continue;
    }
    // Punctuation and blanks up to the next character that may start something.
    size_t k = i + 1;
    while (k < n && !has_class(t[k], kStart)) ++k;
    out.append(t.substr(i, k - i));
    i = k;
  }
}

std::string TextRedactor::file_name(std::string_view path) {
  std::string out;
  size_t start = 0;
  for (;;) {
    size_t slash = path.find('/', start);
    std::string_view part =
        path.substr(start, slash == std::string_view::npos ? slash : slash - start);
    size_t host_at = 0, host_len = 0;
    if (bundle_host(part, &host_at, &host_len)) {
      // The host is mapped as one even when no log has named it yet (members come in any
      // order: ca_<host>_*.pem before the log that reveals <host>).
      out += line(part.substr(0, host_at));
      out += map_.domain(part.substr(host_at, host_len));
      out += line(part.substr(host_at + host_len));
    } else {
      out += replace_known_hosts(line(part));
    }
    if (slash == std::string_view::npos) break;
    out += '/';
    start = slash + 1;
  }
  return out;
}

std::string TextRedactor::replace_known_hosts(const std::string& name) {
  // Single-label host names learned from contents, inside a name ("sfvedge_trace.log",
  // "vm-fed-vcse1-diag.txt"): looked up word by word, with and without its dashes.
  auto known = [&](std::string_view word) -> std::optional<std::string> {
    if (word.size() < 3) return std::nullopt;
    return map_.known_domain(lower_copy(word));
  };
  std::string out;
  size_t i = 0;
  while (i < name.size()) {
    if (!is_alnum(name[i])) {
      out += name[i++];
      continue;
    }
    size_t k = i;
    while (k < name.size() && (is_alnum(name[k]) || name[k] == '-')) ++k;
    std::string_view word = std::string_view(name).substr(i, k - i);
    // Dash-separated pieces: the longest run of them that is a known host, from each piece.
    std::vector<std::string_view> pieces;
    for (size_t a = 0; a <= word.size();) {
      size_t dash = std::min(word.find('-', a), word.size());
      pieces.push_back(word.substr(a, dash - a));
      a = dash + 1;
    }
    for (size_t a = 0; a < pieces.size();) {
      size_t taken = 0;
      for (size_t b = pieces.size(); b > a && taken == 0; --b) {
        const size_t from = static_cast<size_t>(pieces[a].data() - word.data());
        const size_t to =
            static_cast<size_t>(pieces[b - 1].data() - word.data()) + pieces[b - 1].size();
        if (auto mapped = known(word.substr(from, to - from))) {
          out += *mapped;
          taken = b - a;
        }
      }
      if (taken == 0) {
        out.append(pieces[a]);
        taken = 1;
      }
      a += taken;
      if (a < pieces.size()) out += '-';
    }
    i = k;
  }
  return out;
}

}  // namespace fedtriage::redact
