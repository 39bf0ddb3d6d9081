#include "lib/rules/rule_match.h"

#include "lib/base/ascii.h"

#include <algorithm>
#include <cctype>

#include "lib/rules/domain_relation.h"

namespace fedtriage::rules {
namespace {

// Exact name first; parsers keep the log's spelling (data.certName), rule authors may not.
const std::string* field_value(const Event& e, std::string_view name) {
  if (const std::string* v = find_field(e.fields, name)) return v;
  for (const auto& [k, v] : e.fields) {
    if (iequals(k, name)) return &v;
  }
  return nullptr;
}

const std::string* header_fallback(const SipMessage& m, std::string_view name) {
  if (iequals(name, "server") && !m.server.empty()) return &m.server;
  if (iequals(name, "user-agent") && !m.user_agent.empty()) return &m.user_agent;
  return nullptr;
}

// Every value of the headers called `name`; the model's own fields when the list lacks it.
std::vector<const std::string*> header_values(const SipMessage& m, std::string_view name) {
  std::vector<const std::string*> out;
  for (const SipHeader& h : m.headers) {
    if (iequals(h.name, name)) out.push_back(&h.value);
  }
  if (out.empty()) {
    if (const SipHeader* h = m.header(name)) out.push_back(&h->value);  // compact forms
  }
  if (out.empty()) {
    if (const std::string* v = header_fallback(m, name)) out.push_back(v);
  }
  return out;
}

std::string normalize_hex(std::string_view code) {
  std::string s = to_lower_ascii(code);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  if (!s.starts_with("0x")) s = "0x" + s;
  return s;
}

std::string_view sip_method(const SipMessage& m) {
  return m.method.empty() ? std::string_view(m.cseq_method) : std::string_view(m.method);
}

bool diag_matches(const DiagTest& t, const MsDiagnostic& d, Fields* captures) {
  if (!t.codes.empty() && std::find(t.codes.begin(), t.codes.end(), d.code) == t.codes.end()) {
    return false;
  }
  if (t.reason && !t.reason->matches(d.reason.empty() ? nullptr : &d.reason, captures)) {
    return false;
  }
  for (const auto& [key, test] : t.params) {
    if (!test.matches(d.param(key), captures)) return false;
  }
  return true;
}

bool pattern_matches(const Pattern& p, const Event& e, EventMatch* m) {
  if (!p.sources.empty() &&
      std::find(p.sources.begin(), p.sources.end(), e.source) == p.sources.end()) {
    return false;
  }
  if (!p.kinds.empty() && std::find(p.kinds.begin(), p.kinds.end(), e.kind) == p.kinds.end()) {
    return false;
  }
  const SipMessage* sip = e.sip ? &*e.sip : nullptr;
  if (!p.statuses.empty()) {
    if (!sip || sip->is_request) return false;
    const int code = sip->status_code;
    if (std::none_of(p.statuses.begin(), p.statuses.end(),
                     [code](const StatusRange& r) { return code >= r.lo && code <= r.hi; })) {
      return false;
    }
  }
  if (!p.methods.empty()) {
    if (!sip) return false;
    const std::string_view method = sip_method(*sip);
    if (std::none_of(p.methods.begin(), p.methods.end(),
                     [method](const std::string& x) { return iequals(x, method); })) {
      return false;
    }
  }
  if (p.diag) {
    const DiagTest& t = *p.diag;
    const bool has = sip && !sip->ms_diagnostics.empty();
    if (t.present && *t.present != has) return false;
    const bool constrains = !t.codes.empty() || t.reason || !t.params.empty();
    if (constrains) {
      if (!sip) return false;
      bool found = false;
      for (size_t i = 0; i < sip->ms_diagnostics.size() && !found; ++i) {
        Fields caps;
        if (diag_matches(t, sip->ms_diagnostics[i], &caps)) {
          found = true;
          m->diag = static_cast<int>(i);
          m->captures.insert(m->captures.end(), caps.begin(), caps.end());
        }
      }
      if (!found) return false;
    }
  }
  if (!p.result_codes.empty()) {
    const std::string* v = field_value(e, "result_code");
    if (!v) return false;
    const std::string code = normalize_hex(*v);
    if (std::find(p.result_codes.begin(), p.result_codes.end(), code) == p.result_codes.end()) {
      return false;
    }
  }
  if (!p.result_names.empty()) {
    const std::string* v = field_value(e, "result_name");
    if (!v || std::none_of(p.result_names.begin(), p.result_names.end(),
                           [v](const std::string& x) { return iequals(x, *v); })) {
      return false;
    }
  }
  for (const auto& [name, test] : p.fields) {
    if (!test.matches(field_value(e, name), &m->captures)) return false;
  }
  for (const auto& [name, test] : p.headers) {
    const std::vector<const std::string*> values =
        sip ? header_values(*sip, name) : std::vector<const std::string*>{};
    if (values.empty()) {
      if (!test.matches(nullptr, &m->captures)) return false;
      continue;
    }
    bool any = false;
    for (const std::string* v : values) {
      Fields caps;
      if (test.matches(v, &caps)) {
        m->captures.insert(m->captures.end(), caps.begin(), caps.end());
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  if (p.text) {
    const std::string& text = e.raw.empty() ? e.summary : e.raw;
    if (!p.text->matches(&text, &m->captures)) return false;
  }
  return true;
}

const std::string* capture_value(const Fields& caps, std::string_view name) {
  for (const auto& [k, v] : caps) {
    if (k == name) return &v;
  }
  return nullptr;
}

std::optional<std::string> from_ptr(const std::string* p) {
  if (!p) return std::nullopt;
  return *p;
}

std::optional<std::string> resolve(std::string_view src, const Event& e, const EventMatch& m) {
  const SipMessage* sip = e.sip ? &*e.sip : nullptr;
  if (src.starts_with("ms_diagnostics.")) {
    if (!sip || sip->ms_diagnostics.empty()) return std::nullopt;
    const std::string_view what = src.substr(15);
    std::vector<const MsDiagnostic*> order;
    if (m.diag >= 0 && static_cast<size_t>(m.diag) < sip->ms_diagnostics.size()) {
      order.push_back(&sip->ms_diagnostics[static_cast<size_t>(m.diag)]);
    } else {
      for (const MsDiagnostic& d : sip->ms_diagnostics) order.push_back(&d);
    }
    for (const MsDiagnostic* d : order) {
      if (what == "code") return std::to_string(d->code);
      if (what == "reason" && !d->reason.empty()) return d->reason;
      if (what.starts_with("param.")) {
        if (const std::string* v = d->param(what.substr(6)); v && !v->empty()) return *v;
      }
    }
    return std::nullopt;
  }
  if (src.starts_with("field.")) return from_ptr(field_value(e, src.substr(6)));
  if (src == "result_code" || src == "result_name") return from_ptr(field_value(e, src));
  if (src.starts_with("capture.")) return from_ptr(capture_value(m.captures, src.substr(8)));
  if (src.starts_with("header.")) {
    if (!sip) return std::nullopt;
    auto values = header_values(*sip, src.substr(7));
    if (values.empty()) return std::nullopt;
    return *values.front();
  }
  if (src == "event.remote") return e.remote;
  // The Peer of a Microsoft Edge record (its port tells who connected); nothing elsewhere.
  if (src == "edge.peer") {
    return e.source == Source::Edge ? std::optional<std::string>(e.remote) : std::nullopt;
  }
  if (src == "event.local") return e.local;
  if (src == "event.host") return e.host;
  if (src == "event.summary") return e.summary;
  if (src == "event.call_id") return e.call_id;
  if (src == "event.cseq") return e.cseq;
  if (src == "event.source") return std::string(to_string(e.source));
  if (src == "event.kind") return std::string(to_string(e.kind));
  if (src == "event.direction") return std::string(to_string(e.direction));
  if (src == "event.file") return e.origin.file;
  if (src == "event.line") return std::to_string(e.origin.line);
  if (!src.starts_with("sip.") || !sip) return std::nullopt;
  const std::string_view what = src.substr(4);
  if (what == "status") return sip->status_code ? std::to_string(sip->status_code) : "";
  if (what == "reason_phrase") return sip->reason_phrase;
  if (what == "method") return std::string(sip_method(*sip));
  if (what == "server") return sip->server;
  if (what == "user_agent") return sip->user_agent;
  if (what == "from") return sip->from.uri;
  if (what == "to") return sip->to.uri;
  if (what == "request_uri") return sip->request_uri;
  if (what == "call_id") return sip->call_id;
  return std::nullopt;
}

void set_field(Fields& fields, std::string_view name, std::string value) {
  for (auto& [k, v] : fields) {
    if (k == name) {
      v = std::move(value);
      return;
    }
  }
  fields.emplace_back(std::string(name), std::move(value));
}

const std::string& get_field(const Fields& fields, std::string_view name) {
  static const std::string kEmpty;
  const std::string* v = find_field(fields, name);
  return v ? *v : kEmpty;
}

}  // namespace

bool ValueTest::matches(const std::string* value, Fields* captures) const {
  if (!value) return exists.has_value() && !*exists;
  if (exists && !*exists) return false;
  if (!any_of.empty() && std::none_of(any_of.begin(), any_of.end(), [value](const std::string& x) {
        return iequals(x, *value);
      })) {
    return false;
  }
  if (regex && !regex->search(*value, captures)) return false;
  return true;
}

std::optional<EventMatch> match_rule(const Rule& rule, const Event& event) {
  for (size_t i = 0; i < rule.patterns.size(); ++i) {
    EventMatch m;
    m.pattern = i;
    if (pattern_matches(rule.patterns[i], event, &m)) return m;
  }
  return std::nullopt;
}

Fields extract_fields(const Rule& rule, const Event& event, const EventMatch& match) {
  Fields out;
  for (const Extractor& x : rule.extract) {
    for (const std::string& src : x.sources) {
      std::optional<std::string> v = resolve(src, event, match);
      if (!v || v->empty()) continue;
      if (x.strip_port) *v = std::string(strip_port(*v));
      out.emplace_back(x.name, std::move(*v));
      break;
    }
  }
  for (const auto& [k, v] : match.captures) {
    if (!find_field(out, k) && !v.empty()) out.emplace_back(k, v);
  }
  return out;
}

bool compute_signature(std::string_view function, size_t* arity,
                       std::vector<std::string>* outputs) {
  if (function == "domain_relation") {
    *arity = 2;
    *outputs = {"relation", "srv_record", "fqdn_domain"};
    return true;
  }
  if (function == "srv_record") {
    *arity = 1;
    *outputs = {"srv_record"};
    return true;
  }
  if (function == "cert_fits_domain") {
    *arity = 2;
    *outputs = {"federated_domain", "cert_relation", "cert_in_domain"};
    return true;
  }
  if (function == "tls_direction") {
    *arity = 1;
    *outputs = {"tls_direction"};
    return true;
  }
  return false;
}

void apply_compute(const Rule& rule, Fields& fields) {
  for (const ComputeStep& step : rule.compute) {
    if (step.function == "domain_relation" && step.args.size() == 2) {
      const std::string domain = get_field(fields, step.args[0]);
      const std::string fqdn = get_field(fields, step.args[1]);
      if (!domain.empty()) set_field(fields, "srv_record", federation_srv_record(domain));
      if (!fqdn.empty()) set_field(fields, "fqdn_domain", fqdn_domain(fqdn));
      if (auto r = domain_relation(domain, fqdn)) {
        set_field(fields, "relation", std::string(to_string(*r)));
      }
    } else if (step.function == "cert_fits_domain" && step.args.size() == 2) {
      // The SRV target (expected FQDN) is directly in the federated domain, or the Microsoft
      // server would not have gone there: is the name on the certificate as well?
      const std::string expected = get_field(fields, step.args[0]);
      const std::string cert = get_field(fields, step.args[1]);
      if (!expected.empty()) {
        const std::string domain = fqdn_domain(expected);
        set_field(fields, "federated_domain", domain);
        // The certificate may name several ("vcse.a.test, www.a.test"): one in the domain will do.
        std::string relation, fitting;
        size_t pos = 0;
        while (pos <= cert.size()) {
          size_t end = cert.find(',', pos);
          if (end == std::string::npos) end = cert.size();
          const std::string_view name = trim_ascii(std::string_view(cert).substr(pos, end - pos));
          if (auto r = domain_relation(domain, name)) {
            if (*r == DomainRelation::Exact) {
              relation = "exact";
              if (fitting.empty()) fitting = std::string(name);
            } else if (relation.empty()) {
              relation = std::string(to_string(*r));
            }
          }
          pos = end + 1;
        }
        if (!relation.empty()) set_field(fields, "cert_relation", relation);
        if (!fitting.empty()) set_field(fields, "cert_in_domain", fitting);
      }
    } else if (step.function == "tls_direction" && step.args.size() == 1) {
      // The peer of a Microsoft server's connection record: port 5061 is the listening port of
      // the peer (the Microsoft server connected out); any other port is the peer's own end of
      // a connection it opened to the Microsoft server.
      const std::string peer = get_field(fields, step.args[0]);
      const std::string_view host = strip_port(peer);
      if (host.size() + 1 < peer.size()) {
        const std::string_view port = std::string_view(peer).substr(host.size() + 1);
        set_field(fields, "tls_direction", port == "5061" ? "outbound" : "inbound");
      }
    } else if (step.function == "srv_record" && step.args.size() == 1) {
      const std::string domain = get_field(fields, step.args[0]);
      if (!domain.empty()) set_field(fields, "srv_record", federation_srv_record(domain));
    }
  }
}

bool is_known_source(std::string_view s) {
  static constexpr std::string_view kExact[] = {"ms_diagnostics.code",
                                                "ms_diagnostics.reason",
                                                "result_code",
                                                "result_name",
                                                "event.remote",
                                                "edge.peer",
                                                "event.local",
                                                "event.host",
                                                "event.summary",
                                                "event.call_id",
                                                "event.cseq",
                                                "event.source",
                                                "event.kind",
                                                "event.direction",
                                                "event.file",
                                                "event.line",
                                                "sip.status",
                                                "sip.reason_phrase",
                                                "sip.method",
                                                "sip.server",
                                                "sip.user_agent",
                                                "sip.from",
                                                "sip.to",
                                                "sip.request_uri",
                                                "sip.call_id"};
  for (std::string_view x : kExact) {
    if (s == x) return true;
  }
  for (std::string_view prefix : {"ms_diagnostics.param.", "field.", "capture.", "header."}) {
    if (s.starts_with(prefix) && s.size() > prefix.size()) return true;
  }
  return false;
}

std::string evidence_text(const Event& e) {
  if (e.sip) {
    const SipMessage& m = *e.sip;
    std::string out;
    if (m.is_request) {
      out = m.method + " " + m.request_uri + " SIP/2.0";
    } else {
      out = "SIP/2.0 " + std::to_string(m.status_code) + " " + m.reason_phrase;
    }
    for (const MsDiagnostic& d : m.ms_diagnostics) {
      out += d.is_public ? "; ms-diagnostics-public: " : "; ms-diagnostics: ";
      out += std::to_string(d.code);
      if (!d.reason.empty()) out += " " + d.reason;
    }
    return out;
  }
  if (e.kind == EventKind::Diagnostic) {
    std::string out;
    const std::string* code = field_value(e, "result_code");
    const std::string* name = field_value(e, "result_name");
    if (code || name) {
      out = "Result-Code:";
      if (code) out += " " + *code;
      if (name) out += " " + *name;
    } else if (const std::string* text = field_value(e, "text")) {
      out = *text;
    }
    std::string data;
    for (const auto& [k, v] : e.fields) {
      if (!k.starts_with("data.")) continue;
      if (!data.empty()) data += ';';
      data += k.substr(5) + "=\"" + v + "\"";
    }
    if (!data.empty()) out += (out.empty() ? "Data: " : "; Data: ") + data;
    if (!out.empty()) return out;
  }
  if (!e.summary.empty()) return e.summary;
  std::string_view raw = e.raw;
  raw = raw.substr(0, raw.find('\n'));
  if (raw.ends_with('\r')) raw.remove_suffix(1);
  if (!raw.empty()) return std::string(raw);
  // Nothing written for people: name the event by its kind and first attributes.
  std::string out(to_string(e.kind));
  size_t shown = 0;
  for (const auto& [k, v] : e.fields) {
    if (++shown > 4) break;
    out += " " + k + "=\"" + v + "\"";
  }
  return out;
}

namespace {

// Offset (in lines) of the first line of `raw` whose text, past leading blanks and the '|' of
// an Expressway SIPMSG block, starts with `prefix` (case-insensitive); npos when none.
size_t line_starting_with(std::string_view raw, std::string_view prefix) {
  size_t line = 0;
  for (size_t pos = 0; pos <= raw.size(); ++line) {
    const size_t nl = raw.find('\n', pos);
    std::string_view text = raw.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '|')) {
      text.remove_prefix(1);
    }
    if (text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix)) {
      return line;
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return std::string_view::npos;
}

}  // namespace

size_t evidence_line_offset(const Event& e) {
  std::vector<std::string_view> wanted;
  if (e.sip) {
    if (!e.sip->ms_diagnostics.empty()) {
      wanted = {
          e.sip->ms_diagnostics.front().is_public ? "ms-diagnostics-public:" : "ms-diagnostics:",
          "ms-diagnostics"};
    }
    wanted.push_back(e.sip->is_request ? std::string_view(e.sip->method) : "SIP/2.0");
  } else if (e.kind == EventKind::Diagnostic) {
    wanted = {"Data:", "Result-Code:"};
  }
  // An Expressway message flattened onto its log line ("... SIPMSG: |SIP/2.0 504 ...") is one
  // line in the file, whatever its raw text holds.
  if (e.source == Source::Expressway &&
      std::string_view(e.raw).substr(0, e.raw.find('\n')).find("SIPMSG:") !=
          std::string_view::npos) {
    return 0;
  }
  // A client (UccApiLog) record starts at its "Data Received" / "Sending Packet" line; its
  // raw text at the SIP start line, the next line.
  const size_t base = e.source == Source::Client && e.sip ? 1 : 0;
  for (std::string_view w : wanted) {
    if (w.empty()) continue;
    const size_t at = line_starting_with(e.raw, w);
    if (at != std::string_view::npos) return base + at;
  }
  return 0;
}

}  // namespace fedtriage::rules
