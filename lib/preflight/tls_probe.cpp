#include "lib/preflight/tls_probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

#include "lib/base/sys_error.h"

namespace fedtriage::preflight {
namespace {

using Clock = std::chrono::steady_clock;

std::string seconds_text(int ms) {
  std::string s = std::to_string(ms / 1000);
  if (ms % 1000) s += "." + std::to_string(ms % 1000 / 100);
  return s + " s";
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// A write to a socket the server closed must not kill the process (OpenSSL writes with
// write(), not send(MSG_NOSIGNAL)): SIGPIPE is blocked for this thread while the probe runs,
// and one it raised is consumed before the mask is restored.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeBlock() {
    if (!was_pending_) {
      const timespec zero{0, 0};
      while (sigtimedwait(&pipe_, nullptr, &zero) == SIGPIPE) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t pipe_{}, old_{};
  bool was_pending_ = false;
};

int remaining_ms(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

// Waits for `events` on fd until the deadline; false on timeout.
bool wait_for(int fd, short events, Clock::time_point deadline) {
  while (true) {
    const int left = remaining_ms(deadline);
    if (left == 0) return false;
    pollfd p{fd, events, 0};
    const int n = poll(&p, 1, left);
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return true;  // let the next call report the error
  }
}

std::string ssl_error_text() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return {};
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  // "error:0A000410:SSL routines::sslv3 alert handshake failure" -> after the last "::"/":"
  std::string s = buf;
  const size_t pos = s.rfind(':');
  return pos == std::string::npos ? s : s.substr(pos + 1);
}

struct SslCtxFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslFree {
  void operator()(SSL* s) const { SSL_free(s); }
};

void copy_chain(SSL* ssl, TlsProbeResult* r) {
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);
  if (!chain) return;
  for (int i = 0; i < sk_X509_num(chain); ++i) {
    unsigned char* buf = nullptr;
    const int n = i2d_X509(sk_X509_value(chain, i), &buf);
    if (n > 0) r->chain_der.emplace_back(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
    OPENSSL_free(buf);
  }
}

}  // namespace

TlsProbeResult probe_tls(const std::string& address, uint16_t port, const std::string& sni,
                         int timeout_ms) {
  SigpipeBlock no_sigpipe;
  TlsProbeResult r;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);

  sockaddr_storage ss{};
  socklen_t len = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
  if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    len = sizeof *v4;
  } else if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    len = sizeof *v6;
  } else {
    r.error = "'" + address + "' is not an IP address";
    return r;
  }
  Fd fd(socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) {
    r.error = "socket: " + sys_error_message(errno);
    return r;
  }
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    if (errno != EINPROGRESS) {
      r.error = sys_error_message(errno);
      return r;
    }
    if (!wait_for(fd.get(), POLLOUT, deadline)) {
      r.error = "no TCP connection within " + seconds_text(timeout_ms);
      return r;
    }
    int err = 0;
    socklen_t elen = sizeof err;
    getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &elen);
    if (err != 0) {
      r.error = sys_error_message(err);
      return r;
    }
  }
  r.connected = true;

  std::unique_ptr<SSL_CTX, SslCtxFree> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) {
    r.error = "TLS set-up failed: " + ssl_error_text();
    return r;
  }
  // Offer old versions too (security level 0 allows them) so that a TLS 1.0/1.1-only server is
  // named as such instead of failing as "no protocols available"; the verdict is separate.
  SSL_CTX_set_security_level(ctx.get(), 0);
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_VERSION);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  std::unique_ptr<SSL, SslFree> ssl(SSL_new(ctx.get()));
  if (!ssl || SSL_set_fd(ssl.get(), fd.get()) != 1) {
    r.error = "TLS set-up failed: " + ssl_error_text();
    return r;
  }
  if (!sni.empty()) SSL_set_tlsext_host_name(ssl.get(), sni.c_str());
  ERR_clear_error();
  while (true) {
    const int rc = SSL_connect(ssl.get());
    if (rc == 1) break;
    const int err = SSL_get_error(ssl.get(), rc);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
      if (!wait_for(fd.get(), err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline)) {
        r.error = "no TLS handshake within " + seconds_text(timeout_ms) +
                  " (the server accepted the connection but did not complete the handshake)";
        return r;
      }
      continue;
    }
    const int saved_errno = errno;
    std::string why = ssl_error_text();
    if (why.empty() || why == "unexpected eof while reading") {
      const bool syscall = err == SSL_ERROR_SYSCALL && saved_errno != 0;
      if (syscall && saved_errno != ECONNRESET && saved_errno != EPIPE) {
        why = "the connection failed during the TLS handshake: " + sys_error_message(saved_errno);
      } else {
        why = std::string("the server closed the connection during the TLS handshake") +
              (syscall ? " (connection reset)" : "");
      }
    }
    r.error = why;
    // A server that wants a client certificate (mutual TLS, as with a Microsoft Edge) may end
    // a TLS 1.2 handshake after it sent its own: that one can still be checked.
    copy_chain(ssl.get(), &r);
    return r;
  }
  r.handshake = true;
  r.version = SSL_get_version(ssl.get());
  copy_chain(ssl.get(), &r);
  // A polite close_notify, once, without waiting for the answer.
  SSL_shutdown(ssl.get());
  ERR_clear_error();
  return r;
}

}  // namespace fedtriage::preflight
