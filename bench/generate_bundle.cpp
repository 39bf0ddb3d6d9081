// fedtriage_generate: writes a realistic customer bundle of any size for benchmarks, with a
// ground-truth file that says which calls fail and which rule must explain each.
//
// Layout (see docs/log-formats.md and testdata/): OUT/logs/expressway/loggingsnapshot_*.txt
// (one per Expressway-E node), OUT/logs/edge/sfbedge_*.log (one Edge CLS trace) and
// OUT/logs/client/<user>/Lync-UccApi-0.UccApiLog; with --tar-gz all of it goes into
// OUT/bundle.tar.gz instead. OUT/ground-truth.json sits beside, outside what is analysed.
//
// Every file is written in time order. Calls overlap in time: each call renders all its
// records up front into a time-ordered queue, drained as the clock passes them, so memory
// stays bounded by the calls in flight.
#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <queue>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace fedtriage::bench {
namespace {

namespace fs = std::filesystem;

struct Options {
  double size_mb = 100;
  uint64_t seed = 1;
  std::string out;
  double failure_ratio = 0.1;  // of federation calls
  double noise_ratio = 0.8;    // share of developer.* lines among Expressway lines
  // > 0: the dense profile of a busy Expressway-E with DEBUG network.sip: about this many
  // SIPMSG blocks per MB of Expressway log, each followed by developer.sip.leg dumps of the
  // message (instead of noise_ratio's scattered developer lines).
  double sip_per_mb = 0;
  int expressway_nodes = 2;
  int clients = 4;
  bool tar_gz = false;
};

enum class Failure { None, SrvDomainMismatch, CertMismatch, SrvRecordMissing, TlsFailure, Bare504 };

const char* rule_of(Failure f) {
  switch (f) {
    case Failure::SrvDomainMismatch:
      return "srv-domain-mismatch";
    case Failure::CertMismatch:
      return "cert-fqdn-mismatch";
    case Failure::SrvRecordMissing:
      return "srv-record-missing";
    case Failure::TlsFailure:
      return "tls-negotiation-failure";
    case Failure::Bare504:
      return "unexplained-504";
    case Failure::None:
      return "";
  }
  return "";
}

// ---- time formatting ---------------------------------------------------------------------

struct Civil {
  int y, m, d, hh, mm, ss, ms;
};

Civil civil(int64_t ms_since_epoch) {
  int64_t s = ms_since_epoch / 1000;
  Civil c{};
  c.ms = static_cast<int>(ms_since_epoch % 1000);
  int64_t days = s / 86400, rem = s % 86400;
  c.hh = static_cast<int>(rem / 3600);
  c.mm = static_cast<int>(rem / 60 % 60);
  c.ss = static_cast<int>(rem % 60);
  // Howard Hinnant's days -> civil.
  days += 719468;
  const int64_t era = days / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  c.d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.y = static_cast<int>(yoe + era * 400 + (c.m <= 2));
  return c;
}

constexpr int kExpresswayOffsetMin = 60;  // Expressway local time: UTC+01:00
constexpr int kClientOffsetMin = 60;      // client clocks: local, no zone in the log

// "2024-03-04T09:00:00.123+01:00 vcse1 tvcs: UTCTime=\"2024-03-04 08:00:00,123\""
std::string tvcs_prefix(int64_t t, const std::string& host) {
  const Civil l = civil(t + kExpresswayOffsetMin * 60000), u = civil(t);
  char buf[160];
  std::snprintf(buf, sizeof buf,
                "%04d-%02d-%02dT%02d:%02d:%02d.%03d+01:00 %s tvcs: UTCTime=\"%04d-%02d-%02d "
                "%02d:%02d:%02d,%03d\"",
                l.y, l.m, l.d, l.hh, l.mm, l.ss, l.ms, host.c_str(), u.y, u.m, u.d, u.hh, u.mm,
                u.ss, u.ms);
  return buf;
}

std::string tvcs_event_prefix(int64_t t, const std::string& host) {
  const Civil l = civil(t + kExpresswayOffsetMin * 60000);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+01:00 %s tvcs: ", l.y, l.m,
                l.d, l.hh, l.mm, l.ss, l.ms, host.c_str());
  return buf;
}

std::string utc_attr(int64_t t) {
  const Civil u = civil(t);
  char buf[48];
  std::snprintf(buf, sizeof buf, "UTCTime=\"%04d-%02d-%02d %02d:%02d:%02d,%03d\"", u.y, u.m, u.d,
                u.hh, u.mm, u.ss, u.ms);
  return buf;
}

// "03/04/2024-08:00:00.123" (Edge, UTC) or "03/04/2024|09:00:00.123" (client, local).
std::string mdy_time(int64_t t, char sep) {
  const Civil c = civil(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d%c%02d:%02d:%02d.%03d", c.m, c.d, c.y, sep, c.hh,
                c.mm, c.ss, c.ms);
  return buf;
}

// ---- SIP messages --------------------------------------------------------------------------

struct Sip {
  std::string start;                 // "INVITE sip:a@b SIP/2.0" or "SIP/2.0 200 OK"
  std::vector<std::string> headers;  // "Name: value"
  std::vector<std::string> body;     // SDP lines
  bool request() const { return start.compare(0, 4, "SIP/") != 0; }
  size_t content_length() const {
    size_t n = 0;
    for (const auto& l : body) n += l.size() + 2;
    return n;
  }
};

// ---- output files ----------------------------------------------------------------------------

enum class Fmt { Expressway, Edge, Client };

struct OutFile {
  std::string rel;  // path under logs/
  Fmt fmt;
  std::string host;
  FILE* f = nullptr;
  uint64_t bytes = 0;
  uint64_t lines = 0;
  uint64_t sip_messages = 0;
};

struct Pending {
  int64_t t;
  uint64_t seq;
  size_t file;
  std::string text;
  bool operator>(const Pending& o) const { return t != o.t ? t > o.t : seq > o.seq; }
};

class Generator {
 public:
  explicit Generator(const Options& o) : o_(o), rng_(o.seed) {}

  int run() {
    const fs::path logs = fs::path(o_.out) / "logs";
    std::error_code ec;
    fs::remove_all(logs, ec);
    fs::create_directories(logs / "expressway");
    fs::create_directories(logs / "edge");
    for (int i = 0; i < o_.expressway_nodes; ++i) {
      files_.push_back(
          {"expressway/loggingsnapshot_vcse" + std::to_string(i + 1) + "_2024-03-04_08-00-00.txt",
           Fmt::Expressway, "vcse" + std::to_string(i + 1)});
    }
    edge_ = files_.size();
    files_.push_back({"edge/sfbedge_CLS_2024-03-04.log", Fmt::Edge, "sfbedge"});
    client0_ = files_.size();
    for (int i = 0; i < o_.clients; ++i) {
      const std::string dir = "client/user" + std::to_string(i + 1);
      fs::create_directories(logs / dir);
      files_.push_back({dir + "/Lync-UccApi-0.UccApiLog", Fmt::Client, ""});
    }
    for (OutFile& f : files_) {
      f.f = std::fopen((logs / f.rel).c_str(), "wb");
      if (!f.f) {
        std::perror(f.rel.c_str());
        return 1;
      }
      std::setvbuf(f.f, nullptr, _IOFBF, 1 << 20);
    }
    const uint64_t target = static_cast<uint64_t>(o_.size_mb * 1024 * 1024);
    int64_t now = 1709539200000;  // 2024-03-04T08:00:00Z
    std::exponential_distribution<double> gap(1.0 / 1500.0);
    while (written_ + pending_bytes_ < target) {
      now += 1 + static_cast<int64_t>(gap(rng_));
      drain(now);
      const double r = uni();
      if (r < 0.45) {
        federation_call(now);
      } else {
        noise_dialog(now);
      }
    }
    drain(INT64_MAX);
    for (OutFile& f : files_) std::fclose(f.f);
    if (o_.tar_gz && !write_tar(logs)) return 1;
    return write_truth() ? 0 : 1;
  }

 private:
  double uni() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  uint64_t u64() { return rng_(); }
  std::string hex(int digits) {
    static const char* k = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < digits; ++i) s += k[rng_() & 15];
    return s;
  }
  std::string uuid() {
    return hex(8) + "-" + hex(4) + "-4" + hex(3) + "-a" + hex(3) + "-" + hex(12);
  }

  void put(int64_t t, size_t file, std::string text) {
    pending_bytes_ += text.size();
    queue_.push(Pending{t, seq_++, file, std::move(text)});
  }

  void drain(int64_t upto) {
    while (!queue_.empty() && queue_.top().t < upto) {
      const Pending& p = queue_.top();
      OutFile& f = files_[p.file];
      std::fwrite(p.text.data(), 1, p.text.size(), f.f);
      f.bytes += p.text.size();
      for (char c : p.text) f.lines += c == '\n';
      written_ += p.text.size();
      pending_bytes_ -= p.text.size();
      queue_.pop();
    }
  }

  // ---- Expressway ----------------------------------------------------------------------------

  // developer.* lines as the X8.11 reference log has them: the bulk of any real log.
  std::string developer_noise(int64_t t, const std::string& host, size_t sip_lines) {
    // noise / (noise + sip) = ratio  =>  noise = sip * ratio / (1 - ratio), spread randomly.
    const double want = static_cast<double>(sip_lines) * o_.noise_ratio / (1 - o_.noise_ratio);
    int n = static_cast<int>(want);
    if (uni() < want - n) ++n;
    std::string out;
    const std::string prefix = tvcs_prefix(t, host);
    const std::string thread = "0x7fc1d8e2d700";
    for (int i = 0; i < n; ++i) {
      out += prefix;
      switch (pick(8)) {
        case 0:
          out +=
              " Module=\"developer.sip.leg\" Level=\"DEBUG\" CodeLocation=\"ppcmains/sip/"
              "sipproxy/SipProxyLeg.cpp(3090)\" Method=\"SipProxyLeg::runImpl\" Thread=\"" +
              thread + "\":  this=\"0x556a" + hex(8) + "\" Type=\"Outbound\"\n";
          break;
        case 1:
          out +=
              " Module=\"developer.fsm.sipproxylegfsm\" Level=\"TRACE\" CodeLocation=\"allshare/"
              "fsm/fsmfsm.cpp(909)\" Method=\"::sys_testAndExecTask\" Thread=\"" +
              thread +
              "\":  Detail=\"Completed message execution on task\" Self=\"SipProxyLegFsm:" +
              std::to_string(pick(20000)) +
              "\" Sender=\"TransitLocationNodeFsm:5180\" Msg=\"Run\" "
              "Task=\"T_OUTBOUNDLEGIDLE_RUN\" State=\"\" NxtState=\"\" NxtStateId=\"12\" "
              "Started-task-name=\"T_OUTBOUNDLEGIDLE_RUN\" "
              "Completed-task-name=\"T_OUTBOUNDLEGIDLE_RUN\"\n";
          break;
        case 2:
          out +=
              " Module=\"developer.fsm.sipproxymsgdspfsm\" Level=\"TRACE\" "
              "CodeLocation=\"allshare/fsm/fsmfsm.cpp(900)\" Method=\"::sys_testAndExecTask\" "
              "Thread=\"" +
              thread +
              "\":  Detail=\"Starting message execution on task\" Self=\"SipProxyMsgDspFsm:0\" "
              "Sender=\"SipTrans:" +
              std::to_string(pick(20000)) +
              "\" Msg=\"SIPTrans_Ind\" Task=\"T_READY_SIPTRANS_IND\" State=\"\" NxtState=\"\" "
              "NxtStateId=\"4\" Task-name=\"T_READY_SIPTRANS_IND\"\n";
          break;
        case 3:
          out +=
              " Module=\"developer.sip.leg\" Level=\"DEBUG\" CodeLocation=\"ppcmains/sip/"
              "sipproxy/SipProxyMisc.cpp(168)\" "
              "Method=\"::extractLastHopReportedOrApparentIfNattedFromRequest\" Thread=\"" +
              thread + "\": Reported address=['IPv4''TCP''10.0.0." + std::to_string(pick(250)) +
              ":" + std::to_string(20000 + pick(40000)) + "']\n";
          break;
        case 4:
          out +=
              " Module=\"developer.mediasessionmgr\" Level=\"DEBUG\" CodeLocation=\"ppcmains/"
              "mediasessionmgr/MediaSessionMgr.cpp(577)\" Method=\"MediaSessionMgr::"
              "processRequest\" Thread=\"" +
              thread + "\":  Session-id=\"" + uuid() + "\" Detail=\"Allocating media session\"\n";
          break;
        case 5:
          out +=
              " Module=\"developer.mediasessionmgr.mediasession\" Level=\"DEBUG\" "
              "CodeLocation=\"ppcmains/mediasessionmgr/MediaSession.cpp(1320)\" "
              "Method=\"MediaSession::updateState\" Thread=\"" +
              thread + "\":  this=\"0x556a" + hex(8) + "\" State=\"ACTIVE\" Channels=\"" +
              std::to_string(pick(6)) + "\"\n";
          break;
        case 6:
          out +=
              " Module=\"developer.sip.leg.collabedgeutils\" Level=\"DEBUG\" "
              "CodeLocation=\"ppcmains/sip/sipproxy/CollaborationEdgeUtils.cpp(176)\" "
              "Method=\"CollaborationEdgeUtils::getInboundZoneClassificationCondition\" "
              "Thread=\"" +
              thread + "\": Port taken into account port=\"" + std::to_string(20000 + pick(40000)) +
              "\"\n";
          break;
        default:
          out +=
              " Module=\"developer.call.callcounter\" Level=\"DEBUG\" CodeLocation=\"ppcmains/"
              "call/CallCounter.cpp(212)\" Method=\"CallCounter::update\" Thread=\"" +
              thread + "\":  Traversal-calls=\"" + std::to_string(pick(50)) +
              "\" Non-traversal-calls=\"" + std::to_string(pick(50)) + "\"\n";
          break;
      }
    }
    return out;
  }

  // Scattered developer lines before a one-line record (none in the dense profile, whose
  // developer lines follow the SIP messages).
  std::string noise_line(int64_t t, const std::string& host) {
    return o_.sip_per_mb > 0 ? std::string() : developer_noise(t, host, 1);
  }

  // INFO summary + DEBUG header + SIPMSG block, preceded by developer noise.
  void exp_sip(int64_t t, size_t file, bool sent, const std::string& local, const std::string& peer,
               const Sip& m, const std::string& call_id, const std::string& cseq_num,
               const std::string& method, const std::string& ruri, const std::string& from_tag,
               const std::string& to_tag) {
    OutFile& f = files_[file];
    f.sip_messages++;
    const std::string hash = std::to_string(u64() >> 1);
    const auto lc = local.rfind(':'), pc = peer.rfind(':');
    std::string addrs = "Action=\"" + std::string(sent ? "Sent" : "Received") + "\" Local-ip=\"" +
                        local.substr(0, lc) + "\" Local-port=\"" + local.substr(lc + 1) + "\" " +
                        (sent ? "Dst" : "Src") + "-ip=\"" + peer.substr(0, pc) + "\" " +
                        (sent ? "Dst" : "Src") + "-port=\"" + peer.substr(pc + 1) + "\"";
    std::string detail;
    if (m.request()) {
      detail = std::string(sent ? "Sending" : "Receive") + " Request Method=" + method +
               ", CSeq=" + cseq_num + ", Request-URI=" + ruri;
    } else {
      detail = std::string(sent ? "Sending" : "Receive") +
               " Response Code=" + m.start.substr(8, 3) + ", Method=" + method +
               ", CSeq=" + cseq_num + ", To=" + ruri;
    }
    detail += ", Call-ID=" + call_id + ", From-Tag=" + from_tag + ", To-Tag=" + to_tag +
              ", Msg-Hash=" + hash + ", Local-SessionID=, Remote-SessionID=";
    const std::string prefix = tvcs_prefix(t, f.host);
    std::string block = prefix + " Module=\"network.sip\" Level=\"INFO\":  " + addrs +
                        " Detail=\"" + detail + "\"\n";
    block += prefix + " Module=\"network.sip\" Level=\"DEBUG\":  " + addrs + " Msg-Hash=\"" + hash +
             "\"\n SIPMSG:\n |" + m.start + "\n";
    for (const auto& h : m.headers) block += " " + h + "\n";
    block += " Content-Length: " + std::to_string(m.content_length()) + "\n \n";
    for (const auto& b : m.body) block += " " + b + "\n";
    block += " |\n\n";
    if (o_.sip_per_mb > 0) {
      put(t, file, block + sip_leg_dump(t, f.host, m, block.size()));
      return;
    }
    const size_t lines = 6 + m.headers.size() + m.body.size();
    put(t, file, developer_noise(t, f.host, lines) + block);
  }

  // What a busy Expressway-E logs after each SIP message with developer.sip.leg at DEBUG: the
  // leg's state and the message again, one header per line, until the block has its share of
  // 1 MB / sip_per_mb bytes.
  std::string sip_leg_dump(int64_t t, const std::string& host, const Sip& m, size_t block_bytes) {
    const double share = 1048576.0 / o_.sip_per_mb;
    const double want = share - static_cast<double>(block_bytes);
    std::string out;
    if (want <= 0) return out;
    const std::string prefix = tvcs_prefix(t, host) +
                               " Module=\"developer.sip.leg\" Level=\"DEBUG\" "
                               "CodeLocation=\"ppcmains/sip/sipproxy/SipProxyLeg.cpp(";
    const std::string leg = "0x556a" + hex(8);
    const auto target = static_cast<size_t>(want * (0.8 + 0.4 * uni()));
    for (size_t round = 0; out.size() < target; ++round) {
      out += prefix +
             "3090)\" Method=\"SipProxyLeg::runImpl\" Thread=\"0x7fc1d8e2d700\":  this=\"" + leg +
             "\" Type=\"" + (round % 2 ? "Inbound" : "Outbound") + "\" State=\"" +
             std::to_string(round) + "\"\n";
      out += prefix + "1187)\" Method=\"SipProxyLeg::dumpMessage\" Thread=\"0x7fc1d8e2d700\":  " +
             "this=\"" + leg + "\" Start-line=\"" + m.start + "\"\n";
      for (const auto& h : m.headers) {
        if (out.size() >= target) break;
        out += prefix + "1193)\" Method=\"SipProxyLeg::dumpMessage\" Thread=\"0x7fc1d8e2d700\":  " +
               "this=\"" + leg + "\" Header=\"" + h + "\"\n";
      }
    }
    return out;
  }

  void exp_line(int64_t t, size_t file, const std::string& module, const std::string& level,
                const std::string& rest) {
    OutFile& f = files_[file];
    put(t, file,
        noise_line(t, f.host) + tvcs_prefix(t, f.host) + " Module=\"" + module + "\" Level=\"" +
            level + "\":  " + rest + "\n");
  }

  void exp_event(int64_t t, size_t file, const std::string& attrs) {
    OutFile& f = files_[file];
    put(t, file,
        noise_line(t, f.host) + tvcs_event_prefix(t, f.host) + attrs + " Level=\"1\" " +
            utc_attr(t) + "\n");
  }

  // ---- Edge ------------------------------------------------------------------------------------

  std::string edge_header(int64_t t, const char* level, const char* flag, const char* method,
                          uint32_t corr) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "TL_%s(%s) [sfbedge\\sfbedge]0584.0A44::%s.%08X (SIPStack,SIPAdminLog::%s) "
                  "[%u] $$begin_record\n",
                  level, flag, mdy_time(t, '-').c_str(), edge_seq_++, method, corr);
    return buf;
  }

  void edge_sip(int64_t t, bool incoming, const std::string& source, const std::string& destination,
                const std::string& peer, const Sip& m, uint32_t corr) {
    files_[edge_].sip_messages++;
    std::string r =
        edge_header(t, "INFO", "TF_PROTOCOL", "TraceProtocolRecord:SIPAdminLog.cpp(125)", corr);
    r += "Trace-Correlation-Id: " + std::to_string(corr) + "\nInstance-Id: " + hex(8) +
         "\nDirection: " + (incoming ? "incoming" : "outgoing") + ";source=\"" + source +
         "\";destination=\"" + destination + "\"\nPeer: " + peer +
         "\nMessage-Type: " + (m.request() ? "request" : "response") + "\nStart-Line: " + m.start +
         "\n";
    for (const auto& h : m.headers) {
      const size_t colon = h.find(':');
      std::string name = h.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      r += name + h.substr(colon) + "\n";
    }
    r += "CONTENT-LENGTH: " + std::to_string(m.content_length()) + "\n";
    if (m.body.empty()) {
      r += "Message-Body: -\n";
    } else {
      r += "Message-Body: " + m.body.front() + "\n";
      for (size_t i = 1; i < m.body.size(); ++i) r += m.body[i] + "\n";
    }
    r += "$$end_record\n";
    put(t, edge_, std::move(r));
  }

  void edge_diag(int64_t t, bool cert, const std::string& call_id, const std::string& cseq,
                 const std::string& start, const std::string& peer, const std::string& data,
                 uint32_t corr) {
    std::string r = edge_header(t, cert ? "ERROR" : "WARN", "TF_DIAG",
                                "WriteDiagnosticEvent:SIPAdminLog.cpp(830)", corr);
    if (cert) {
      r += "Severity: error\nText: Message cannot be routed because the peer's certificate does "
           "not contain a matching FQDN\nResult-Code: 0xc3e93d67 "
           "SIPPROXY_E_ROUTING_MSG_CERT_MISMATCH\n";
    } else {
      r += "Severity: warning\nText: The domain of the message resolved by DNS SRV but none of "
           "the FQDNs is in the same domain\nResult-Code: 0xc3e93d6f "
           "SIPPROXY_E_EPROUTING_MSG_ALLOWED_DOMAIN_NO_SRV_MATCH\n";
    }
    r += "SIP-Start-Line: " + start + "\nSIP-Call-ID: " + call_id + "\nSIP-CSeq: " + cseq +
         "\nPeer: " + peer + "\nData: " + data + "\n$$end_record\n";
    put(t, edge_, std::move(r));
  }

  void edge_noise(int64_t t, uint32_t corr, const std::string& peer) {
    std::string r;
    if (pick(2) == 0) {
      r = edge_header(t, "INFO", "TF_CONNECTION", "TraceConnectionRecord:SIPAdminLog.cpp(160)",
                      corr);
      r += "LogType: connection\nSeverity: information\nText: TLS negotiation started\n"
           "Local-Address: 10.1.0.6:5061\nPeer: " +
           peer + "\nConnection-ID: 0x" + hex(4) + "\nTransport: TLS\n$$end_record\n";
    } else {
      char buf[256];
      std::snprintf(buf, sizeof buf,
                    "TL_VERBOSE(TF_COMPONENT) [sfbedge\\sfbedge]0584.0A44::%s.%08X "
                    "(SIPStack,CSIPRequest::ProcessRoutingResult:SIPRequest.cpp(1877))( "
                    "000000A1%s ) Exit - routing complete. Result 0x0(S_OK)\n",
                    mdy_time(t, '-').c_str(), edge_seq_++, hex(8).c_str());
      r = buf;
    }
    put(t, edge_, std::move(r));
  }

  // ---- client ----------------------------------------------------------------------------------

  void client_sip(int64_t t, size_t file, bool sent, const Sip& m) {
    files_[file].sip_messages++;
    const std::string ts = mdy_time(t + kClientOffsetMin * 60000, '|');
    std::string text = m.start + "\n";
    for (const auto& h : m.headers) text += h + "\n";
    text += "Content-Length: " + std::to_string(m.content_length()) + "\n\n";
    for (const auto& b : m.body) text += b + "\n";
    const std::string what =
        sent ? "Sending Packet - 10.1.0.6:443 (From Local Address: 10.55.186.71:62937) "
             : "Data Received - 10.1.0.6:443 (To Local Address: 10.55.186.71:62937) ";
    const std::string bytes = std::to_string(text.size()) + " bytes";
    std::string r = ts + " 1A2C:2B3C INFO  :: " + what + bytes + ":\n" + ts +
                    " 1A2C:2B3C INFO  :: " + text + ts + " 1A2C:2B3C INFO  :: End of " + what +
                    bytes + "\n";
    put(t, file, std::move(r));
  }

  void client_line(int64_t t, size_t file, const std::string& level, const std::string& text) {
    put(t, file,
        mdy_time(t + kClientOffsetMin * 60000, '|') + " 1A2C:3D4E " + level + " :: " + text + "\n");
  }

  // ---- calls -----------------------------------------------------------------------------------

  static std::vector<std::string> sdp(const std::string& ip) {
    return {"v=0",
            "o=- 1 1 IN IP4 " + ip,
            "s=-",
            "c=IN IP4 " + ip,
            "t=0 0",
            "m=audio 36000 RTP/SAVP 0 8 101",
            "a=rtpmap:101 telephone-event/8000",
            "a=sendrecv"};
  }

  Failure pick_failure(bool cisco_side) {
    if (uni() >= o_.failure_ratio) return Failure::None;
    // Client-side failures (1009/1010/1008 reach the Lync client) and Expressway-side ones
    // (bare 504, TLS) in equal measure over the five rules.
    static const Failure kCisco[] = {Failure::SrvDomainMismatch, Failure::CertMismatch,
                                     Failure::TlsFailure, Failure::Bare504};
    static const Failure kLync[] = {Failure::SrvDomainMismatch, Failure::CertMismatch,
                                    Failure::SrvRecordMissing};
    return cisco_side ? kCisco[pick(4)] : kLync[pick(3)];
  }

  void federation_call(int64_t t0) {
    const bool cisco_side = pick(2) == 0;
    const Failure fail = pick_failure(cisco_side);
    if (cisco_side) {
      cisco_call(t0, fail);
    } else {
      lync_call(t0, fail);
    }
  }

  void record(const std::string& call_id, Failure f) {
    ++calls_;
    if (f == Failure::None) return;
    ++failed_;
    findings_[rule_of(f)]++;
    call_rule_.emplace(call_id, rule_of(f));
  }

  // Cisco endpoint -> Expressway-C -> Expressway-E -> Skype Edge -> Lync client.
  void cisco_call(int64_t t, Failure fail) {
    const size_t exp = static_cast<size_t>(pick(o_.expressway_nodes));
    const std::string& host = files_[exp].host;
    const int user = pick(o_.clients);
    const size_t client = client0_ + static_cast<size_t>(user);
    const std::string call_id = uuid();
    const std::string proxy_in = uuid(), proxy_out = uuid(), serial = proxy_out, tag = uuid();
    const std::string cseq = std::to_string(100 + pick(2000000000));
    const std::string from_tag = hex(16), to_tag = hex(32);
    const std::string from = "\"Room " + std::to_string(pick(900) + 100) + "\" <sip:room" +
                             std::to_string(pick(9000)) + "@cisco.example.org>;tag=" + from_tag;
    const std::string callee = "user" + std::to_string(user + 1) + "@skype.example";
    // TLS failures happen towards other federated domains, whose Edges are not in the bundle.
    const bool tls = fail == Failure::TlsFailure;
    const int partner = pick(40);
    const std::string domain =
        tls ? "partner" + std::to_string(partner) + ".example" : "skype.example";
    const std::string to_uri = tls ? "sip:dana@" + domain : "sip:" + callee;
    const std::string edge_ip = tls ? "198.51.100." + std::to_string(10 + partner) : "203.0.113.10";
    const std::string edge_addr = edge_ip + ":5061";
    const std::string expc = "10.0.0.5:25012", local_in = "10.0.1.20:7001",
                      local_out = "10.0.1.20:" + std::to_string(25000 + pick(30000));
    const std::string vcse_peer = host + ".cisco.example.org:" + local_out.substr(10);
    const uint32_t corr = static_cast<uint32_t>(u64());
    const std::string via_c =
        "Via: SIP/2.0/TLS 10.0.0.5:5061;egress-zone=TraversalZone;branch=z9hG4bK" + hex(32) +
        ";proxy-call-id=" + proxy_in + ";rport";
    const std::string via_e = "Via: SIP/2.0/TLS 10.0.1.20:5061;egress-zone=DNSZone;branch=z9hG4bK" +
                              hex(32) + "." + hex(32) + ";proxy-call-id=" + proxy_out + ";rport";
    const std::string via_c_recv =
        via_c + ";received=10.0.0.5;rport=25012;ingress-zone=TraversalZone";
    auto common = [&](std::vector<std::string> h, const std::string& to, const std::string& method,
                      const std::string& n) {
      h.push_back("Call-ID: " + call_id);
      h.push_back("CSeq: " + n + " " + method);
      h.push_back("From: " + from);
      h.push_back("To: " + to);
      return h;
    };
    const std::string to_plain = "<" + to_uri + ">", to_tagged = to_plain + ";tag=" + to_tag;
    Sip invite_in{"INVITE " + to_uri + " SIP/2.0", common({via_c}, to_plain, "INVITE", cseq),
                  sdp("10.0.0.77")};
    invite_in.headers.push_back("User-Agent: TANDBERG/529 (ce9.6.1)");
    invite_in.headers.push_back("Content-Type: application/sdp");
    Sip invite_out = invite_in;
    invite_out.headers = common({via_e, via_c_recv}, to_plain, "INVITE", cseq);
    invite_out.headers.push_back("Record-Route: <sip:proxy-call-id=" + proxy_out +
                                 "@10.0.1.20:5061;transport=tls;lr>");
    invite_out.headers.push_back("User-Agent: TANDBERG/529 (ce9.6.1)");
    invite_out.headers.push_back("Content-Type: application/sdp");
    auto resp = [&](const std::string& status, bool toward_c, bool tagged,
                    std::vector<std::string> extra, const std::string& method = "INVITE") {
      std::vector<std::string> vias;
      if (!toward_c)
        vias.push_back(via_e + ";received=10.0.1.20;ms-received-port=" + local_out.substr(10) +
                       ";ms-received-cid=" + hex(4));
      vias.push_back(via_c_recv);
      Sip s{"SIP/2.0 " + status, common(vias, tagged ? to_tagged : to_plain, method, cseq), {}};
      for (auto& e : extra) s.headers.push_back(std::move(e));
      return s;
    };
    const std::string fullto = to_uri.substr(4);

    exp_sip(t, exp, false, local_in, expc, invite_in, call_id, cseq, "INVITE", to_uri, from_tag,
            "");
    exp_event(
        t + 1, exp,
        "Event=\"Call Attempted\" Service=\"SIP\" Src-ip=\"10.0.0.5\" Src-port=\"25012\" "
        "Src-alias-type=\"SIP\" Src-alias=\"sip:room@cisco.example.org\" Dst-alias-type=\"SIP\" "
        "Dst-alias=\"" +
            to_uri + "\" Call-serial-number=\"" + serial + "\" Tag=\"" + tag +
            "\" Protocol=\"TLS\" Auth=\"YES\"");
    exp_event(t + 1, exp,
              "Event=\"Search Attempted\" Service=\"SIP\" Src-alias-type=\"SIP\" "
              "Src-alias=\"room@cisco.example.org\" Dst-alias-type=\"SIP\" Dst-alias=\"" +
                  to_uri + "\" Call-serial-number=\"" + serial + "\" Tag=\"" + tag +
                  "\" Detail=\"searchtype:INVITE\"");
    exp_line(t + 2, exp, "network.dns", "DEBUG",
             "Detail=\"Sending DNS query\" Name=\"_sipfederationtls._tcp." + domain +
                 "\" Type=\"SRV (IPv4 and IPv6)\"");
    exp_line(t + 4, exp, "network.dns", "DEBUG",
             "Detail=\"Resolved hostname to:  ['IPv4''TCP''" + edge_addr +
                 "'] (A/AAAA) Number of relevant records retrieved: 1\"");
    exp_line(t + 5, exp, "network.tcp", "DEBUG",
             "Src-ip=\"10.0.1.20\" Src-port=\"" + local_out.substr(10) + "\" Dst-ip=\"" + edge_ip +
                 "\" Dst-port=\"5061\" Detail=\"TCP Connecting\"");
    exp_sip(t + 8, exp, true, local_out, edge_addr, invite_out, call_id, cseq, "INVITE", to_uri,
            from_tag, "");
    exp_sip(t + 9, exp, true, local_in, expc, resp("100 Trying", true, false, {}), call_id, cseq,
            "INVITE", fullto, from_tag, "");
    record(call_id, fail);
    if (tls) {
      const std::string reason = pick(2) ? "sslv3 alert certificate unknown"
                                         : "Peer's TLS certificate identity was unacceptable";
      exp_line(t + 40, exp, "developer.ssl", "ERROR",
               "TTSSL_continueHandshake: Failed to establish SSL connection iResult=\"-1\" "
               "error=\"1\" bServer=\"false\" localAddress=\"['IPv4''TCP''" +
                   local_out + "']\" remoteAddress=\"['IPv4''TCP''" + edge_addr +
                   "']\" ssl_error_reason=\"error:14094416:SSL routines:ssl3_read_bytes:" + reason +
                   "\"");
      exp_event(t + 41, exp,
                "Event=\"Outbound TLS Negotiation Error\" Service=\"SIP\" Src-ip=\"10.0.1.20\" "
                "Src-port=\"" +
                    local_out.substr(10) + "\" Dst-ip=\"" + edge_ip +
                    "\" Dst-port=\"5061\" Detail=\"" + reason +
                    "\" Protocol=\"TLS\" Common-name=\"sip." + domain + "\"");
      exp_line(t + 42, exp, "network.tcp", "DEBUG",
               "Src-ip=\"10.0.1.20\" Src-port=\"" + local_out.substr(10) + "\" Dst-ip=\"" +
                   edge_ip + "\" Dst-port=\"5061\" Detail=\"TCP Connection Closed\" Reason=\"" +
                   reason + "\"");
      exp_sip(t + 50, exp, true, local_in, expc,
              resp("503 Service Unavailable", true, true,
                   {"Server: TANDBERG/4352 (X12.5.4)",
                    "Warning: 399 10.0.1.20 \"TLS negotiation failure\""}),
              call_id, cseq, "INVITE", fullto, from_tag, to_tag);
      exp_event(t + 51, exp,
                "Event=\"Call Rejected\" Service=\"SIP\" Src-alias-type=\"SIP\" "
                "Src-alias=\"room@cisco.example.org\" Dst-alias-type=\"SIP\" Dst-alias=\"" +
                    to_uri + "\" Call-serial-number=\"" + serial + "\" Tag=\"" + tag +
                    "\" Reason=\"Service Unavailable\" Protocol=\"TLS\" Response-code=\"503\"");
      return;
    }
    // The Skype Edge receives the INVITE.
    edge_noise(t + 10, corr, vcse_peer);
    edge_sip(t + 12, true, "external edge", "internal edge", vcse_peer, invite_out, corr);
    if (fail == Failure::None) {
      // Routed to the FE and the client, which answers.
      edge_sip(t + 14, false, "external edge", "internal edge", "fe.skype.example:5061", invite_out,
               corr);
      client_sip(t + 30, client, false, invite_out);
      const Sip ringing = resp("180 Ringing", false, true, {"Server: RTC/6.0"});
      const Sip ok = resp("200 OK", false, true, {"Server: RTC/6.0"});
      client_sip(t + 35, client, true, ringing);
      const int64_t answer = t + 2000 + pick(8000);
      client_sip(answer, client, true, ok);
      edge_sip(answer + 20, false, "internal edge", "external edge", vcse_peer, ok, corr);
      exp_sip(answer + 30, exp, false, local_out, edge_addr, ok, call_id, cseq, "INVITE", fullto,
              from_tag, to_tag);
      exp_sip(answer + 31, exp, true, local_in, expc, resp("200 OK", true, true, {}), call_id, cseq,
              "INVITE", fullto, from_tag, to_tag);
      exp_event(answer + 32, exp,
                "Event=\"Call Connected\" Service=\"SIP\" Src-alias-type=\"SIP\" "
                "Src-alias=\"room@cisco.example.org\" Dst-alias-type=\"SIP\" Dst-alias=\"" +
                    to_uri + "\" Call-serial-number=\"" + serial + "\" Tag=\"" + tag +
                    "\" Protocol=\"TLS\"");
      // Hang-up from the Cisco side.
      const int64_t bye = answer + 20000 + pick(200000);
      const std::string n2 = std::to_string(std::stoll(cseq) + 1);
      Sip bye_in{"BYE sip:" + callee + " SIP/2.0", common({via_c}, to_tagged, "BYE", n2), {}};
      Sip bye_out{
          "BYE sip:" + callee + " SIP/2.0", common({via_e, via_c_recv}, to_tagged, "BYE", n2), {}};
      exp_sip(bye, exp, false, local_in, expc, bye_in, call_id, n2, "BYE", "sip:" + callee,
              from_tag, to_tag);
      exp_sip(bye + 2, exp, true, local_out, edge_addr, bye_out, call_id, n2, "BYE",
              "sip:" + callee, from_tag, to_tag);
      edge_sip(bye + 10, true, "external edge", "internal edge", vcse_peer, bye_out, corr);
      client_sip(bye + 20, client, false, bye_out);
      Sip bye_ok{"SIP/2.0 200 OK", common({via_c_recv}, to_tagged, "BYE", n2), {}};
      client_sip(bye + 25, client, true, bye_ok);
      exp_sip(bye + 40, exp, true, local_in, expc, bye_ok, call_id, n2, "BYE", fullto, from_tag,
              to_tag);
      exp_event(bye + 41, exp,
                "Event=\"Call Disconnected\" Service=\"SIP\" Src-alias-type=\"SIP\" "
                "Src-alias=\"room@cisco.example.org\" Dst-alias-type=\"SIP\" Dst-alias=\"" +
                    to_uri + "\" Call-serial-number=\"" + serial + "\" Tag=\"" + tag +
                    "\" Reason=\"Call disconnected by remote\"");
      return;
    }
    // The Edge refuses it (or the FE times out, for the bare 504): a 504 without
    // ms-diagnostics goes back to the Expressway, which cannot tell why.
    if (fail == Failure::SrvDomainMismatch) {
      edge_diag(t + 15, false, call_id, cseq + " INVITE", invite_out.start, vcse_peer,
                "domain=\"cisco.example.org\";fqdn1=\"" + host + ".sub.cisco.example.org:5061\"",
                corr);
    } else if (fail == Failure::CertMismatch) {
      edge_diag(t + 15, true, call_id, cseq + " INVITE", invite_out.start, vcse_peer,
                "expected-fqdn=\"" + host + ".cisco.example.org\";certName=\"" + host +
                    ".internal.example.org\";info=\"The peer certificate does not contain a "
                    "matching FQDN\"",
                corr);
    }
    const int64_t tf = fail == Failure::Bare504 ? t + 8000 + pick(2000) : t + 16;
    const Sip r504 = resp("504 Server time-out", false, true, {"Server: RTC/6.0"});
    edge_sip(tf, false, "local", "external edge", vcse_peer, r504, corr);
    exp_sip(tf + 10, exp, false, local_out, edge_addr, r504, call_id, cseq, "INVITE", fullto,
            from_tag, to_tag);
    exp_sip(tf + 11, exp, true, local_in, expc,
            resp("504 Server time-out", true, true, {"Server: TANDBERG/4352 (X12.5.4)"}), call_id,
            cseq, "INVITE", fullto, from_tag, to_tag);
    exp_event(tf + 12, exp,
              "Event=\"Search Completed\" Service=\"SIP\" Src-alias-type=\"SIP\" "
              "Src-alias=\"room@cisco.example.org\" Dst-alias-type=\"SIP\" Dst-alias=\"" +
                  to_uri + "\" Call-serial-number=\"" + serial + "\" Tag=\"" + tag +
                  "\" Detail=\"found:false, searchtype:INVITE, Info:Request Timeout\"");
    exp_event(tf + 13, exp,
              "Event=\"Call Rejected\" Service=\"SIP\" Src-alias-type=\"SIP\" "
              "Src-alias=\"room@cisco.example.org\" Dst-alias-type=\"SIP\" Dst-alias=\"" +
                  to_uri + "\" Call-serial-number=\"" + serial + "\" Tag=\"" + tag +
                  "\" Reason=\"Server time-out\" Protocol=\"TLS\" Response-code=\"504\"");
  }

  // Lync client -> FE -> Skype Edge -> Expressway-E -> Expressway-C.
  void lync_call(int64_t t, Failure fail) {
    const int user = pick(o_.clients);
    const size_t client = client0_ + static_cast<size_t>(user);
    const size_t exp = static_cast<size_t>(pick(o_.expressway_nodes));
    const std::string& host = files_[exp].host;
    const std::string call_id = hex(32);
    const std::string cseq = "1";
    const std::string from_tag = hex(10), to_tag = hex(32);
    const uint32_t corr = static_cast<uint32_t>(u64());
    const std::string caller = "user" + std::to_string(user + 1) + "@skype.example";
    const std::string target = "sip:room" + std::to_string(pick(9000)) + "@cisco.example.org";
    const std::string vcse = host + ".cisco.example.org:5061";
    const std::string from = "\"User " + std::to_string(user + 1) + "\"<sip:" + caller +
                             ">;tag=" + from_tag + ";epid=" + hex(10);
    const std::string via_client = "Via: SIP/2.0/TLS 10.55.186.71:62937";
    const std::string via_fe = "Via: SIP/2.0/TLS 10.1.0.4:5061;branch=z9hG4bK" + hex(8) +
                               ";ms-internal-info=\"" + hex(16) + "\"";
    auto hdrs = [&](std::vector<std::string> vias, bool tagged, const std::string& method,
                    const std::string& n) {
      std::vector<std::string> h = std::move(vias);
      h.push_back("From: " + from);
      h.push_back("To: <" + target + ">" + (tagged ? ";tag=" + to_tag : ""));
      h.push_back("Call-ID: " + call_id);
      h.push_back("CSeq: " + n + " " + method);
      return h;
    };
    Sip invite{"INVITE " + target + " SIP/2.0", hdrs({via_client}, false, "INVITE", cseq),
               sdp("10.55.186.71")};
    invite.headers.push_back(
        "User-Agent: UCCAPI/16.0.4498.1000 OC/16.0.4498.1000 (Skype for Business)");
    invite.headers.push_back("Content-Type: application/sdp");
    Sip invite_edge = invite;
    invite_edge.headers = hdrs({via_fe, via_client}, false, "INVITE", cseq);
    invite_edge.headers.push_back("Content-Type: application/sdp");
    client_line(t - 1, client, "INFO ", "CUccSession::Connect - dialing " + target);
    client_sip(t, client, true, invite);
    client_sip(t + 40, client, false,
               Sip{"SIP/2.0 100 Trying", hdrs({via_client}, false, "INVITE", cseq), {}});
    edge_sip(t + 20, true, "internal edge", "external edge", "fe.skype.example:5061", invite_edge,
             corr);
    record(call_id, fail);
    if (fail == Failure::None) {
      edge_sip(t + 22, false, "internal edge", "external edge", vcse, invite_edge, corr);
      const std::string local_in = "10.0.1.20:5061",
                        edge_peer = "203.0.113.10:" + std::to_string(40000 + pick(20000));
      const std::string via_e = "Via: SIP/2.0/TLS 10.0.1.20:5061;branch=z9hG4bK" + hex(32) +
                                ";proxy-call-id=" + uuid() + ";rport";
      Sip inv_c = invite_edge;
      inv_c.headers.insert(inv_c.headers.begin(), via_e);
      exp_sip(t + 30, exp, false, local_in, edge_peer, invite_edge, call_id, cseq, "INVITE", target,
              from_tag, "");
      exp_sip(t + 32, exp, true, "10.0.1.20:7001", "10.0.0.5:25012", inv_c, call_id, cseq, "INVITE",
              target, from_tag, "");
      const int64_t answer = t + 1500 + pick(8000);
      Sip ok{"SIP/2.0 200 OK", hdrs({via_fe, via_client}, true, "INVITE", cseq), sdp("10.0.0.77")};
      ok.headers.push_back("Content-Type: application/sdp");
      exp_sip(answer, exp, true, local_in, edge_peer, ok, call_id, cseq, "INVITE", target, from_tag,
              to_tag);
      edge_sip(answer + 10, true, "external edge", "internal edge", vcse, ok, corr);
      Sip ok_client = ok;
      ok_client.headers = hdrs({via_client}, true, "INVITE", cseq);
      ok_client.headers.push_back("Content-Type: application/sdp");
      client_sip(answer + 30, client, false, ok_client);
      client_sip(answer + 35, client, true,
                 Sip{"ACK " + target + " SIP/2.0", hdrs({via_client}, true, "ACK", cseq), {}});
      const int64_t bye = answer + 20000 + pick(200000);
      Sip b{"BYE " + target + " SIP/2.0", hdrs({via_client}, true, "BYE", "2"), {}};
      client_sip(bye, client, true, b);
      Sip be = b;
      be.headers = hdrs({via_fe, via_client}, true, "BYE", "2");
      edge_sip(bye + 15, true, "internal edge", "external edge", "fe.skype.example:5061", be, corr);
      exp_sip(bye + 25, exp, false, local_in, edge_peer, be, call_id, "2", "BYE", target, from_tag,
              to_tag);
      Sip bok{"SIP/2.0 200 OK", hdrs({via_client}, true, "BYE", "2"), {}};
      client_sip(bye + 60, client, false, bok);
      return;
    }
    std::string diag;
    const std::string srv_target = host + ".sub.cisco.example.org:5061";
    if (fail == Failure::SrvDomainMismatch) {
      edge_diag(t + 25, false, call_id, cseq + " INVITE", invite.start, "fe.skype.example:5061",
                "domain=\"cisco.example.org\";fqdn1=\"" + srv_target + "\"", corr);
      diag =
          "ms-diagnostics: 1009;reason=\"No match for domain in DNS SRV results\";"
          "domain=\"cisco.example.org\";fqdn1=\"" +
          srv_target + "\";source=\"sip.skype.example\"";
    } else if (fail == Failure::CertMismatch) {
      edge_diag(t + 25, true, call_id, cseq + " INVITE", invite.start, vcse,
                "expected-fqdn=\"" + host + ".cisco.example.org\";certName=\"" + host +
                    ".internal.example.org\";info=\"The peer certificate does not contain a "
                    "matching FQDN\"",
                corr);
      diag =
          "ms-diagnostics: 1010;reason=\"Certificate trust with another server could not be "
          "established\";ErrorType=\"The peer certificate does not contain a matching FQDN\";"
          "tls-target=\"" +
          host + ".cisco.example.org\";PeerServer=\"" + host +
          ".internal.example.org\";HRESULT=\"0x80090322(SEC_E_WRONG_PRINCIPAL)\";"
          "source=\"sip.skype.example\"";
    } else {
      diag =
          "ms-diagnostics: 1008;reason=\"Unable to resolve DNS SRV record\";"
          "domain=\"cisco.example.org\";source=\"sip.skype.example\"";
    }
    Sip r504{"SIP/2.0 504 Server time-out", hdrs({via_fe, via_client}, true, "INVITE", cseq), {}};
    r504.headers.push_back(diag);
    r504.headers.push_back("Server: RTC/6.0");
    edge_sip(t + 27, false, "local", "internal edge", "fe.skype.example:5061", r504, corr);
    Sip c504 = r504;
    c504.headers =
        hdrs({via_client + ";ms-received-port=62937;ms-received-cid=6DA00"}, true, "INVITE", cseq);
    c504.headers.push_back(diag);
    c504.headers.push_back("Server: RTC/6.0");
    client_sip(t + 90, client, false, c504);
    client_sip(t + 92, client, true,
               Sip{"ACK " + target + " SIP/2.0", hdrs({via_client}, true, "ACK", cseq), {}});
    client_line(t + 100, client, "ERROR", "CUccSession::OnFailure - 504 Server time-out");
  }

  // Presence and registration traffic, OPTIONS keep-alives: most of what a real log holds.
  void noise_dialog(int64_t t) {
    const int kind = pick(3);
    const std::string call_id = kind == 0 ? uuid() : hex(32);
    const int user = pick(o_.clients);
    ++calls_;
    if (kind == 0) {  // OPTIONS keep-alive between the Expressway nodes and their neighbours
      const size_t exp = static_cast<size_t>(pick(o_.expressway_nodes));
      const std::string via = "Via: SIP/2.0/TLS 10.0.0.5:5061;branch=z9hG4bK" + hex(32) + ";rport";
      Sip opt{
          "OPTIONS sip:10.0.1.20:7001 SIP/2.0",
          {via, "Call-ID: " + call_id, "CSeq: 11 OPTIONS", "From: <sip:10.0.0.5>;tag=" + hex(16),
           "To: <sip:10.0.1.20:7001>", "Max-Forwards: 0", "User-Agent: TANDBERG/4352 (X12.5.4)"},
          {}};
      Sip ok = opt;
      ok.start = "SIP/2.0 200 OK";
      ok.headers[4] += ";tag=" + hex(16);
      exp_sip(t, exp, false, "10.0.1.20:7001", "10.0.0.5:25012", opt, call_id, "11", "OPTIONS",
              "sip:10.0.1.20:7001", "x", "");
      exp_sip(t + 1, exp, true, "10.0.1.20:7001", "10.0.0.5:25012", ok, call_id, "11", "OPTIONS",
              "sip:10.0.1.20:7001", "x", "y");
    } else if (kind == 1) {  // client REGISTER / SUBSCRIBE / BENOTIFY, seen by the client only
      const size_t client = client0_ + static_cast<size_t>(user);
      const std::string me = "sip:user" + std::to_string(user + 1) + "@skype.example";
      const char* methods[] = {"REGISTER", "SUBSCRIBE", "SERVICE"};
      const std::string method = methods[pick(3)];
      std::vector<std::string> h = {"Via: SIP/2.0/TLS 10.55.186.71:62937",
                                    "Max-Forwards: 70",
                                    "From: <" + me + ">;tag=" + hex(10) + ";epid=c21eec507a",
                                    "To: <" + me + ">",
                                    "Call-ID: " + call_id,
                                    "CSeq: " + std::to_string(1 + pick(50)) + " " + method};
      if (method == "SUBSCRIBE") h.push_back("Event: vnd-microsoft-roaming-self");
      client_line(t - 2, client, "TRACE", "CUccSubscriptionSession::Subscribe - roaming self");
      client_sip(t, client, true, Sip{method + " " + me + " SIP/2.0", h, {}});
      Sip ok{"SIP/2.0 200 OK", h, {}};
      ok.headers[3] += ";tag=" + hex(10);
      ok.headers.push_back("Server: RTC/6.0");
      client_sip(t + 50, client, false, ok);
    } else {  // federated presence through the Edge
      const std::string peer = "vcse1.cisco.example.org:" + std::to_string(25000 + pick(30000));
      const uint32_t corr = static_cast<uint32_t>(u64());
      const bool notify = pick(2) == 0;
      const std::string method = notify ? "NOTIFY" : "SUBSCRIBE";
      std::vector<std::string> h = {
          "FROM: <sip:user" + std::to_string(user + 1) + "@skype.example>;tag=" + hex(10),
          "TO: <sip:room" + std::to_string(pick(9000)) + "@cisco.example.org>",
          "CSEQ: " + std::to_string(1 + pick(9)) + " " + method,
          "CALL-ID: " + call_id,
          "VIA: SIP/2.0/TLS 10.1.0.4:5061;branch=z9hG4bK" + hex(8),
          "EVENT: presence"};
      edge_noise(t - 1, corr, peer);
      edge_sip(t, false, "internal edge", "external edge", peer,
               Sip{method + " sip:room@cisco.example.org SIP/2.0", h, {}}, corr);
      edge_sip(t + 30, true, "external edge", "internal edge", peer, Sip{"SIP/2.0 200 OK", h, {}},
               corr);
    }
  }

  bool write_tar(const fs::path& logs) {
    const fs::path tar = fs::path(o_.out) / "bundle.tar.gz";
    archive* a = archive_write_new();
    archive_write_add_filter_gzip(a);
    archive_write_set_format_pax_restricted(a);
    if (archive_write_open_filename(a, tar.c_str()) != ARCHIVE_OK) {
      std::fprintf(stderr, "%s: %s\n", tar.c_str(), archive_error_string(a));
      return false;
    }
    std::vector<char> buf(1 << 20);
    for (const OutFile& f : files_) {
      const fs::path p = logs / f.rel;
      archive_entry* e = archive_entry_new();
      archive_entry_set_pathname(e, ("diagnostic_bundle/" + f.rel).c_str());
      archive_entry_set_size(e, static_cast<la_int64_t>(fs::file_size(p)));
      archive_entry_set_filetype(e, AE_IFREG);
      archive_entry_set_perm(e, 0644);
      archive_entry_set_mtime(e, 1709539200, 0);
      archive_write_header(a, e);
      FILE* in = std::fopen(p.c_str(), "rb");
      size_t n;
      while ((n = std::fread(buf.data(), 1, buf.size(), in)) > 0)
        archive_write_data(a, buf.data(), n);
      std::fclose(in);
      archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
    fs::remove_all(logs);
    return true;
  }

  bool write_truth() {
    std::ofstream out(fs::path(o_.out) / "ground-truth.json");
    uint64_t total = 0;
    out << "{\n  \"seed\": " << o_.seed << ",\n  \"failure_ratio\": " << o_.failure_ratio
        << ",\n  \"noise_ratio\": " << o_.noise_ratio << ",\n  \"sip_per_mb\": " << o_.sip_per_mb
        << ",\n  \"layout\": \"" << (o_.tar_gz ? "bundle.tar.gz" : "logs/")
        << "\",\n  \"files\": [";
    for (size_t i = 0; i < files_.size(); ++i) {
      const OutFile& f = files_[i];
      total += f.bytes;
      out << (i ? "," : "") << "\n    {\"path\": \"" << f.rel << "\", \"format\": \""
          << (f.fmt == Fmt::Expressway ? "expressway"
              : f.fmt == Fmt::Edge     ? "edge"
                                       : "client")
          << "\", \"bytes\": " << f.bytes << ", \"lines\": " << f.lines
          << ", \"sip_messages\": " << f.sip_messages << "}";
    }
    uint64_t sip[3] = {0, 0, 0};
    for (const OutFile& f : files_) sip[static_cast<int>(f.fmt)] += f.sip_messages;
    out << "\n  ],\n  \"bytes\": " << total << ",\n  \"calls\": " << calls_
        << ",\n  \"failed_calls\": " << failed_
        << ",\n  \"sip_messages\": {\"expressway\": " << sip[0] << ", \"edge\": " << sip[1]
        << ", \"client\": " << sip[2] << "},\n  \"findings\": {";
    const char* rules[] = {"srv-domain-mismatch", "cert-fqdn-mismatch", "srv-record-missing",
                           "tls-negotiation-failure", "unexplained-504"};
    for (size_t i = 0; i < 5; ++i) {
      out << (i ? ", " : "") << "\"" << rules[i] << "\": " << findings_[rules[i]];
    }
    out << "},\n  \"call_findings\": {";
    bool first = true;
    for (const auto& [id, rule] : call_rule_) {
      out << (first ? "" : ",") << "\n    \"" << id << "\": \"" << rule << "\"";
      first = false;
    }
    out << "\n  }\n}\n";
    std::fprintf(stderr, "fedtriage_generate: %.1f MB in %zu files, %lu calls (%lu failed) in %s\n",
                 static_cast<double>(total) / 1048576.0, files_.size(),
                 static_cast<unsigned long>(calls_), static_cast<unsigned long>(failed_),
                 o_.out.c_str());
    return static_cast<bool>(out);
  }

  Options o_;
  std::mt19937_64 rng_;
  std::vector<OutFile> files_;
  size_t edge_ = 0, client0_ = 0;
  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> queue_;
  uint64_t seq_ = 0, written_ = 0, pending_bytes_ = 0;
  uint32_t edge_seq_ = 0x7000;
  uint64_t calls_ = 0, failed_ = 0;
  std::map<std::string, uint64_t> findings_;
  std::map<std::string, std::string> call_rule_;
};

int usage() {
  std::fprintf(stderr,
               "Usage: fedtriage_generate --out DIR [--size-mb N] [--seed S] [--failure-ratio R]\n"
               "         [--noise-ratio R] [--expressway-nodes N] [--clients N] [--tar-gz]\n"
               "         [--sip-per-mb N | --profile sparse|dense]\n"
               "--sip-per-mb N: about N SIPMSG blocks per MB of Expressway log, each followed by\n"
               "developer.sip.leg dumps (a busy Expressway-E at DEBUG). --profile dense: ~190 per\n"
               "MB, one Expressway-E, 3 clients; sparse (default): today's mix, ~80 %% noise.\n"
               "Writes DIR/logs/ (or DIR/bundle.tar.gz) and DIR/ground-truth.json.\n");
  return 2;
}

}  // namespace
}  // namespace fedtriage::bench

int main(int argc, char** argv) {
  using fedtriage::bench::Options;
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--out") {
      o.out = value();
    } else if (a == "--size-mb") {
      o.size_mb = std::stod(value());
    } else if (a == "--seed") {
      o.seed = std::stoull(value());
    } else if (a == "--failure-ratio") {
      o.failure_ratio = std::stod(value());
    } else if (a == "--noise-ratio") {
      o.noise_ratio = std::stod(value());
    } else if (a == "--expressway-nodes") {
      o.expressway_nodes = std::max(1, std::stoi(value()));
    } else if (a == "--clients") {
      o.clients = std::max(1, std::stoi(value()));
    } else if (a == "--sip-per-mb") {
      o.sip_per_mb = std::stod(value());
    } else if (a == "--profile") {
      const std::string p = value();
      if (p == "dense") {
        o.sip_per_mb = 205;  // ~190 measured: Event=, DNS and TCP lines share the file
        o.expressway_nodes = 1;
        o.clients = 3;
      } else if (p != "sparse") {
        return fedtriage::bench::usage();
      }
    } else if (a == "--tar-gz") {
      o.tar_gz = true;
    } else {
      return fedtriage::bench::usage();
    }
  }
  if (o.out.empty() || o.noise_ratio < 0 || o.noise_ratio >= 1 || o.sip_per_mb < 0)
    return fedtriage::bench::usage();
  return fedtriage::bench::Generator(o).run();
}
