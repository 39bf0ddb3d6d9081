// c-ares (Debian libc-ares-dev): asynchronous, so a lookup can be driven with poll() against a
// hard deadline and cancelled; it takes a server address and port per channel (dnsmasq on a
// test port), retries over TCP when a UDP answer is truncated (large SRV answers), and parses
// SRV records. getaddrinfo/res_query have no per-call server, port or deadline.
#include "lib/preflight/srv_lookup.h"

#include <ares.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <mutex>

namespace fedtriage::preflight {
namespace {

using Clock = std::chrono::steady_clock;

void library_init() {
  static std::once_flag once;
  std::call_once(once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
}

struct Query {
  int status = ARES_ETIMEOUT;
  std::string answer;  // raw DNS message
  bool done = false;
};

void on_answer(void* arg, int status, int, unsigned char* abuf, int alen) {
  auto* q = static_cast<Query*>(arg);
  q->status = status;
  if (status == ARES_SUCCESS && abuf && alen > 0) {
    q->answer.assign(reinterpret_cast<const char*>(abuf), static_cast<size_t>(alen));
  }
  q->done = true;
}

std::string seconds_text(int ms) {
  std::string s = std::to_string(ms / 1000);
  if (ms % 1000) s += "." + std::to_string(ms % 1000 / 100);
  return s + " s";
}

std::string status_text(int status, int timeout_ms) {
  switch (status) {
    case ARES_ENOTFOUND:
      return "NXDOMAIN";
    case ARES_ENODATA:
      return "no record of that type";
    case ARES_ETIMEOUT:
    case ARES_ECANCELLED:
      return "no answer within " + seconds_text(timeout_ms);
    case ARES_ESERVFAIL:
      return "SERVFAIL";
    case ARES_EREFUSED:
      return "REFUSED";
    case ARES_ECONNREFUSED:
      return "connection to the DNS server refused";
    default:
      return ares_strerror(status);
  }
}

DnsStatus classify(int status) {
  if (status == ARES_SUCCESS) return DnsStatus::Found;
  if (status == ARES_ENOTFOUND || status == ARES_ENODATA) return DnsStatus::NoRecord;
  return DnsStatus::Failed;
}

// One channel per lookup: its queries run in parallel until all answer or the deadline.
class Channel {
 public:
  explicit Channel(const ResolverOptions& o) : options_(o) {
    library_init();
    ares_options opts{};
    // Per try, so that a few tries fit into the deadline; the deadline below is the hard one.
    opts.timeout = std::max(200, o.timeout_ms / 3);
    opts.tries = 3;
    opts.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES;
    const int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS;
    if (ares_init_options(&channel_, &opts, mask) != ARES_SUCCESS) {
      channel_ = nullptr;
      return;
    }
    if (!o.server.empty() &&
        ares_set_servers_ports_csv(channel_, o.server.c_str()) != ARES_SUCCESS) {
      ares_destroy(channel_);
      channel_ = nullptr;
    }
  }
  ~Channel() {
    if (channel_) ares_destroy(channel_);
  }
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  bool ok() const { return channel_ != nullptr; }

  void query(const std::string& name, int type, Query* q) {
    ares_query(channel_, name.c_str(), ns_c_in, type, on_answer, q);
  }

  // Drives the queries until every one has answered or the deadline passed (then cancelled).
  void run(const std::vector<Query*>& queries) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(options_.timeout_ms);
    auto all_done = [&] {
      return std::all_of(queries.begin(), queries.end(), [](const Query* q) { return q->done; });
    };
    while (!all_done()) {
      const auto now = Clock::now();
      if (now >= deadline) {
        ares_cancel(channel_);  // calls every pending callback with ARES_ECANCELLED
        break;
      }
      ares_socket_t socks[ARES_GETSOCK_MAXNUM];
      const int bits = ares_getsock(channel_, socks, ARES_GETSOCK_MAXNUM);
      std::vector<pollfd> fds;
      for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
        short ev = 0;
        if (ARES_GETSOCK_READABLE(bits, i)) ev |= POLLIN;
        if (ARES_GETSOCK_WRITABLE(bits, i)) ev |= POLLOUT;
        if (ev) fds.push_back(pollfd{socks[i], ev, 0});
      }
      timeval max_tv{};
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
      max_tv.tv_sec = static_cast<time_t>(left / 1000);
      max_tv.tv_usec = static_cast<suseconds_t>((left % 1000) * 1000);
      timeval tv{};
      const timeval* t = ares_timeout(channel_, &max_tv, &tv);
      const int wait_ms = static_cast<int>(t->tv_sec * 1000 + t->tv_usec / 1000) + 1;
      const int n = poll(fds.data(), fds.size(), wait_ms);
      if (n <= 0) {
        ares_process_fd(channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // timeouts and retries
        continue;
      }
      for (const pollfd& p : fds) {
        const bool r = p.revents & (POLLIN | POLLERR | POLLHUP);
        const bool w = p.revents & POLLOUT;
        ares_process_fd(channel_, r ? p.fd : ARES_SOCKET_BAD, w ? p.fd : ARES_SOCKET_BAD);
      }
    }
    for (Query* q : queries) {
      if (!q->done) q->status = ARES_ETIMEOUT;
    }
  }

 private:
  ResolverOptions options_;
  ares_channel channel_ = nullptr;
};

std::string strip_dot(std::string s) {
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

bool valid_dns_server(const std::string& server, std::string* error) {
  std::string host = server;
  std::string port;
  if (!host.empty() && host.front() == '[') {
    const size_t close = host.find(']');
    if (close == std::string::npos) {
      *error = "'" + server + "': missing ']'";
      return false;
    }
    if (close + 1 < host.size()) {
      if (host[close + 1] != ':') {
        *error = "'" + server + "': expected [IPv6]:PORT";
        return false;
      }
      port = host.substr(close + 2);
    }
    host = host.substr(1, close - 1);
  } else if (std::count(host.begin(), host.end(), ':') == 1) {
    port = host.substr(host.find(':') + 1);
    host = host.substr(0, host.find(':'));
  }
  unsigned char buf[sizeof(in6_addr)];
  if (inet_pton(AF_INET, host.c_str(), buf) != 1 && inet_pton(AF_INET6, host.c_str(), buf) != 1) {
    *error = "'" + server + "': the DNS server must be an IP address (HOST[:PORT])";
    return false;
  }
  if (!port.empty()) {
    const bool digits = port.size() <= 5 && std::all_of(port.begin(), port.end(), [](char c) {
                          return c >= '0' && c <= '9';
                        });
    if (!digits || std::stoi(port) < 1 || std::stoi(port) > 65535) {
      *error = "'" + server + "': bad port";
      return false;
    }
  }
  return true;
}

SrvAnswer lookup_srv(const std::string& name, const ResolverOptions& options) {
  SrvAnswer out;
  Channel ch(options);
  if (!ch.ok()) {
    out.answer = "the resolver could not be set up (DNS server '" + options.server + "')";
    return out;
  }
  Query q;
  ch.query(name, ns_t_srv, &q);
  ch.run({&q});
  out.status = classify(q.status);
  if (q.status != ARES_SUCCESS) {
    out.answer =
        q.status == ARES_ENODATA ? "no SRV record" : status_text(q.status, options.timeout_ms);
    return out;
  }
  ares_srv_reply* replies = nullptr;
  const int st = ares_parse_srv_reply(reinterpret_cast<const unsigned char*>(q.answer.data()),
                                      static_cast<int>(q.answer.size()), &replies);
  if (st != ARES_SUCCESS) {
    out.status = st == ARES_ENODATA ? DnsStatus::NoRecord : DnsStatus::Failed;
    out.answer =
        st == ARES_ENODATA ? "no SRV record" : std::string("bad answer: ") + ares_strerror(st);
    return out;
  }
  for (ares_srv_reply* r = replies; r; r = r->next) {
    SrvTarget t;
    t.target = strip_dot(r->host ? r->host : "");
    t.port = r->port;
    t.priority = r->priority;
    t.weight = r->weight;
    out.targets.push_back(std::move(t));
  }
  ares_free_data(replies);
  // The order a client tries them in (weights only spread the load within a priority).
  std::sort(out.targets.begin(), out.targets.end(), [](const SrvTarget& a, const SrvTarget& b) {
    if (a.priority != b.priority) return a.priority < b.priority;
    if (a.weight != b.weight) return a.weight > b.weight;
    if (a.target != b.target) return a.target < b.target;
    return a.port < b.port;
  });
  out.answer = std::to_string(out.targets.size()) + " SRV record(s)";
  if (out.targets.empty()) {
    out.status = DnsStatus::NoRecord;
    out.answer = "no SRV record";
  }
  return out;
}

AddressAnswer lookup_addresses(const std::string& host, const ResolverOptions& options) {
  AddressAnswer out;
  Channel ch(options);
  if (!ch.ok()) {
    out.answer = "the resolver could not be set up";
    return out;
  }
  Query a, aaaa;
  ch.query(host, ns_t_a, &a);
  ch.query(host, ns_t_aaaa, &aaaa);
  ch.run({&a, &aaaa});
  char text[INET6_ADDRSTRLEN];
  if (a.status == ARES_SUCCESS) {
    hostent* h = nullptr;
    ares_addrttl ttls[64];
    int n = 64;
    if (ares_parse_a_reply(reinterpret_cast<const unsigned char*>(a.answer.data()),
                           static_cast<int>(a.answer.size()), &h, ttls, &n) == ARES_SUCCESS) {
      for (int i = 0; i < n; ++i) {
        if (inet_ntop(AF_INET, &ttls[i].ipaddr, text, sizeof text))
          out.addresses.emplace_back(text);
      }
    }
    if (h) ares_free_hostent(h);
  }
  if (aaaa.status == ARES_SUCCESS) {
    hostent* h = nullptr;
    ares_addr6ttl ttls[64];
    int n = 64;
    if (ares_parse_aaaa_reply(reinterpret_cast<const unsigned char*>(aaaa.answer.data()),
                              static_cast<int>(aaaa.answer.size()), &h, ttls, &n) == ARES_SUCCESS) {
      for (int i = 0; i < n; ++i) {
        if (inet_ntop(AF_INET6, &ttls[i].ip6addr, text, sizeof text))
          out.addresses.emplace_back(text);
      }
    }
    if (h) ares_free_hostent(h);
  }
  if (!out.addresses.empty()) {
    out.status = DnsStatus::Found;
    out.answer = std::to_string(out.addresses.size()) + " address(es)";
    return out;
  }
  // No address: a failure of either query means we do not know; else there is none.
  const DnsStatus sa = classify(a.status), s6 = classify(aaaa.status);
  if (sa == DnsStatus::Failed || s6 == DnsStatus::Failed) {
    out.status = DnsStatus::Failed;
    out.answer = status_text(sa == DnsStatus::Failed ? a.status : aaaa.status, options.timeout_ms);
  } else {
    out.status = DnsStatus::NoRecord;
    out.answer = a.status == ARES_ENOTFOUND ? "NXDOMAIN" : "no A or AAAA record";
  }
  return out;
}

}  // namespace fedtriage::preflight
