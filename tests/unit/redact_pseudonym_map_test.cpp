// The redaction map: hierarchy and domain relations kept, address classes kept, stable across
// a save and a reload, --keep honoured.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "lib/redact/pseudonym_map.h"
#include "lib/rules/domain_relation.h"

namespace fedtriage::redact {
namespace {

uint32_t v4(const std::string& s) {
  in_addr a{};
  EXPECT_EQ(inet_pton(AF_INET, s.c_str(), &a), 1) << s;
  return ntohl(a.s_addr);
}

bool in_net(const std::string& address, const std::string& base, int prefix) {
  uint32_t mask = ~uint32_t{0} << (32 - prefix);
  return (v4(address) & mask) == (v4(base) & mask);
}

TEST(RedactPseudonymMap, SubdomainStaysUnderTheMappedParent) {
  PseudonymMap map;
  const std::string parent = map.domain("steven.lab");
  const std::string child = map.domain("cms.steven.lab");
  const std::string grandchild = map.domain("VCSE.sub.cms.steven.lab");
  EXPECT_NE(parent, "steven.lab");
  EXPECT_TRUE(parent.ends_with(".lab")) << parent;
  EXPECT_TRUE(child.ends_with("." + parent)) << child;
  EXPECT_TRUE(grandchild.ends_with("." + child)) << grandchild;
  EXPECT_EQ(map.domain("vcse.sub.cms.steven.lab."), grandchild + ".");
  EXPECT_EQ(map.domain("steven.lab"), parent);  // the same name always maps the same
}

TEST(RedactPseudonymMap, DifferentDomainsStayDifferentAndSuffixesAreKept) {
  PseudonymMap map;
  const std::string a = map.domain("contoso.com");
  const std::string b = map.domain("fabrikam.com");
  EXPECT_NE(a, b);
  EXPECT_TRUE(a.ends_with(".com"));
  EXPECT_TRUE(map.domain("shop.example.co.uk").ends_with(".co.uk"));
  EXPECT_EQ(map.domain("com"), "com");
  EXPECT_EQ(map.domain("_sipfederationtls._tcp.fabrikam.com"), "_sipfederationtls._tcp." + b);
  EXPECT_EQ(map.domain("sip.contoso.com"), "sip." + a);  // conventional label kept
}

// The verdicts of the SRV rules (lib/rules/domain_relation) must survive redaction.
TEST(RedactPseudonymMap, DomainRelationVerdictsSurvive) {
  PseudonymMap map;
  const std::pair<const char*, const char*> cases[] = {
      {"cms.steven.lab", "vcse.sub.cms.steven.lab"},  // subdomain
      {"acano.steven.lab", "vcse.steven.lab"},        // different domain
      {"cms.steven.lab", "vcse.cms.steven.lab"},      // exact
      {"contoso.com", "sip.fabrikam.com"},            // different domain
      {"fabrikam.com", "edge.fabrikam.com:5061"},     // exact, with a port
  };
  for (const auto& [domain, fqdn] : cases) {
    std::string f = fqdn;
    std::string port;
    if (size_t c = f.find(':'); c != std::string::npos) {
      port = f.substr(c);
      f.resize(c);
    }
    const auto before = domain_relation(domain, fqdn);
    const auto after = domain_relation(map.domain(domain), map.domain(f) + port);
    ASSERT_TRUE(before.has_value());
    ASSERT_TRUE(after.has_value());
    EXPECT_EQ(*before, *after) << domain << " / " << fqdn;
  }
}

TEST(RedactPseudonymMap, Ipv4KeepsItsClassAndSubnet) {
  PseudonymMap map;
  const std::string a = map.ipv4("10.48.36.6");
  EXPECT_NE(a, "10.48.36.6");
  EXPECT_TRUE(in_net(a, "10.0.0.0", 8)) << a;
  EXPECT_TRUE(in_net(map.ipv4("172.20.1.2"), "172.16.0.0", 12));
  EXPECT_TRUE(in_net(map.ipv4("192.168.7.9"), "192.168.0.0", 16));
  EXPECT_TRUE(in_net(map.ipv4("169.254.3.4"), "169.254.0.0", 16));
  const std::string pub = map.ipv4("198.51.100.5");
  EXPECT_NE(pub, "198.51.100.5");
  for (auto [base, prefix] : {std::pair{"10.0.0.0", 8},
                              {"172.16.0.0", 12},
                              {"192.168.0.0", 16},
                              {"127.0.0.0", 8},
                              {"169.254.0.0", 16}}) {
    EXPECT_FALSE(in_net(pub, base, prefix)) << pub;
  }
  EXPECT_EQ(map.ipv4("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(map.ipv4("10.48.36.6"), a);
  // Two hosts of one /24 stay in one /24 (different from the other networks).
  const std::string b = map.ipv4("10.48.36.47");
  EXPECT_TRUE(in_net(a, b, 24));
  EXPECT_FALSE(in_net(a, map.ipv4("10.48.54.160"), 24));
  EXPECT_EQ(map.ipv4("not.an.ip"), "not.an.ip");
}

TEST(RedactPseudonymMap, EveryNetworkOfAClassGetsItsOwn) {
  PseudonymMap map;
  std::set<std::string> seen;
  for (int x = 0; x < 256; ++x) {
    const std::string m = map.ipv4("192.168." + std::to_string(x) + ".1");
    EXPECT_TRUE(in_net(m, "192.168.0.0", 16)) << m;
    seen.insert(m);
  }
  EXPECT_EQ(seen.size(), 256u);
}

TEST(RedactPseudonymMap, Ipv6KeepsItsClass) {
  PseudonymMap map;
  const std::string ll = map.ipv6("fe80::1c2d:3e4f:5a6b:7c8d");
  EXPECT_TRUE(ll.starts_with("fe80:")) << ll;
  EXPECT_NE(ll, "fe80::1c2d:3e4f:5a6b:7c8d");
  const std::string global = map.ipv6("2001:4860:4860::8888");
  EXPECT_FALSE(global.starts_with("fe80")) << global;
  EXPECT_FALSE(global.starts_with("fd")) << global;
  EXPECT_EQ(map.ipv6("2001:4860:4860:0:0:0:0:8888"), global);  // another spelling
  EXPECT_TRUE(map.ipv6("fd12:3456::1").starts_with("fd"));
  EXPECT_EQ(map.ipv6("::1"), "::1");
}

TEST(RedactPseudonymMap, PhoneNumbersKeepTheirShape) {
  PseudonymMap map;
  const std::string p = map.user("+1-415-555-0199");
  EXPECT_EQ(p.size(), std::string("+1-415-555-0199").size());
  EXPECT_EQ(p[0], '+');
  EXPECT_EQ(p[2], '-');
  EXPECT_NE(p, "+1-415-555-0199");
  EXPECT_EQ(map.user("2000").size(), 4u);
  EXPECT_NE(map.user("2000"), "2000");
  EXPECT_EQ(map.user("stejanss"), map.user("stejanss"));
  EXPECT_NE(map.user("stejanss"), map.user("alice"));
  EXPECT_NE(map.display_name("Alice Contoso"), "Alice Contoso");
}

TEST(RedactPseudonymMap, KeptDomainsAndTheirSubdomainsStay) {
  PseudonymMap map;
  map.keep_domain("Vendor.example");
  EXPECT_EQ(map.domain("sip.vendor.example"), "sip.vendor.example");
  EXPECT_EQ(map.domain("vendor.example"), "vendor.example");
  EXPECT_NE(map.domain("othervendor.example"), "othervendor.example");
  EXPECT_EQ(map.domain("login.microsoft.com"), "login.microsoft.com");  // built in
}

TEST(RedactPseudonymMap, StableAcrossSaveAndReload) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("fedtriage-redact-map-" + std::to_string(::getpid()) + ".tsv"))
                               .string();
  PseudonymMap first;
  first.keep_domain("partner.example");
  const std::string d = first.domain("vcse.steven.lab");
  const std::string ip = first.ipv4("10.1.2.3");
  const std::string ip6 = first.ipv6("2001:db8::5");
  const std::string u = first.user("stejanss");
  const std::string n = first.display_name("DX70\tSteven");  // a tab survives the file
  std::string why;
  ASSERT_TRUE(first.save(path, &why)) << why;

  PseudonymMap second;
  ASSERT_TRUE(second.load(path, &why)) << why;
  EXPECT_EQ(second.domain("vcse.steven.lab"), d);
  EXPECT_EQ(second.domain("Steven.lab"), first.domain("steven.lab"));
  EXPECT_EQ(second.ipv4("10.1.2.3"), ip);
  EXPECT_TRUE(in_net(second.ipv4("10.1.2.200"), ip, 24));  // same subnet after reload
  EXPECT_EQ(second.ipv6("2001:db8::5"), ip6);
  EXPECT_EQ(second.user("stejanss"), u);
  EXPECT_EQ(second.display_name("DX70\tSteven"), n);
  EXPECT_EQ(second.domain("x.partner.example"), "x.partner.example");
  // New names never take a pseudonym already given.
  EXPECT_NE(second.domain("other.lab"), first.domain("steven.lab"));
  EXPECT_NE(second.user("bob"), u);
  EXPECT_FALSE(in_net(second.ipv4("10.9.9.9"), ip, 24));
  std::filesystem::remove(path);
}

TEST(RedactPseudonymMap, LoadReportsAMissingFile) {
  PseudonymMap map;
  std::string why;
  EXPECT_FALSE(map.load("/nonexistent/fedtriage.map", &why));
  EXPECT_NE(why.find("/nonexistent/fedtriage.map"), std::string::npos);
}

}  // namespace
}  // namespace fedtriage::redact
