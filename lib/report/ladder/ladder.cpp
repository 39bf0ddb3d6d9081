#include "lib/report/ladder/ladder.h"

#include <algorithm>
#include <map>
#include <optional>

#include "lib/base/ascii.h"
#include "lib/core/product.h"
#include "lib/report/ladder/host_columns.h"

namespace fedtriage {
namespace {

// The SIP message inside a stored record: the Expressway keeps its log line before the
// message, the Edge writes "Start-Line: ..." and "Message-Body: ..." around headers, the client
// log holds the message alone. Takes the text from the first start line on.
std::string sip_text_of(std::string_view raw) {
  std::string out;
  bool in_message = false;
  size_t pos = 0;
  while (pos <= raw.size()) {
    size_t nl = raw.find('\n', pos);
    if (nl == std::string_view::npos) nl = raw.size();
    std::string_view line = raw.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!in_message) {
      while (!line.empty() && (line.front() == ' ' || line.front() == '|')) line.remove_prefix(1);
      if (line.rfind("Start-Line: ", 0) == 0) line.remove_prefix(12);
      if (!looks_like_sip_start_line(line)) continue;
      in_message = true;
    } else if (line.rfind("$$end_record", 0) == 0) {
      break;
    } else if (line.rfind("Message-Body: ", 0) == 0) {
      out += "\n";
      line.remove_prefix(14);
    }
    out.append(line);
    out += '\n';
  }
  return out;
}

std::optional<SipMessage> parse_raw(const StoredEvent& e) {
  if (e.kind != EventKind::Sip || e.raw.empty()) return std::nullopt;
  std::string text = sip_text_of(e.raw);
  if (text.empty()) text = unflatten_sip_message(e.raw);
  return parse_sip_message(text);
}

bool is_request(const StoredEvent& e, const std::optional<SipMessage>& m) {
  return m ? m->is_request : e.status == 0;
}

// Same rule as the correlator: one transmission has the same top Via branch at its sender
// and at its receiver. Without a branch every sighting is its own arrow.
std::string transmission_key(const StoredEvent& e, const std::optional<SipMessage>& m,
                             size_t index) {
  std::string key = e.call_id + "|" + e.cseq + "|" + std::to_string(e.status) + "|" +
                    (is_request(e, m) ? e.method : "") + "|";
  if (m && !m->vias.empty() && !m->vias.front().branch.empty()) return key + m->vias.front().branch;
  return key + "#" + std::to_string(index);
}

std::string arrow_label(const StoredEvent& e, const std::optional<SipMessage>& m) {
  if (is_request(e, m)) return !e.method.empty() ? e.method : (m ? m->method : "?");
  std::string reason = !e.reason_phrase.empty() ? e.reason_phrase : (m ? m->reason_phrase : "");
  return std::to_string(e.status) + (reason.empty() ? "" : " " + reason);
}

// The parameters that name what failed (the domain, the peer, the certificate's target);
// the reason phrase is generic and comes after them.
bool is_key_param(std::string_view key) {
  const std::string k = to_lower_ascii(key);
  return k == "domain" || k == "peerserver" || k == "tls-target" || k.rfind("fqdn", 0) == 0;
}

std::string diagnostic_text(const MsDiagnostic& d) {
  std::string text = std::to_string(d.code);
  if (d.sub_code >= 0) text += "." + std::to_string(d.sub_code);
  std::string fields;
  for (const auto& [k, v] : d.params) {
    if (is_key_param(k) && !v.empty()) fields += " " + k + "=" + v;
  }
  if (fields.empty()) return d.reason.empty() ? text : text + " " + d.reason;
  return text + fields + (d.reason.empty() ? "" : " (" + d.reason + ")");
}

// An Edge diagnostic names what it could not route in its Data: ("domain=", "fqdn1=");
// those fields say more than its generic Text:, which stays in the event list.
std::string note_text(const StoredEvent& e) {
  if (e.kind != EventKind::Diagnostic) return e.summary;
  std::string fields;
  for (const auto& [k, v] : e.fields) {
    // info= repeats the generic text in other words.
    if (k.rfind("data.", 0) == 0 && k != "data.info" && !v.empty()) {
      fields += " " + k.substr(5) + "=" + v;
    }
  }
  if (fields.empty()) return e.summary;
  const std::string* name = find_field(e.fields, "result_name");
  const std::string* code = find_field(e.fields, "result_code");
  const std::string label = name ? *name : code ? *code : "";
  return label.empty() ? fields.substr(1) : label + ":" + fields;
}

bool note_is_error(const StoredEvent& e) {
  if (e.kind == EventKind::Tls) return true;
  const std::string* sev = find_field(e.fields, "severity");
  const std::string* level = find_field(e.fields, "level");
  // HRESULT-style codes with the severity bit set (0x8.../0xc...) are failures, whatever
  // level the trace line had.
  const std::string* code = find_field(e.fields, "result_code");
  const bool failure_code = code && code->size() > 2 &&
                            (code->compare(0, 3, "0xc") == 0 || code->compare(0, 3, "0x8") == 0);
  return failure_code || (sev && *sev == "error") || (level && *level == "ERROR");
}

}  // namespace

std::string_view to_string(HostRole r) {
  switch (r) {
    case HostRole::Unknown:
      return "unknown";
    case HostRole::Expressway:
      return "expressway";
    case HostRole::Edge:
      return "edge";
    case HostRole::Client:
      return "client";
    case HostRole::SkypeServer:
      return "skype-server";
    case HostRole::Cms:
      return "cms";
    case HostRole::Endpoint:
      return "endpoint";
  }
  return "unknown";
}

HostRole host_role_from(std::string_view name) {
  for (HostRole r : {HostRole::Expressway, HostRole::Edge, HostRole::Client, HostRole::SkypeServer,
                     HostRole::Cms, HostRole::Endpoint}) {
    if (to_string(r) == name) return r;
  }
  return HostRole::Unknown;
}

std::string logging_host_label(Source source, const std::string& host) {
  const ProductInfo* product = find_product(source);
  if (!product) return host;
  const std::string label(product->label);
  return host.empty() ? label : label + " " + host;
}

Ladder build_ladder(const StoredCall& call) {
  const std::vector<StoredEvent>& events = call.events;
  std::vector<std::optional<SipMessage>> sip(events.size());
  for (size_t i = 0; i < events.size(); ++i) sip[i] = parse_raw(events[i]);

  // Transmissions, in order of first sighting.
  std::vector<std::vector<size_t>> groups;
  std::map<std::string, size_t> group_of;
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].kind != EventKind::Sip) continue;
    auto [it, inserted] = group_of.emplace(transmission_key(events[i], sip[i], i), groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  HostColumns hosts = resolve_hosts(events, sip, groups);

  Ladder ladder;
  std::vector<LadderArrow> arrows;
  for (const auto& group : groups) {
    LadderArrow a;
    const StoredEvent& first = events[group.front()];
    a.ts_ms = first.ts_ms;
    a.events = group;
    // The sender's own record says best where it went; else the receiver's.
    size_t from = HostColumns::kNone, to = HostColumns::kNone;
    for (size_t i : group) {
      if (events[i].direction == Direction::Out) {
        from = hosts.self[i];
        to = hosts.peer[i];
        break;
      }
    }
    if (from == HostColumns::kNone) {
      for (size_t i : group) {
        if (events[i].direction == Direction::In) {
          from = hosts.peer[i];
          to = hosts.self[i];
          break;
        }
      }
    }
    // Direction unknown or no peer named: drawn from the logging host to itself.
    if (from == HostColumns::kNone) from = hosts.self[group.front()];
    if (to == HostColumns::kNone) to = from;
    a.from = from;
    a.to = to;
    a.request = is_request(first, sip[group.front()]);
    a.method = first.method;
    a.status = first.status;
    a.label = arrow_label(first, sip[group.front()]);
    a.cseq = first.cseq;
    a.failing = !a.request && a.status >= 300 && a.status == call.call.final_status &&
                (call.call.method.empty() || a.method == call.call.method);
    for (size_t i : group) {
      for (const MsDiagnostic& d : events[i].ms_diagnostics) {
        const std::string text = diagnostic_text(d);
        if (std::find(a.diagnostics.begin(), a.diagnostics.end(), text) == a.diagnostics.end()) {
          a.diagnostics.push_back(text);
        }
      }
    }
    arrows.push_back(std::move(a));
  }
  std::vector<LadderNote> notes;
  for (size_t i = 0; i < events.size(); ++i) {
    const StoredEvent& e = events[i];
    if (e.kind == EventKind::Sip) continue;
    LadderNote n;
    n.ts_ms = e.ts_ms;
    n.column = hosts.self[i];
    n.kind = e.kind;
    n.text = note_text(e);
    n.error = note_is_error(e);
    n.event = i;
    notes.push_back(std::move(n));
  }

  // Steps in time order (arrows first on a tie: the message caused the note), then columns
  // numbered in the order the steps first touch them.
  std::vector<LadderStep> steps;
  for (size_t i = 0; i < arrows.size(); ++i) steps.push_back({true, i});
  for (size_t i = 0; i < notes.size(); ++i) steps.push_back({false, i});
  auto step_time = [&](const LadderStep& s) {
    return s.is_arrow ? arrows[s.index].ts_ms : notes[s.index].ts_ms;
  };
  auto step_first_event = [&](const LadderStep& s) {
    return s.is_arrow ? arrows[s.index].events.front() : notes[s.index].event;
  };
  std::stable_sort(steps.begin(), steps.end(), [&](const LadderStep& x, const LadderStep& y) {
    if (step_time(x) != step_time(y)) return step_time(x) < step_time(y);
    return step_first_event(x) < step_first_event(y);
  });
  std::vector<size_t> new_index(hosts.columns.size(), HostColumns::kNone);
  auto place = [&](size_t c) {
    if (new_index[c] == HostColumns::kNone) {
      new_index[c] = ladder.columns.size();
      ladder.columns.push_back(hosts.columns[c]);
    }
    return new_index[c];
  };
  for (const LadderStep& s : steps) {
    if (s.is_arrow) {
      arrows[s.index].from = place(arrows[s.index].from);
      arrows[s.index].to = place(arrows[s.index].to);
    } else {
      notes[s.index].column = place(notes[s.index].column);
    }
  }
  ladder.arrows = std::move(arrows);
  ladder.notes = std::move(notes);
  ladder.steps = std::move(steps);
  return ladder;
}

}  // namespace fedtriage
