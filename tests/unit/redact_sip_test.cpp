// SIP messages inside the three products' records: redacted as messages, Content-Length and
// the UccApiLog byte counts recomputed, framing and line ends kept, secrets gone.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lib/redact/log_redactor.h"
#include "lib/redact/pseudonym_map.h"
#include "lib/redact/sip_redactor.h"
#include "lib/redact/text_redactor.h"

namespace fedtriage::redact {
namespace {

// Feeds `text` to a LogRedactor line by line, as the bundle writer does.
std::string redact(const std::string& text, PseudonymMap& map) {
  TextRedactor t(map);
  std::string out;
  LogRedactor r(t, [&](std::string_view s) { out.append(s); });
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {
      r.line(std::string_view(text).substr(start), "");
      break;
    }
    std::string_view line(text.data() + start, nl - start);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
      r.line(line, "\r\n");
    } else {
      r.line(line, "\n");
    }
    start = nl + 1;
  }
  r.finish();
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string l = text.substr(start, nl - start);
    if (!l.empty() && l.back() == '\r') l.pop_back();
    lines.push_back(l);
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

uint64_t number_after(const std::string& text, const std::string& label) {
  size_t p = text.find(label);
  EXPECT_NE(p, std::string::npos) << label;
  return p == std::string::npos ? 0 : std::stoull(text.substr(p + label.size()));
}

uint64_t number_before(const std::string& line, const std::string& label) {
  size_t p = line.rfind(label);
  size_t s = p;
  while (s > 0 && isdigit(static_cast<unsigned char>(line[s - 1]))) --s;
  return std::stoull(line.substr(s, p - s));
}

const char* const kSdp[] = {"v=0",   "o=- 1 1 IN IP4 10.48.36.47",   "s=-", "c=IN IP4 10.48.36.47",
                            "t=0 0", "m=audio 36000 RTP/AVP 0 8 101"};

TEST(RedactSip, UccApiLogContentLengthAndByteCounts) {
  const std::string prefix = "02/14/2023|09:30:01.100 2F10:1A0C INFO  :: ";
  std::vector<std::string> message = {
      prefix + "INVITE sip:bob@fabrikam.com SIP/2.0",
      "Via: SIP/2.0/TLS 10.20.30.40:51515",
      R"(From: "Alice Contoso" <sip:alice@contoso.com>;tag=aa11)",
      "To: <sip:bob@fabrikam.com>",
      "Call-ID: 0c7e5f1a2b3c4d5e6f708192a3b4c5d6",
      "CSeq: 1 INVITE",
      R"(Proxy-Authorization: NTLM qop="auth", opaque="3B8AF2C1", gssapi-data="TlRMTVNTUAADAAAAGAAYAHgAAAA=")",
      "Content-Type: application/sdp",
      "Content-Length: @CL@",
      ""};
  uint64_t body_bytes = 0;
  for (const char* l : kSdp) {
    message.push_back(l);
    body_bytes += std::string(l).size() + 2;
  }
  std::string text_message;
  for (std::string& l : message) {
    if (size_t p = l.find("@CL@"); p != std::string::npos)
      l.replace(p, 4, std::to_string(body_bytes));
    text_message += (l.starts_with(prefix) ? l.substr(prefix.size()) : l) + "\r\n";
  }
  const std::string tail = " - 192.0.2.20:443 (From Local Address: 10.20.30.40:51515) " +
                           std::to_string(text_message.size()) + " bytes";
  std::string log = prefix + "Sending Packet" + tail + ":\r\n";
  for (const std::string& l : message) log += l + "\r\n";
  log += prefix + "End of Sending Packet" + tail + "\r\n";

  PseudonymMap map;
  const std::string out = redact(log, map);
  for (const char* gone : {"alice", "Alice", "contoso", "fabrikam", "10.20.30.40", "192.0.2.20",
                           "10.48.36.47", "TlRMTVNTUAAD", "3B8AF2C1"}) {
    EXPECT_EQ(out.find(gone), std::string::npos) << gone << "\n" << out;
  }
  // Every line still ends in CRLF, and there are as many.
  EXPECT_EQ(split_lines(out).size(), split_lines(log).size());
  EXPECT_EQ(out.find("\r\n\r\n", 0) != std::string::npos, true);
  const std::vector<std::string> lines = split_lines(out);
  // Recount the redacted message: the byte counts and Content-Length must match it.
  std::string new_message;
  uint64_t new_body = 0;
  bool in_body = false;
  for (size_t i = 1; i + 1 < lines.size(); ++i) {
    std::string l = lines[i].starts_with(prefix) ? lines[i].substr(prefix.size()) : lines[i];
    new_message += l + "\r\n";
    if (in_body) new_body += l.size() + 2;
    if (l.empty()) in_body = true;
  }
  EXPECT_NE(new_message.size(), text_message.size());  // the test means something
  EXPECT_EQ(number_after(out, "Content-Length: "), new_body);
  EXPECT_EQ(number_before(lines.front(), " bytes:"), new_message.size());
  EXPECT_EQ(number_before(lines.back(), " bytes"), new_message.size());
}

TEST(RedactSip, ExpresswaySipMsgContentLength) {
  std::vector<std::string> block = {
      " |INVITE sip:dana@fabrikam.com SIP/2.0",
      " Via: SIP/2.0/TLS 172.17.31.10:5061;branch=z9hG4bKexpe0001;rport",
      " From: \"Meeting Room 4\" <sip:room4@cisco.example.org>;tag=ab12",
      " To: <sip:dana@fabrikam.com>",
      " Call-ID: 9a8b7c6d-1111-2222-3333-444455556666",
      " Authorization: Digest username=\"room4\", response=\"6629fae49393a05397450978507c4ef1\"",
      " Content-Type: application/sdp",
      " Content-Length: @CL@",
      " "};
  uint64_t body_bytes = 0;
  for (const char* l : kSdp) {
    block.push_back(std::string(" ") + l);
    body_bytes += std::string(l).size() + 2;
  }
  block.push_back(" |");
  std::string log =
      "2019-06-13T14:31:38.100-04:00 expe tvcs: UTCTime=\"2019-06-13 18:31:38,100\" "
      "Module=\"network.sip\" Level=\"DEBUG\":  Action=\"Sent\" Local-ip=\"172.17.31.10\" "
      "Msg-Hash=\"5550002\"\n SIPMSG:\n";
  for (std::string& l : block) {
    if (size_t p = l.find("@CL@"); p != std::string::npos)
      l.replace(p, 4, std::to_string(body_bytes));
    log += l + "\n";
  }
  log += "\n2019-06-13T14:31:38.101-04:00 expe tvcs: Event=\"Search Attempted\"\n";

  PseudonymMap map;
  const std::string out = redact(log, map);
  for (const char* gone : {"dana", "fabrikam", "room4", "Meeting Room", "172.17.31.10",
                           "10.48.36.47", "6629fae4", " expe "}) {
    EXPECT_EQ(out.find(gone), std::string::npos) << gone << "\n" << out;
  }
  const std::vector<std::string> lines = split_lines(out);
  ASSERT_EQ(lines.size(), split_lines(log).size());
  uint64_t new_body = 0;
  bool in_body = false;
  for (const std::string& l : lines) {
    if (l == " |") in_body = false;
    if (in_body) new_body += l.size() - 1 + 2;  // the leading space is framing; the wire has CRLF
    if (l == " ") in_body = true;
  }
  EXPECT_NE(new_body, body_bytes);
  EXPECT_EQ(number_after(out, " Content-Length: "), new_body);
  EXPECT_EQ(lines[lines.size() - 3], " |");  // framing kept
}

TEST(RedactSip, EdgeRecordContentLength) {
  std::string log =
      "TL_INFO(TF_PROTOCOL) [sfvedge\\sfvedge]0584.0A44::03/02/2017-07:10:46.228.0000773C "
      "(SIPStack,SIPAdminLog::TraceProtocolRecord:SIPAdminLog.cpp(125)) [156659184] "
      "$$begin_record\n"
      "Peer: vcse.steven.lab:25002\n"
      "Start-Line: INVITE sip:stejanss@skype.lab SIP/2.0\n"
      "FROM: \"DX70 Steven\" <sip:2000@acano.steven.lab>;tag=9fea3e7d70afd884\n"
      "CONTENT-LENGTH: @CL@\n";
  uint64_t body_bytes = 0;
  bool first = true;
  for (const char* l : kSdp) {
    log += (first ? std::string("Message-Body: ") : std::string()) + l + "\n";
    body_bytes += std::string(l).size() + 2;
    first = false;
  }
  log += "$$end_record\n";
  log.replace(log.find("@CL@"), 4, std::to_string(body_bytes));

  PseudonymMap map;
  const std::string out = redact(log, map);
  for (const char* gone : {"sfvedge", "steven", "stejanss", "skype.lab", "DX70", "10.48.36.47"}) {
    EXPECT_EQ(out.find(gone), std::string::npos) << gone << "\n" << out;
  }
  const std::vector<std::string> lines = split_lines(out);
  uint64_t new_body = 0;
  bool in_body = false;
  for (const std::string& l : lines) {
    if (l == "$$end_record") break;
    if (l.starts_with("Message-Body: ")) in_body = true;
    if (in_body) new_body += l.size() + 2 - (l.starts_with("Message-Body: ") ? 14 : 0);
  }
  EXPECT_NE(new_body, body_bytes);
  EXPECT_EQ(number_after(out, "CONTENT-LENGTH: "), new_body);
  EXPECT_EQ(lines.back(), "$$end_record");
}

TEST(RedactSip, AdjustNumberKeepsTheRestOfTheLine) {
  std::string line = "Content-Length: 99";
  EXPECT_EQ(adjust_number(line, 16, 1), 1);
  EXPECT_EQ(line, "Content-Length: 100");
  EXPECT_EQ(adjust_number(line, 16, -200), 0);  // would go negative: left alone
  EXPECT_EQ(line, "Content-Length: 100");
  EXPECT_EQ(sip_text("02/14/2023|09:30:01.100 2F10:1A0C INFO  :: Content-Length: 0"),
            "Content-Length: 0");
  EXPECT_EQ(sip_text(" |SIP/2.0 504 Server time-out"), "SIP/2.0 504 Server time-out");
}

TEST(RedactSip, AnUnfinishedRecordIsStillWritten) {
  PseudonymMap map;
  const std::string log =
      "03/02/2017|08:11:58.402 1A2C:2B3C INFO  :: Data Received - 10.48.36.6:443 (To Local "
      "Address: 10.55.186.71:62937) 487 bytes:\nSIP/2.0 200 OK\nTo: <sip:bob@fabrikam.com>";
  const std::string out = redact(log, map);
  EXPECT_EQ(split_lines(out).size(), 3u);
  EXPECT_EQ(out.find("fabrikam"), std::string::npos);
  EXPECT_EQ(out.back(), '>');  // no line end added to a last line that had none
}

}  // namespace
}  // namespace fedtriage::redact
