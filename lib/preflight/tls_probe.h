// The TLS half of the preflight: one client handshake, as a Microsoft Edge would open it, to
// get the peer's certificate chain and the negotiated version. Only the handshake is sent.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fedtriage::preflight {

struct TlsProbeResult {
  bool connected = false;  // TCP connection made
  bool handshake = false;  // TLS handshake completed
  std::string error;       // why not: "connection refused", "no answer within 5 s", ...
  std::string version;     // "TLSv1.3"
  // As the server sent it, leaf first; also after a handshake that failed once the server's
  // certificate had arrived (a server that insists on a client certificate).
  std::vector<std::string> chain_der;
};

// `address` is an IP literal; `sni` is sent as server name (the SRV target). Connect and
// handshake together end within `timeout_ms`. The certificate is not judged here (see
// certificate_check): every chain is accepted so that it can be examined. TLS 1.0 and 1.1 are
// offered too, to tell a too-old server from one that does not answer. SIGPIPE is blocked for
// the calling thread while it runs.
TlsProbeResult probe_tls(const std::string& address, uint16_t port, const std::string& sni,
                         int timeout_ms);

}  // namespace fedtriage::preflight
