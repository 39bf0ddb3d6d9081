#include "lib/redact/pseudonym_map.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "lib/base/ascii.h"
#include "lib/base/output_file.h"
#include "lib/base/sys_error.h"
#include "lib/redact/domain_names.h"

namespace fedtriage::redact {
namespace {

// Names that identify no one: vendors whose names appear in every log.
constexpr std::string_view kDefaultKept[] = {
    "microsoft.com", "skype.com",  "lync.com",    "cisco.com",   "webex.com",
    "office365.com", "office.com", "outlook.com", "windows.net", "microsoftonline.com",
    "msn.com",       "live.com",   "localhost"};

constexpr std::string_view kKeptUsers[] = {"anonymous", "unknown", "invalid"};

std::vector<std::string_view> split_labels(std::string_view name) {
  std::vector<std::string_view> labels;
  size_t start = 0;
  for (;;) {
    size_t dot = name.find('.', start);
    labels.push_back(name.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return labels;
}

// Private and special IPv4 ranges whose class must survive; everything else is public.
struct Ipv4Class {
  uint32_t base;
  int prefix;
};
constexpr std::array<Ipv4Class, 5> kPrivateClasses = {{
    {0x0A000000u, 8},   // 10/8
    {0xAC100000u, 12},  // 172.16/12
    {0xC0A80000u, 16},  // 192.168/16
    {0xA9FE0000u, 16},  // 169.254/16 link-local
    {0x64400000u, 10},  // 100.64/10 carrier-grade NAT
}};
// Public addresses are renumbered inside 11/8, which is public too.
constexpr Ipv4Class kPublicPool = {0x0B000000u, 8};

bool in_class(uint32_t a, const Ipv4Class& c) {
  uint32_t mask = c.prefix == 0 ? 0 : ~uint32_t{0} << (32 - c.prefix);
  return (a & mask) == c.base;
}

bool ipv4_kept(uint32_t a) {
  uint8_t first = static_cast<uint8_t>(a >> 24);
  return first == 0 || first == 127 || first >= 224;
}

std::optional<uint32_t> parse_ipv4(std::string_view s) {
  if (s.size() > 15) return std::nullopt;
  in_addr addr{};
  if (inet_pton(AF_INET, std::string(s).c_str(), &addr) != 1) return std::nullopt;
  return ntohl(addr.s_addr);
}

std::string format_ipv4(uint32_t a) {
  return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "." +
         std::to_string((a >> 8) & 255) + "." + std::to_string(a & 255);
}

std::string format_net24(uint32_t net) {
  return std::to_string((net >> 16) & 255) + "." + std::to_string((net >> 8) & 255) + "." +
         std::to_string(net & 255);
}

std::optional<uint32_t> parse_net24(std::string_view s) {
  auto a = parse_ipv4(std::string(s) + ".0");
  if (!a) return std::nullopt;
  return *a >> 8;
}

bool is_phone_like(std::string_view user) {
  int digits = 0;
  for (size_t i = 0; i < user.size(); ++i) {
    char c = user[i];
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (!(c == '+' && i == 0) && c != '-' && c != '.' && c != ' ' && c != '(' && c != ')') {
      return false;
    }
  }
  return digits >= 3;
}

std::string escape_field(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  return out;
}

std::string unescape_field(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char n = s[++i];
      out += n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n;
    } else {
      out += s[i];
    }
  }
  return out;
}

constexpr std::array<PseudonymMap::Kind, 8> kAllKinds = {
    PseudonymMap::Kind::Keep,  PseudonymMap::Kind::Domain, PseudonymMap::Kind::Ipv4Net,
    PseudonymMap::Kind::Ipv4,  PseudonymMap::Kind::Ipv6,   PseudonymMap::Kind::User,
    PseudonymMap::Kind::Phone, PseudonymMap::Kind::Name};

}  // namespace

std::string_view PseudonymMap::kind_name(Kind kind) {
  switch (kind) {
    case Kind::Domain:
      return "domain";
    case Kind::Ipv4Net:
      return "ip4net";
    case Kind::Ipv4:
      return "ip4";
    case Kind::Ipv6:
      return "ip6";
    case Kind::User:
      return "user";
    case Kind::Phone:
      return "phone";
    case Kind::Name:
      return "name";
    case Kind::Keep:
      return "keep";
  }
  return "?";
}

PseudonymMap::PseudonymMap() {
  for (std::string_view d : kDefaultKept) kept_.emplace(d);
}

void PseudonymMap::keep_domain(std::string_view domain) {
  std::string d = to_lower_ascii(domain);
  while (!d.empty() && d.back() == '.') d.pop_back();
  if (!d.empty()) kept_.insert(std::move(d));
}

bool PseudonymMap::is_kept(std::string_view name) const {
  for (size_t pos = 0;;) {
    if (kept_.count(name.substr(pos)) != 0) return true;
    size_t dot = name.find('.', pos);
    if (dot == std::string_view::npos) return false;
    pos = dot + 1;
  }
}

std::string PseudonymMap::allocate_label(std::string_view prefix) {
  for (;;) {
    std::string label = std::string(prefix) + std::to_string(next_label_++);
    if (used_labels_.insert(label).second) return label;
  }
}

std::string PseudonymMap::domain(std::string_view name) {
  std::string lower = to_lower_ascii(name);
  std::string trailing;
  while (!lower.empty() && lower.back() == '.') {
    lower.pop_back();
    trailing += '.';
  }
  if (lower.empty() || is_kept(lower)) return std::string(name);
  auto known = domains_.find(lower);
  if (known != domains_.end()) return known->second + trailing;

  const std::vector<std::string_view> labels = split_labels(lower);
  const int suffix = public_suffix_labels(lower);
  if (static_cast<size_t>(suffix) >= labels.size()) return std::string(name);
  // Walk from the right: each name's pseudonym is a new label under its parent's pseudonym.
  size_t first_mapped = labels.size() - static_cast<size_t>(suffix);
  std::string parent_orig, parent_pseudo;
  for (size_t i = first_mapped; i < labels.size(); ++i) {
    parent_orig += (parent_orig.empty() ? "" : ".") + std::string(labels[i]);
  }
  parent_pseudo = parent_orig;
  for (size_t i = first_mapped; i-- > 0;) {
    const std::string_view label = labels[i];
    std::string orig = std::string(label) + (parent_orig.empty() ? "" : "." + parent_orig);
    std::string pseudo;
    auto it = domains_.find(orig);
    if (it != domains_.end()) {
      pseudo = it->second;
    } else {
      const bool registrable = suffix > 0 && i + 1 == first_mapped;
      std::string new_label;
      if (label.empty() || label[0] == '_' || label == "*" ||
          (!registrable && is_conventional_label(label))) {
        new_label = std::string(label);  // service labels and conventions identify no one
      } else {
        new_label = allocate_label(registrable ? "org" : "h");
      }
      pseudo = new_label + (parent_pseudo.empty() ? "" : "." + parent_pseudo);
      domains_.emplace(orig, pseudo);
    }
    parent_orig = std::move(orig);
    parent_pseudo = std::move(pseudo);
  }
  return parent_pseudo + trailing;
}

std::optional<std::string> PseudonymMap::known_domain(std::string_view lower_name) const {
  auto it = domains_.find(lower_name);
  if (it == domains_.end()) return std::nullopt;
  return it->second;
}

uint32_t PseudonymMap::map_ipv4_net(uint32_t net24) {
  auto it = nets4_.find(net24);
  if (it != nets4_.end()) return it->second;
  Ipv4Class pool = kPublicPool;
  for (const Ipv4Class& c : kPrivateClasses) {
    if (in_class(net24 << 8, c)) pool = c;
  }
  const uint32_t capacity = uint32_t{1} << (24 - pool.prefix);
  uint32_t& cursor = next_net4_[pool.base];  // where the last search in this class stopped
  uint32_t mapped = 0;
  for (uint32_t tries = 0; tries < capacity; ++tries) {
    cursor = cursor % capacity + 1;
    mapped = (pool.base >> 8) + (cursor % capacity);
    if (used_nets4_.insert(mapped).second) break;
  }
  nets4_.emplace(net24, mapped);
  return mapped;
}

std::string PseudonymMap::ipv4(std::string_view address) {
  auto a = parse_ipv4(address);
  if (!a || ipv4_kept(*a)) return std::string(address);
  std::string key = format_ipv4(*a);
  auto it = ips4_.find(key);
  if (it != ips4_.end()) return it->second;
  std::string mapped = format_ipv4((map_ipv4_net(*a >> 8) << 8) | (*a & 255));
  ips4_.emplace(std::move(key), mapped);
  return mapped;
}

std::string PseudonymMap::ipv6(std::string_view address) {
  if (address.size() > 45) return std::string(address);
  in6_addr a{};
  if (inet_pton(AF_INET6, std::string(address).c_str(), &a) != 1) return std::string(address);
  char text[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, &a, text, sizeof text);
  std::string key = text;
  const uint8_t* b = a.s6_addr;
  if (IN6_IS_ADDR_UNSPECIFIED(&a) || IN6_IS_ADDR_LOOPBACK(&a) || b[0] == 0xff) {
    return std::string(address);
  }
  auto it = ips6_.find(key);
  if (it != ips6_.end()) return it->second;
  std::string mapped;
  if (IN6_IS_ADDR_V4MAPPED(&a)) {
    uint32_t v4 =
        (uint32_t{b[12]} << 24) | (uint32_t{b[13]} << 16) | (uint32_t{b[14]} << 8) | b[15];
    mapped = "::ffff:" + ipv4(format_ipv4(v4));
  } else {
    // Link-local stays link-local, unique-local stays unique-local, global stays global.
    const char* prefix = (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) ? "fe80::"
                         : (b[0] & 0xfe) == 0xfc                 ? "fd00::"
                                                                 : "2600::";
    for (;;) {
      char n[32];
      std::snprintf(n, sizeof n, "%llx", static_cast<unsigned long long>(next_ip6_++));
      mapped = std::string(prefix) + n;
      if (used_pseudonyms_.insert(mapped).second) break;
    }
  }
  ips6_.emplace(std::move(key), mapped);
  return mapped;
}

std::string PseudonymMap::allocate_phone(std::string_view original) {
  size_t digits = 0;
  for (char c : original) digits += (c >= '0' && c <= '9') ? 1 : 0;
  for (;;) {
    std::string number = std::to_string(next_phone_++);
    if (number.size() < digits) number.insert(0, digits - number.size(), '0');
    std::string out;
    size_t d = 0;
    for (char c : original) {
      if (c >= '0' && c <= '9') {
        out += d < number.size() ? number[d++] : '0';
      } else {
        out += c;
      }
    }
    out.append(number, d, std::string::npos);  // more numbers than digits: grow
    if (used_pseudonyms_.insert(out).second) return out;
  }
}

std::string PseudonymMap::user(std::string_view user) {
  if (user.empty()) return std::string();
  for (std::string_view k : kKeptUsers) {
    if (to_lower_ascii(user) == k) return std::string(user);
  }
  const bool phone = is_phone_like(user);
  auto& table = phone ? phones_ : users_;
  auto it = table.find(user);
  if (it != table.end()) return it->second;
  std::string mapped;
  if (phone) {
    mapped = allocate_phone(user);
  } else {
    do {
      mapped = "user" + std::to_string(next_user_++);
    } while (!used_pseudonyms_.insert(mapped).second);
  }
  table.emplace(std::string(user), mapped);
  return mapped;
}

std::string PseudonymMap::display_name(std::string_view name) {
  if (name.empty()) return std::string();
  auto it = names_.find(name);
  if (it != names_.end()) return it->second;
  std::string mapped;
  do {
    mapped = "Name" + std::to_string(next_name_++);
  } while (!used_pseudonyms_.insert(mapped).second);
  names_.emplace(std::string(name), mapped);
  return mapped;
}

std::vector<PseudonymMap::Entry> PseudonymMap::entries() const {
  std::vector<Entry> out;
  for (const auto& k : kept_) out.push_back({Kind::Keep, k, k});
  for (const auto& [o, p] : domains_) out.push_back({Kind::Domain, o, p});
  for (const auto& [o, p] : nets4_)
    out.push_back({Kind::Ipv4Net, format_net24(o), format_net24(p)});
  for (const auto& [o, p] : ips4_) out.push_back({Kind::Ipv4, o, p});
  for (const auto& [o, p] : ips6_) out.push_back({Kind::Ipv6, o, p});
  for (const auto& [o, p] : users_) out.push_back({Kind::User, o, p});
  for (const auto& [o, p] : phones_) out.push_back({Kind::Phone, o, p});
  for (const auto& [o, p] : names_) out.push_back({Kind::Name, o, p});
  return out;
}

bool PseudonymMap::load(const std::string& path, std::string* why) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *why = path + ": " + sys_error_message(errno);
    return false;
  }
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t t1 = line.find('\t');
    size_t t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string::npos) continue;
    std::string_view kind = std::string_view(line).substr(0, t1);
    std::string original = unescape_field(std::string_view(line).substr(t1 + 1, t2 - t1 - 1));
    std::string pseudonym = unescape_field(std::string_view(line).substr(t2 + 1));
    if (kind == "keep") {
      keep_domain(original);
    } else if (kind == "domain") {
      used_labels_.insert(pseudonym.substr(0, pseudonym.find('.')));
      domains_[original] = pseudonym;
    } else if (kind == "ip4net") {
      auto o = parse_net24(original);
      auto p = parse_net24(pseudonym);
      if (!o || !p) continue;
      nets4_[*o] = *p;
      used_nets4_.insert(*p);
    } else if (kind == "ip4" || kind == "ip6" || kind == "user" || kind == "phone" ||
               kind == "name") {
      auto& table = kind == "ip4"     ? ips4_
                    : kind == "ip6"   ? ips6_
                    : kind == "user"  ? users_
                    : kind == "phone" ? phones_
                                      : names_;
      used_pseudonyms_.insert(pseudonym);
      table[original] = pseudonym;
    }
  }
  if (in.bad()) {
    *why = path + ": read error";
    return false;
  }
  return true;
}

bool PseudonymMap::save(const std::string& path, std::string* why) const {
  std::ostringstream text;
  text << "# fedtriage redaction map v1: kind<TAB>original<TAB>pseudonym. Holds the originals:"
          " keep it private.\n";
  for (Kind kind : kAllKinds) {
    for (const Entry& e : entries()) {
      if (e.kind != kind) continue;
      text << kind_name(e.kind) << '\t' << escape_field(e.original) << '\t'
           << escape_field(e.pseudonym) << '\n';
    }
  }
  OutputFile file;
  if (!file.open(path, why, 0600)) return false;
  file.stream() << text.str();
  return file.commit(why);
}

}  // namespace fedtriage::redact
