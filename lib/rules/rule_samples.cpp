#include "lib/rules/rule_samples.h"

#include "lib/base/ascii.h"
#include "lib/rules/yaml_values.h"
#include "lib/sip/ms_diagnostic.h"

namespace fedtriage::rules {
namespace {

void add_header(SipMessage& m, std::string name, std::string value) {
  if (to_lower_ascii(name) == "server") m.server = value;
  if (to_lower_ascii(name) == "user-agent") m.user_agent = value;
  if (to_lower_ascii(name) == "ms-diagnostics" || to_lower_ascii(name) == "ms-diagnostics-public") {
    if (auto d = parse_ms_diagnostic(value, to_lower_ascii(name) == "ms-diagnostics-public")) {
      m.ms_diagnostics.push_back(std::move(*d));
    }
  }
  m.headers.push_back(SipHeader{std::move(name), std::move(value)});
}

Event parse_sample_event(const YAML::Node& n, std::string_view file, uint64_t line) {
  if (!n.IsMap()) throw RuleError(n, "samples: event must be a map");
  Event e;
  e.origin = {std::string(file), line};
  SipMessage m;
  bool is_sip = false;
  bool kind_given = false;
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& kv : n) {
    const std::string key = scalar(kv.first, "event");
    const YAML::Node& v = kv.second;
    const std::string what = "event." + key;
    if (key == "source") {
      e.source = parse_source(v, scalar(v, what));
    } else if (key == "kind") {
      e.kind = parse_kind(v, scalar(v, what));
      kind_given = true;
    } else if (key == "status") {
      m.status_code = static_cast<int>(parse_integer(v, scalar(v, what), what));
      is_sip = true;
    } else if (key == "reason_phrase") {
      m.reason_phrase = scalar(v, what);
    } else if (key == "method") {
      m.method = scalar(v, what);
      is_sip = true;
    } else if (key == "request_uri") {
      m.request_uri = scalar(v, what);
      is_sip = true;
    } else if (key == "call_id") {
      e.call_id = scalar(v, what);
    } else if (key == "cseq") {
      e.cseq = scalar(v, what);
    } else if (key == "server") {
      headers.emplace_back("Server", scalar(v, what));
      is_sip = true;
    } else if (key == "user_agent") {
      headers.emplace_back("User-Agent", scalar(v, what));
      is_sip = true;
    } else if (key == "via") {
      for (const std::string& s : scalars(v, what)) headers.emplace_back("Via", s);
      is_sip = true;
    } else if (key == "ms_diagnostics" || key == "ms_diagnostics_public") {
      const std::string name = key == "ms_diagnostics" ? "ms-diagnostics" : "ms-diagnostics-public";
      for (const std::string& s : scalars(v, what)) {
        if (!parse_ms_diagnostic(s)) throw RuleError(v, what + ": '" + s + "' has no code");
        headers.emplace_back(name, s);
      }
      is_sip = true;
    } else if (key == "headers") {
      if (!v.IsMap()) throw RuleError(v, "event.headers: expected a map of name: value(s)");
      for (const auto& h : v) {
        const std::string name = scalar(h.first, what);
        for (const std::string& s : scalars(h.second, what + "." + name)) {
          headers.emplace_back(name, s);
        }
      }
      is_sip = true;
    } else if (key == "fields") {
      if (!v.IsMap()) throw RuleError(v, "event.fields: expected a map of name: value");
      for (const auto& f : v) {
        e.fields.emplace_back(scalar(f.first, what), scalar(f.second, what));
      }
    } else if (key == "data") {
      if (!v.IsMap()) throw RuleError(v, "event.data: expected a map of key: value");
      for (const auto& f : v) {
        e.fields.emplace_back("data." + scalar(f.first, what), scalar(f.second, what));
      }
    } else if (key == "result_code" || key == "result_name" || key == "module" || key == "reason" ||
               key == "event" || key == "detail" || key == "text" || key == "severity") {
      std::string value = scalar(v, what);
      if (key == "result_code") value = to_lower_ascii(value);
      e.fields.emplace_back(key, std::move(value));
    } else if (key == "raw") {
      e.raw = scalar(v, what);
    } else if (key == "summary") {
      e.summary = scalar(v, what);
    } else if (key == "remote") {
      e.remote = scalar(v, what);
    } else if (key == "local") {
      e.local = scalar(v, what);
    } else if (key == "host") {
      e.host = scalar(v, what);
    } else if (key == "direction") {
      e.direction = parse_direction(v, scalar(v, what));
    } else {
      throw RuleError(kv.first, "samples: unknown event key '" + key + "'");
    }
  }
  if (is_sip && kind_given && e.kind != EventKind::Sip) {
    throw RuleError(n, "samples: SIP keys (status, method, headers, ...) on a non-sip event");
  }
  if (is_sip || (kind_given && e.kind == EventKind::Sip)) {
    e.kind = EventKind::Sip;
    m.is_request = m.status_code == 0;
    if (m.method.empty()) m.method = "INVITE";
    if (m.is_request && m.request_uri.empty()) m.request_uri = "sip:user@example.com";
    m.cseq_method = m.method;
    m.call_id = e.call_id;
    for (auto& [name, value] : headers) add_header(m, name, value);
    if (e.raw.empty()) {
      e.raw = m.is_request
                  ? m.method + " " + m.request_uri + " SIP/2.0\n"
                  : "SIP/2.0 " + std::to_string(m.status_code) + " " + m.reason_phrase + "\n";
      for (const SipHeader& h : m.headers) e.raw += h.name + ": " + h.value + "\n";
    }
    e.sip = std::move(m);
  } else if (!kind_given) {
    throw RuleError(n, "samples: event needs a kind (or SIP keys such as status)");
  }
  return e;
}

}  // namespace

std::vector<Sample> parse_samples(const YAML::Node& n, std::string_view file) {
  if (!n.IsSequence()) throw RuleError(n, "samples: expected a list");
  std::vector<Sample> out;
  for (const YAML::Node& s : n) {
    if (!s.IsMap()) throw RuleError(s, "samples: each sample must be a map");
    Sample sample;
    sample.line = s.Mark().line + 1;
    bool has_event = false;
    for (const auto& kv : s) {
      const std::string key = scalar(kv.first, "samples");
      if (key == "name") {
        sample.name = scalar(kv.second, "samples.name");
      } else if (key == "event") {
        sample.event = parse_sample_event(kv.second, file, kv.second.Mark().line + 1);
        has_event = true;
      } else if (key == "expect") {
        if (!kv.second.IsMap()) throw RuleError(kv.second, "samples.expect: expected a map");
        for (const auto& f : kv.second) {
          sample.expect.emplace_back(scalar(f.first, "expect"), scalar(f.second, "expect"));
        }
      } else if (key == "expect_match") {
        sample.expect_match = parse_bool(kv.second, "samples.expect_match");
      } else {
        throw RuleError(kv.first, "samples: unknown key '" + key +
                                      "' (expected name, event, expect, expect_match)");
      }
    }
    if (!has_event) throw RuleError(s, "samples: a sample needs an event");
    out.push_back(std::move(sample));
  }
  return out;
}

}  // namespace fedtriage::rules
