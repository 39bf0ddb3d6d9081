#include "lib/report/html/html_report.h"

#include "lib/base/ascii.h"
#include "lib/base/output_file.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "lib/base/markup_text.h"

#include "lib/core/timestamp.h"
#include "lib/report/case_todo.h"
#include "lib/report/html/report_assets.h"
#include "lib/report/ladder/ladder.h"
#include "lib/report/report_model.h"
#include "lib/report/store_report_model.h"

namespace fedtriage {
namespace {

using nlohmann::json;

// Domain or FQDN values a finding names: fields whose key says so ("domain", "fqdn",
// "expected_fqdn", "srv_target" ...), port dropped.
std::vector<std::string> finding_domains(const Fields& fields) {
  std::vector<std::string> out;
  for (const auto& [key, value] : fields) {
    const std::string k = to_lower_ascii(key);
    if (value.empty() ||
        (k.find("domain") == std::string::npos && k.find("fqdn") == std::string::npos &&
         k.find("srv") == std::string::npos)) {
      continue;
    }
    std::string v = to_lower_ascii(value);
    const size_t colon = v.rfind(':');
    if (colon != std::string::npos && v.find(':') == colon) v.resize(colon);
    // SRV record names ("_sipfederationtls._tcp.x") are not hosts or domains.
    if (v.find('.') == std::string::npos || v.find(' ') != std::string::npos || v[0] == '_') {
      continue;
    }
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  }
  return out;
}

std::string uri_domain(const std::string& uri) {
  const size_t at = uri.find('@');
  size_t start = at == std::string::npos ? uri.find(':') : at;
  if (start == std::string::npos) return {};
  std::string rest = uri.substr(start + 1);
  return to_lower_ascii(rest.substr(0, rest.find_first_of(";:>?")));
}

json fields_json(const Fields& fields) {
  json out = json::array();
  for (const auto& [k, v] : fields) out.push_back(json::array({k, v}));
  return out;
}

json sources_json(const std::vector<Source>& sources) {
  json out = json::array();
  for (Source s : sources) out.push_back(std::string(to_string(s)));
  return out;
}

json call_json(const StoredCall& call, const Ladder& ladder) {
  const CallSummary& c = call.call;
  json j;
  j["id"] = c.call_id;
  j["case"] = c.case_name;
  j["from"] = c.from_uri;
  j["fromDisplay"] = c.from_display;
  j["to"] = c.to_uri;
  j["method"] = c.method;
  j["requestUri"] = c.request_uri;
  j["status"] = c.final_status;
  j["reason"] = c.final_reason;
  j["failed"] = c.failed();
  j["outcome"] = c.outcome.empty() ? (c.failed() ? "failed" : "ok") : c.outcome;
  j["first"] = format_iso_utc(c.first_ms);
  j["last"] = format_iso_utc(c.last_ms);
  j["sources"] = sources_json(c.sources);
  json cols = json::array();
  for (const LadderColumn& col : ladder.columns) {
    cols.push_back({{"label", col.label},
                    {"role", std::string(to_string(col.role))},
                    {"logged", col.logged},
                    {"aliases", col.aliases}});
  }
  j["columns"] = cols;
  json arrows = json::array();
  for (const LadderArrow& a : ladder.arrows) {
    arrows.push_back({{"t", format_iso_utc(a.ts_ms).substr(11, 12)},
                      {"from", a.from},
                      {"to", a.to},
                      {"label", a.label},
                      {"req", a.request},
                      {"cseq", a.cseq},
                      {"failing", a.failing},
                      {"diag", a.diagnostics},
                      {"ev", a.events}});
  }
  j["arrows"] = arrows;
  json notes = json::array();
  for (const LadderNote& n : ladder.notes) {
    notes.push_back({{"t", format_iso_utc(n.ts_ms).substr(11, 12)},
                     {"col", n.column},
                     {"kind", std::string(to_string(n.kind))},
                     {"text", n.text},
                     {"error", n.error},
                     {"ev", n.event}});
  }
  j["notes"] = notes;
  json steps = json::array();
  for (const LadderStep& s : ladder.steps)
    steps.push_back(json::array({s.is_arrow ? "a" : "n", s.index}));
  j["steps"] = steps;
  json events = json::array();
  for (const StoredEvent& e : call.events) {
    events.push_back({{"t", format_iso_utc(e.ts_ms)},
                      {"source", std::string(to_string(e.source))},
                      {"host", logging_host_label(e.source, e.host)},
                      {"kind", std::string(to_string(e.kind))},
                      {"dir", std::string(to_string(e.direction))},
                      {"local", e.local},
                      {"remote", e.remote},
                      {"summary", e.summary},
                      {"raw", e.raw},
                      {"file", e.origin.file},
                      {"line", e.origin.line},
                      {"basis", std::string(to_string(e.basis))},
                      {"link", e.link_reason}});
  }
  j["events"] = events;
  json findings = json::array();
  for (const StoredFinding& f : call.findings) {
    json ev = json::array();
    for (const StoredEvidence& e : f.evidence) {
      ev.push_back({{"file", e.file}, {"line", e.line}, {"text", e.text}});
    }
    findings.push_back({{"rule", f.rule_id},
                        {"title", f.title},
                        {"severity", std::string(to_string(f.severity))},
                        {"rootCause", f.root_cause},
                        {"fix", f.fix},
                        {"fields", fields_json(f.fields)},
                        {"evidence", ev}});
  }
  j["findings"] = findings;
  return j;
}

std::string dump(const json& j) {
  // Invalid UTF-8 in log text becomes U+FFFD rather than failing the report.
  return json_for_script(j.dump(-1, ' ', false, json::error_handler_t::replace));
}

std::string html_text(const std::string& s) {
  return escape_markup(s);
}

}  // namespace

std::string json_for_script(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out += c;
    }
  }
  return out;
}

bool write_html_report(Store& store, const std::string& case_name, const std::string& path,
                       std::string* error) {
  return write_html_report(store, case_name, path, HtmlReportOptions{}, error);
}

bool write_html_report(Store& store, const std::string& case_name, const std::string& path,
                       const HtmlReportOptions& options, std::string* error) {
  const auto model = store_report_model(store, case_name, options.max_calls);
  return write_html_report(*model, path, options, error);
}

bool write_html_report(ReportModel& model, const std::string& path,
                       const HtmlReportOptions& options, std::string* error) {
  std::string err;
  const auto summary = model.summary(&err);
  if (!summary) {
    *error = err.empty() ? "no summary" : err;
    return false;
  }
  std::vector<CallSummary> calls = model.calls(false, &err);
  if (!err.empty()) {
    *error = err;
    return false;
  }
  if (options.max_calls > 0 && calls.size() > options.max_calls) calls.resize(options.max_calls);
  if (!options.only_calls.empty()) {
    std::erase_if(calls, [&](const CallSummary& c) {
      return std::find(options.only_calls.begin(), options.only_calls.end(), c.call_id) ==
             options.only_calls.end();
    });
  }

  OutputFile file;
  if (!file.open(path, error)) return false;
  std::ostream& out = file.stream();
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         // Nothing may be fetched: the report works offline and log text cannot call out.
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n"
      << "<title>" << html_text(options.title) << "</title>\n<style>\n"
      << report_css() << "</style>\n</head>\n<body>\n"
      << report_body_html();

  // The per-call blocks first (the index needs the domains found while writing them).
  std::map<std::string, uint64_t> domain_count;
  std::map<std::string, CaseTodo> todo;  // by case: one list per case
  json rows = json::array();
  for (size_t i = 0; i < calls.size(); ++i) {
    const CallSummary& c = calls[i];
    auto call = model.call(c, &err);
    if (!call) {
      if (err.empty()) continue;  // removed meanwhile
      *error = err;
      return false;  // the OutputFile drops its temporary file
    }
    const Ladder ladder = build_ladder(*call);
    if (c.failed() && !call->findings.empty()) {
      const StoredFinding& f = call->findings.front();  // the failure finding comes first
      todo[c.case_name].add(c.call_id, f.rule_id, f.title, f.fix, f.fields);
    }
    std::vector<std::string> domains;
    for (const StoredFinding& f : call->findings) {
      for (const std::string& d : finding_domains(f.fields)) {
        ++domain_count[d];
        if (std::find(domains.begin(), domains.end(), d) == domains.end()) domains.push_back(d);
      }
    }
    const std::string to_domain = uri_domain(c.to_uri);
    if (!to_domain.empty() &&
        std::find(domains.begin(), domains.end(), to_domain) == domains.end()) {
      domains.push_back(to_domain);
    }
    rows.push_back({{"i", i},
                    {"id", c.call_id},
                    {"case", c.case_name},
                    {"t", format_iso_utc(c.first_ms)},
                    {"from", c.from_uri},
                    {"fromDisplay", c.from_display},
                    {"to", c.to_uri},
                    {"method", c.method},
                    {"status", c.final_status},
                    {"reason", c.final_reason},
                    {"failed", c.failed()},
                    {"outcome", c.outcome.empty() ? (c.failed() ? "failed" : "ok") : c.outcome},
                    {"rules", c.rule_ids},
                    {"domains", domains},
                    {"sources", sources_json(c.sources)},
                    {"hosts", ladder.columns.size()},
                    {"messages", ladder.arrows.size()}});
    // A call that worked has no block unless --full (or asked for by --call): the list shows
    // it, opening it says how to see it (its ladder and messages were 95 % of the report of a
    // SIP-dense bundle).
    if (options.full || !options.only_calls.empty() || c.failed() || !call->findings.empty()) {
      json one = call_json(*call, ladder);
      if (auto cv = model.conversation(c, &err)) {
        json links = json::array();
        for (const StoredConversationLink& l : cv->links) {
          links.push_back({{"a", l.call_a}, {"b", l.call_b}, {"key", l.key}, {"value", l.value}});
        }
        one["conversation"] = {{"id", cv->id}, {"legs", cv->call_ids}, {"links", links}};
      } else if (!err.empty()) {
        *error = err;
        return false;
      }
      out << "<script type=\"application/json\" id=\"ft-call-" << i << "\">" << dump(one)
          << "</script>\n";
    }
  }

  json index;
  index["title"] = options.title;
  index["case"] = model.case_name();
  index["version"] = FEDTRIAGE_VERSION;
  index["summary"] = {{"cases", summary->cases},
                      {"inputs", summary->inputs},
                      {"skippedInputs", summary->skipped_inputs},
                      {"inputsWithProblems", summary->inputs_with_problems},
                      {"events", summary->events},
                      {"calls", summary->calls},
                      {"failedCalls", summary->failed_calls},
                      {"findings", summary->findings}};
  json by_rule = json::array();
  for (const RuleCount& r : summary->findings_by_rule) {
    by_rule.push_back({{"id", r.rule_id}, {"title", r.title}, {"n", r.findings}});
  }
  index["byRule"] = by_rule;
  json todo_json = json::array();
  for (auto& [name, list] : todo) {
    for (const TodoItem& item : list.items()) {
      todo_json.push_back(
          {{"case", name}, {"kind", item.kind}, {"action", item.action}, {"calls", item.call_ids}});
    }
  }
  index["todo"] = todo_json;
  std::vector<std::pair<std::string, uint64_t>> domains(domain_count.begin(), domain_count.end());
  std::stable_sort(domains.begin(), domains.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  json top = json::array();
  for (const auto& [name, n] : domains) top.push_back({{"name", name}, {"n", n}});
  index["domains"] = top;
  if (options.inputs) {
    json inputs = json::array();
    for (const InputRecord& in : *options.inputs) {
      json problems = json::array();
      for (const Problem& p : in.problems) {
        problems.push_back({{"severity", std::string(to_string(p.severity))},
                            {"line", p.line},
                            {"message", p.message}});
      }
      inputs.push_back({{"name", in.name},
                        {"format", in.format},
                        {"bytes", in.bytes},
                        {"events", in.events},
                        {"skipped", in.skipped},
                        {"skipReason", in.skip_reason},
                        {"problems", problems}});
    }
    index["inputs"] = inputs;
  } else {
    index["inputs"] = nullptr;
  }
  index["calls"] = rows;
  out << "<script type=\"application/json\" id=\"ft-index\">" << dump(index) << "</script>\n"
      << "<script>\n"
      << report_js() << "</script>\n</body>\n</html>\n";
  return file.commit(error);
}

}  // namespace fedtriage
