// The text redactor: what it finds in any line, what it leaves alone, what it removes.
#include <gtest/gtest.h>

#include "lib/redact/pseudonym_map.h"
#include "lib/redact/text_redactor.h"

namespace fedtriage::redact {
namespace {

bool has(const std::string& s, const std::string& what) {
  return s.find(what) != std::string::npos;
}

TEST(RedactText, UrisAliasesAndDisplayNames) {
  PseudonymMap map;
  TextRedactor text(map);
  const std::string out =
      text.line(R"(From: "Alice Contoso" <sip:alice@contoso.com>;tag=aa11;epid=0a1b2c3d4e)");
  EXPECT_FALSE(has(out, "Alice")) << out;
  EXPECT_FALSE(has(out, "alice")) << out;
  EXPECT_FALSE(has(out, "contoso")) << out;
  EXPECT_TRUE(has(out, "<sip:" + map.user("alice") + "@" + map.domain("contoso.com") + ">")) << out;
  EXPECT_TRUE(has(out, ";tag=aa11;epid=0a1b2c3d4e")) << out;  // not identifying: kept

  const std::string alias =
      text.line(R"(Src-alias="room4@cisco.example.org" Dst-alias="tel:+14155550123")");
  EXPECT_FALSE(has(alias, "room4")) << alias;
  EXPECT_FALSE(has(alias, "example.org")) << alias;
  EXPECT_FALSE(has(alias, "4155550123")) << alias;
  EXPECT_TRUE(has(alias, "tel:+")) << alias;

  const std::string bare =
      text.line(R"(Src-alias-type="E164" Src-alias="+14155550123" Dst-alias="bob")");
  EXPECT_FALSE(has(bare, "4155550123")) << bare;
  EXPECT_FALSE(has(bare, "\"bob\"")) << bare;
  EXPECT_TRUE(has(bare, "Src-alias-type=\"E164\"")) << bare;

  const std::string unquoted = text.line("To:      Watson, Thomas <sip:t.watson@example.org>");
  EXPECT_FALSE(has(unquoted, "Watson")) << unquoted;
}

TEST(RedactText, CallIdsThatEmbedAHostOrAnAddress) {
  PseudonymMap map;
  TextRedactor text(map);
  const std::string a = text.line("Call-ID: 3848276298220188511@10.1.2.3");
  EXPECT_FALSE(has(a, "10.1.2.3")) << a;
  const std::string b = text.line("Detail=\"Call-ID=3848276298220188511@10.1.2.3, From-Tag=1\"");
  // The same Call-ID reads the same wherever it appears, so that calls still correlate.
  EXPECT_TRUE(has(b, a.substr(std::string("Call-ID: ").size()))) << a << " / " << b;
  const std::string c = text.line("Call-ID: abc123@pc17.corp.contoso.com");
  EXPECT_FALSE(has(c, "contoso")) << c;
}

TEST(RedactText, AddressesAndCertificateNames) {
  PseudonymMap map;
  TextRedactor text(map);
  const std::string out = text.line(
      R"(Event="Inbound TLS Negotiation Error" Src-ip="146.20.193.73" Dst-ip="172.16.2.2" )"
      R"(localAddress="['IPv4''TCP''172.16.2.2:5062']" Detail="CN=vcse.steven.lab, DNS:*.steven.lab" )"
      R"(Peer="[2001:db8:85a3::8a2e:370:7334]:5061")");
  for (const char* gone : {"146.20.193.73", "172.16.2.2", "steven", "2001:db8:85a3"}) {
    EXPECT_FALSE(has(out, gone)) << gone << " in " << out;
  }
  EXPECT_TRUE(has(out, "*." + map.domain("steven.lab"))) << out;
  const std::string diag = text.line(
      R"(ms-diagnostics: 1009;reason="No match for domain in DNS SRV results";domain="cms.steven.lab";fqdn1="vcse.sub.cms.steven.lab:5061";source="sip.skype.lab")");
  EXPECT_TRUE(has(diag, "reason=\"No match for domain in DNS SRV results\"")) << diag;
  EXPECT_TRUE(has(diag, "domain=\"" + map.domain("cms.steven.lab") + "\"")) << diag;
  EXPECT_TRUE(has(diag, "fqdn1=\"" + map.domain("vcse.sub.cms.steven.lab") + ":5061\"")) << diag;
}

TEST(RedactText, LeavesTimesVersionsAndLogFramingAlone) {
  PseudonymMap map;
  TextRedactor text(map);
  const std::string lines[] = {
      "TL_INFO(TF_PROTOCOL) [0]0584.0A44::03/02/2017-07:10:46.228.0000773C "
      "(SIPStack,SIPAdminLog::TraceProtocolRecord:SIPAdminLog.cpp(125)) [156659184] $$begin_record",
      "User-Agent: UCCAPI/16.0.4498.1000 OC/16.0.4498.1000 (Skype for Business)",
      "03/02/2017|08:11:58.402 1A2C:2B3C INFO  :: CUccPlatform::Initialize - entering",
      R"(UTCTime="2019-06-13 18:31:38,100" Module="network.sip" Level="INFO":  Action="Received")",
      "Result-Code: 0xc3e93d6f SIPPROXY_E_EPROUTING_MSG_ALLOWED_DOMAIN_NO_SRV_MATCH",
      "Via: SIP/2.0/TLS x;branch=z9hG4bK42ee6fd77d32cc89.731d73c3f4246d6a;rport",
      "Server: RTC/6.0",
  };
  for (const std::string& l : lines) EXPECT_EQ(text.line(l), l);
  // The logging hosts are names of the customer's machines.
  EXPECT_FALSE(
      has(text.line("TL_INFO(TF_DIAG) [sfvedge\\sfvedge]0B60.0D6C::03/02/2017-06:30:39.998"),
          "sfvedge"));
  EXPECT_FALSE(has(text.line("2017-03-02T08:10:46.190+01:00 vcse tvcs: UTCTime=\"x\""), " vcse "));
}

TEST(RedactText, HostsWhereTheLogSaysAHostComes) {
  PseudonymMap map;
  TextRedactor text(map);
  EXPECT_EQ(text.line("Peer: sfbfe01:5061"), "Peer: " + map.domain("sfbfe01") + ":5061");
  const std::string packet = text.line(
      "03/02/2017|08:11:58.402 1A2C:2B3C INFO  :: Sending Packet - edgepool:443 (From Local "
      "Address: laptop-42:62937) 712 bytes:");
  EXPECT_FALSE(has(packet, "edgepool")) << packet;
  EXPECT_FALSE(has(packet, "laptop-42")) << packet;
  EXPECT_TRUE(has(packet, "1A2C:2B3C INFO")) << packet;
  // A logging host learned from an Edge header is recognised later with a port.
  text.line("TL_INFO(TF_DIAG) [sfvedge\\sfvedge]0B60.0D6C::03/02/2017-06:30:39.998");
  EXPECT_EQ(text.line("Target: sfvedge:5061"), "Target: " + map.domain("sfvedge") + ":5061");
}

TEST(RedactText, SecretsAreRemovedNotMapped) {
  PseudonymMap map;
  TextRedactor text(map);
  const std::string auth = text.line(
      R"(Authorization: NTLM qop="auth", realm="SIP Communications Service", opaque="3B8AF2C1", targetname="sip/edge.contoso.com", gssapi-data="TlRMTVNTUAADAAAAGAAYAHgAAAA=", version=4)");
  EXPECT_EQ(auth, "Authorization: NTLM " + std::string(kRemoved));
  EXPECT_EQ(text.line(" Proxy-Authorization: Digest username=\"alice\", response=\"6629fae4\""),
            " Proxy-Authorization: Digest " + std::string(kRemoved));
  const std::string info = text.line(
      R"(Authentication-Info: TLS-DSK qop="auth", opaque="AB12", srand="3D8E", snum="77", rspauth="0a1b2c3d", targetname="sip.contoso.com")");
  for (const char* gone : {"AB12", "3D8E", "\"77\"", "0a1b2c3d", "contoso"}) {
    EXPECT_FALSE(has(info, gone)) << gone << " in " << info;
  }
  EXPECT_TRUE(has(info, "TLS-DSK")) << info;
  const std::string www = text.line(
      R"(WWW-Authenticate: Kerberos realm="SIP Communications Service", gssapi-data="YIIFzwYJKoZIhvcSAQICAQBuggW+", version=4)");
  EXPECT_FALSE(has(www, "YIIFzwYJ")) << www;
  const std::string url = text.line("sts-uri=\"https://svc_ldap:Winter2024!@sts.contoso.com/x\"");
  EXPECT_FALSE(has(url, "Winter2024")) << url;
  EXPECT_FALSE(has(url, "svc_ldap")) << url;
  EXPECT_FALSE(has(url, "contoso")) << url;
  EXPECT_TRUE(has(url, "https://")) << url;
  const std::string kv =
      text.line(R"(Module="x" Password="hunter2" ldap_pwd=s3cret; AuthToken="abc")");
  for (const char* gone : {"hunter2", "s3cret", "abc\""}) {
    EXPECT_FALSE(has(kv, gone)) << gone << " in " << kv;
  }
}

TEST(RedactText, FileNamesAreRedactedPerComponent) {
  PseudonymMap map;
  TextRedactor text(map);
  text.line("2017-03-02T08:10:46.190+01:00 vcse tvcs: UTCTime=\"x\"");  // learns the host
  const std::string name = text.file_name("logs/edge.contoso.com/loggingsnapshot_vcse_2017.txt");
  EXPECT_FALSE(has(name, "contoso")) << name;
  EXPECT_FALSE(has(name, "vcse")) << name;
  EXPECT_TRUE(name.starts_with("logs/")) << name;
  EXPECT_TRUE(name.ends_with("_2017.txt")) << name;
  text.line("2017-09-20T10:49:18.427-04:00 amer-expressway01 tvcs: Event=\"x\"");
  EXPECT_EQ(text.file_name("amer-expressway01-diag_VCSE.log"),
            map.domain("amer-expressway01") + "-diag_" + map.domain("vcse") + ".log");
}

}  // namespace
}  // namespace fedtriage::redact
