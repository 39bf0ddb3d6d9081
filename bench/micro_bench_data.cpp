#include "bench/micro_bench_data.h"

namespace fedtriage::bench {

std::string expressway_log(int calls, int noise_per_record) {
  const std::string prefix =
      "2017-03-02T08:10:46.210+01:00 vcse tvcs: UTCTime=\"2017-03-02 07:10:46,210\" ";
  const std::string noise =
      prefix +
      "Module=\"developer.fsm.sipproxylegfsm\" Level=\"TRACE\" CodeLocation=\"allshare/fsm/"
      "fsmfsm.cpp(909)\" Method=\"::sys_testAndExecTask\" Thread=\"0x7fc1d8e2d700\":  "
      "Detail=\"Completed message execution on task\" Self=\"SipProxyLegFsm:10361\" "
      "Sender=\"TransitLocationNodeFsm:5180\" Msg=\"Run\" Task=\"T_OUTBOUNDLEGIDLE_RUN\"\n";
  std::string out;
  for (int i = 0; i < calls; ++i) {
    const std::string id = "f1b3ad5d-183b-4632-b210-" + std::to_string(100000000000 + i);
    for (int k = 0; k < noise_per_record; ++k) out += noise;
    out += prefix +
           "Module=\"network.sip\" Level=\"INFO\":  Action=\"Sent\" Local-ip=\"10.48.36.47\" "
           "Local-port=\"25002\" Dst-ip=\"10.48.36.6\" Dst-port=\"5061\" Detail=\"Sending Request "
           "Method=INVITE, CSeq=2066245576, Request-URI=sip:stejanss@skype.lab, Call-ID=" +
           id + ", From-Tag=9fea3e7d70afd884, To-Tag=, Msg-Hash=44100" + std::to_string(i) +
           ", Local-SessionID=, Remote-SessionID=\"\n";
    out += prefix +
           "Module=\"network.sip\" Level=\"DEBUG\":  Action=\"Sent\" Local-ip=\"10.48.36.47\" "
           "Local-port=\"25002\" Dst-ip=\"10.48.36.6\" Dst-port=\"5061\" Msg-Hash=\"44100" +
           std::to_string(i) +
           "\"\n SIPMSG:\n |INVITE sip:stejanss@skype.lab SIP/2.0\n Via: SIP/2.0/TLS "
           "10.48.36.47:5061;egress-zone=DNSZone1;branch=z9hG4bK42ee6fd77d32cc89;proxy-call-id="
           "6b2a018a-2da5-4013-a7e5-4e1455feadf7;rport\n Call-ID: " +
           id +
           "\n CSeq: 2066245576 INVITE\n From: \"DX70\" <sip:2000@acano.steven.lab>;tag="
           "9fea3e7d70afd884\n To: <sip:stejanss@skype.lab>\n Max-Forwards: 68\n Content-Length: "
           "0\n \n |\n\n";
    for (int k = 0; k < noise_per_record; ++k) out += noise;
    out += prefix +
           "Module=\"network.sip\" Level=\"DEBUG\":  Action=\"Received\" Local-ip=\"10.48.36.47\" "
           "Local-port=\"25002\" Src-ip=\"10.48.36.6\" Src-port=\"5061\" Msg-Hash=\"13707" +
           std::to_string(i) +
           "\"\n SIPMSG:\n |SIP/2.0 504 Server time-out\n Via: SIP/2.0/TLS "
           "10.48.36.47:5061;branch=z9hG4bK42ee6fd77d32cc89;proxy-call-id="
           "6b2a018a-2da5-4013-a7e5-4e1455feadf7;rport;received=10.48.36.47\n Call-ID: " +
           id +
           "\n CSeq: 2066245576 INVITE\n From: \"DX70\" <sip:2000@acano.steven.lab>;tag="
           "9fea3e7d70afd884\n To: <sip:stejanss@skype.lab>;tag=C65A7B0A\n Server: RTC/6.0\n "
           "Content-Length: 0\n \n |\n\n";
  }
  return out;
}

std::string edge_log(int calls) {
  std::string out;
  for (int i = 0; i < calls; ++i) {
    const std::string id = "e144704c-1dd0-4ea7-929f-" + std::to_string(100000000000 + i);
    out +=
        "TL_INFO(TF_PROTOCOL) [sfvedge\\sfvedge]0584.0A44::03/02/2017-07:10:46.228.0000773C "
        "(SIPStack,SIPAdminLog::TraceProtocolRecord:SIPAdminLog.cpp(125)) [156659184] "
        "$$begin_record\nTrace-Correlation-Id: 156659184\nInstance-Id: 0000773C\nDirection: "
        "incoming;source=\"external edge\";destination=\"internal edge\"\nPeer: "
        "vcse.steven.lab:25002\nMessage-Type: request\nStart-Line: INVITE sip:stejanss@skype.lab "
        "SIP/2.0\nFROM: \"DX70\" <sip:2000@acano.steven.lab>;tag=9fea3e7d70afd884\nTO: "
        "<sip:stejanss@skype.lab>\nCSEQ: 2066245576 INVITE\nCALL-ID: " +
        id +
        "\nVIA: SIP/2.0/TLS 10.48.36.47:5061;branch=z9hG4bK42ee6fd7;proxy-call-id=6b2a018a;rport\n"
        "CONTENT-LENGTH: 0\nMessage-Body: -\n$$end_record\n";
    out +=
        "TL_WARN(TF_DIAG) [sfvedge\\sfvedge]0584.0A44::03/02/2017-07:10:46.230.0000773E "
        "(SIPStack,SIPAdminLog::WriteDiagnosticEvent:SIPAdminLog.cpp(830)) [156659184] "
        "$$begin_record\nSeverity: warning\nText: The domain of the message resolved by DNS SRV "
        "but none of the FQDNs is in the same domain\nResult-Code: 0xc3e93d6f "
        "SIPPROXY_E_EPROUTING_MSG_ALLOWED_DOMAIN_NO_SRV_MATCH\nSIP-Start-Line: INVITE "
        "sip:stejanss@skype.lab SIP/2.0\nSIP-Call-ID: " +
        id +
        "\nSIP-CSeq: 2066245576 INVITE\nPeer: vcse.steven.lab:25002\nData: "
        "domain=\"acano.steven.lab\";fqdn1=\"vcse.steven.lab:5061\"\n$$end_record\n";
    out +=
        "TL_INFO(TF_PROTOCOL) [sfvedge\\sfvedge]0584.0A44::03/02/2017-07:10:46.231.00007740 "
        "(SIPStack,SIPAdminLog::TraceProtocolRecord:SIPAdminLog.cpp(125)) [156659184] "
        "$$begin_record\nTrace-Correlation-Id: 156659184\nInstance-Id: 00007740\nDirection: "
        "outgoing;source=\"local\";destination=\"external edge\"\nPeer: vcse.steven.lab:25002\n"
        "Message-Type: response\nStart-Line: SIP/2.0 504 Server time-out\nFROM: \"DX70\" "
        "<sip:2000@acano.steven.lab>;tag=9fea3e7d70afd884\nTO: <sip:stejanss@skype.lab>;tag=C65A\n"
        "CSEQ: 2066245576 INVITE\nCALL-ID: " +
        id + "\nSERVER: RTC/6.0\nCONTENT-LENGTH: 0\nMessage-Body: -\n$$end_record\n";
  }
  return out;
}

std::string sip_invite() {
  return "INVITE sip:stejanss@skype.lab SIP/2.0\r\n"
         "Via: SIP/2.0/TLS 10.48.36.47:5061;egress-zone=DNSZone1;branch=z9hG4bK42ee6fd77d32cc89;"
         "proxy-call-id=6b2a018a-2da5-4013-a7e5-4e1455feadf7;rport\r\n"
         "Via: SIP/2.0/TLS 10.48.36.46:5061;egress-zone=TraversalZoneClient1;branch="
         "z9hG4bK1f8bbe5926dc6abd;proxy-call-id=e7e33845-c384-4c28-a42d-016863640fbb;received="
         "10.48.36.46;rport=28119;ingress-zone=TraversalZoneServer1\r\n"
         "Call-ID: f1b3ad5d-183b-4632-b210-c2f9bec71960\r\n"
         "CSeq: 2066245576 INVITE\r\n"
         "Contact: <sip:2000@acano.steven.lab;gr=urn:uuid:2b6b7c1c-5e4b-4c3a-9d4d-0c5d8a2f0e11>\r\n"
         "From: \"DX70 Steven\" <sip:2000@acano.steven.lab>;tag=9fea3e7d70afd884\r\n"
         "To: <sip:stejanss@skype.lab>\r\n"
         "Max-Forwards: 68\r\n"
         "Allow: INVITE,ACK,CANCEL,BYE,UPDATE,INFO,OPTIONS,REFER,NOTIFY\r\n"
         "User-Agent: Acano CallBridge\r\n"
         "Content-Type: application/sdp\r\n"
         "Content-Length: 27\r\n\r\n"
         "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\n";
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    out.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

}  // namespace fedtriage::bench
