#include "lib/sip/ms_diagnostic.h"

#include <gtest/gtest.h>

#include <string>

namespace fedtriage {
namespace {

std::string param_or(const MsDiagnostic& d, std::string_view key) {
  const std::string* v = d.param(key);
  return v ? *v : std::string("<absent>");
}

TEST(MsDiagnostic, SourceLast) {
  auto d = parse_ms_diagnostic(
      R"(1009;reason="No match for domain in DNS SRV results";domain="cms.steven.lab";fqdn1="vcse.sub.cms.steven.lab:5061";source="sip.skype.lab")");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->code, 1009);
  EXPECT_EQ(d->sub_code, -1);
  EXPECT_FALSE(d->is_public);
  EXPECT_EQ(d->reason, "No match for domain in DNS SRV results");
  ASSERT_EQ(d->params.size(), 3u);
  EXPECT_EQ(d->params[0].first, "domain");
  EXPECT_EQ(d->params[0].second, "cms.steven.lab");
  EXPECT_EQ(d->params[1].first, "fqdn1");
  EXPECT_EQ(d->params[1].second, "vcse.sub.cms.steven.lab:5061");
  EXPECT_EQ(param_or(*d, "source"), "sip.skype.lab");
}

TEST(MsDiagnostic, SourceFirstAndKeyCase) {
  auto d = parse_ms_diagnostic(
      R"(10003;source="AMS0S00MED02.infra.lync.com";Reason="Proxy returned a SIP failure code";component="MediationServer";SipResponseCode="404")");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->code, 10003);
  EXPECT_EQ(d->reason, "Proxy returned a SIP failure code");
  EXPECT_EQ(d->params.front().first, "source");
  EXPECT_EQ(param_or(*d, "Source"), "AMS0S00MED02.infra.lync.com");
  EXPECT_EQ(param_or(*d, "sipresponsecode"), "404");
  EXPECT_EQ(param_or(*d, "REASON"), "Proxy returned a SIP failure code");
  EXPECT_EQ(param_or(*d, "missing"), "<absent>");
}

TEST(MsDiagnostic, HresultStaysIntact) {
  auto d = parse_ms_diagnostic(
      R"x(1010;reason="Certificate trust with another server could not be established";ErrorType="The peer certificate does not contain a matching FQDN";tls-target="vcse.cms.steven.lab";PeerServer="vcse.steven.lab";HRESULT="0x80090322(SEC_E_WRONG_PRINCIPAL)";source="sip.skype.lab")x");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->code, 1010);
  EXPECT_EQ(param_or(*d, "HRESULT"), "0x80090322(SEC_E_WRONG_PRINCIPAL)");
  EXPECT_EQ(param_or(*d, "errortype"), "The peer certificate does not contain a matching FQDN");
  EXPECT_EQ(param_or(*d, "tls-target"), "vcse.cms.steven.lab");
  EXPECT_EQ(param_or(*d, "peerserver"), "vcse.steven.lab");
}

TEST(MsDiagnostic, SpacesAndUnquotedValues) {
  auto d = parse_ms_diagnostic(
      "  1009; reason=No match ;  Source= applicationserver.contoso.com ;Domain = x.y  ");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->code, 1009);
  EXPECT_EQ(d->reason, "No match");
  EXPECT_EQ(param_or(*d, "source"), "applicationserver.contoso.com");
  EXPECT_EQ(param_or(*d, "domain"), "x.y");
  ASSERT_EQ(d->params.size(), 2u);
  EXPECT_EQ(d->params[0].first, "Source");
  EXPECT_EQ(d->params[1].first, "Domain");
}

TEST(MsDiagnostic, SubCode) {
  auto d = parse_ms_diagnostic("52001.3;reason=\"x\"");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->code, 52001);
  EXPECT_EQ(d->sub_code, 3);
  auto bare = parse_ms_diagnostic("4141");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->code, 4141);
  EXPECT_TRUE(bare->reason.empty());
  EXPECT_TRUE(bare->params.empty());
}

TEST(MsDiagnostic, PublicFlag) {
  auto d = parse_ms_diagnostic(R"(4141;reason="User disabled")", true);
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->is_public);
  EXPECT_EQ(d->reason, "User disabled");
}

TEST(MsDiagnostic, QuotedValuesWithSeparatorsAndEscapes) {
  auto d = parse_ms_diagnostic(R"(1046;reason="a;b=c";info="say \"hi\"; ok";winsock-code="10060")");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->reason, "a;b=c");
  EXPECT_EQ(param_or(*d, "info"), "say \"hi\"; ok");
  EXPECT_EQ(param_or(*d, "winsock-code"), "10060");
}

TEST(MsDiagnostic, UnterminatedQuoteTakesTheRest) {
  auto d = parse_ms_diagnostic(R"(1047;reason="never closed;source=x)");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->reason, "never closed;source=x");
  EXPECT_TRUE(d->params.empty());
  // A lone backslash at the very end must not read past the text.
  auto e = parse_ms_diagnostic("1;a=\"x\\");
  ASSERT_TRUE(e);
  EXPECT_EQ(param_or(*e, "a"), "x\\");
}

TEST(MsDiagnostic, RejectsWithoutLeadingCode) {
  EXPECT_FALSE(parse_ms_diagnostic(""));
  EXPECT_FALSE(parse_ms_diagnostic("   "));
  EXPECT_FALSE(parse_ms_diagnostic("reason=\"x\";1009"));
  EXPECT_FALSE(parse_ms_diagnostic("-5;reason=x"));
  // Longer than any ErrorId: refused rather than overflowing.
  EXPECT_FALSE(parse_ms_diagnostic("99999999999999999999;reason=x"));
}

TEST(MsDiagnostic, ParamListEdgeCases) {
  EXPECT_TRUE(parse_param_list("").empty());
  EXPECT_TRUE(parse_param_list(";;; ;").empty());
  auto p = parse_param_list(R"(lr; q = 0.33 ;empty=;x="";=orphan;k="v"junk;last)");
  ASSERT_EQ(p.size(), 6u);
  EXPECT_EQ(p[0], (std::pair<std::string, std::string>("lr", "")));
  EXPECT_EQ(p[1], (std::pair<std::string, std::string>("q", "0.33")));
  EXPECT_EQ(p[2], (std::pair<std::string, std::string>("empty", "")));
  EXPECT_EQ(p[3], (std::pair<std::string, std::string>("x", "")));
  EXPECT_EQ(p[4], (std::pair<std::string, std::string>("k", "v")));
  EXPECT_EQ(p[5], (std::pair<std::string, std::string>("last", "")));
}

TEST(MsDiagnostic, EdgeDataField) {
  auto p = parse_param_list(
      R"(expected-fqdn="vcse.acano.steven.lab";certName="vcse.steven.lab";info="The peer certificate does not contain a matching FQDN")");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].second, "vcse.acano.steven.lab");
  EXPECT_EQ(p[1].first, "certName");
  EXPECT_EQ(p[2].second, "The peer certificate does not contain a matching FQDN");
}

}  // namespace
}  // namespace fedtriage
