#include "lib/output/json_report.h"

#include <map>

#include "lib/analysis/analyzer.h"
#include "lib/core/timestamp.h"
#include "lib/output/json_support.h"

namespace fedtriage {

using nlohmann::ordered_json;

namespace {

ordered_json input_json(const InputRecord& in) {
  ordered_json problems = ordered_json::array();
  for (const Problem& p : in.problems) {
    problems.push_back({{"severity", to_string(p.severity)},
                        {"file", p.file},
                        {"line", p.line == 0 ? ordered_json(nullptr) : ordered_json(p.line)},
                        {"message", p.message}});
  }
  ordered_json j = {{"file", in.name},      {"format", in.format}, {"bytes", in.bytes},
                    {"lines", in.lines},    {"events", in.events}, {"sha256", in.sha256},
                    {"skipped", in.skipped}};
  if (in.skipped) j["skip_reason"] = in.skip_reason;
  j["problems"] = std::move(problems);
  return j;
}

ordered_json finding_json(const Finding& f) {
  ordered_json evidence = ordered_json::array();
  for (const Evidence& e : f.evidence) {
    evidence.push_back({{"file", e.file}, {"line", e.line}, {"text", e.text}});
  }
  return {{"rule", f.rule_id},
          {"title", f.title},
          {"severity", to_string(f.severity)},
          {"root_cause", f.root_cause},
          {"fix", f.fix},
          {"fields", fields_to_json(f.fields)},
          {"related_rules", f.related_rules},
          {"evidence", std::move(evidence)}};
}

ordered_json call_json(const Analysis& a, const Call& c) {
  ordered_json sources = ordered_json::array();
  for (Source s : c.sources) sources.push_back(to_string(s));
  ordered_json links = ordered_json::array();
  for (const CallLink& l : c.links) {
    links.push_back(
        {{"file", l.file}, {"line", l.line}, {"kind", to_string(l.kind)}, {"reason", l.reason}});
  }
  ordered_json findings = ordered_json::array();
  for (const Finding* f : findings_of(a, c.call_id)) findings.push_back(finding_json(*f));
  size_t sightings = 0;
  for (const auto& m : c.messages) sightings += m.events.size();
  return {
      {"call_id", c.call_id},
      {"first", format_iso_utc(c.first_ms)},
      {"last", format_iso_utc(c.last_ms)},
      {"from", {{"display", c.from_display}, {"uri", c.from_uri}}},
      {"to", {{"uri", c.to_uri}}},
      {"method", c.method},
      {"request_uri", c.request_uri},
      {"final_status", c.final_status == 0 ? ordered_json(nullptr) : ordered_json(c.final_status)},
      {"final_reason", c.final_reason},
      {"sources", std::move(sources)},
      {"hosts", c.hosts},
      {"sip_messages", c.messages.size()},
      {"sightings", sightings},
      {"events", c.events.size()},
      {"links", std::move(links)},
      {"findings", std::move(findings)}};
}

}  // namespace

std::string analysis_to_json(const Analysis& a, const JsonReportOptions& options) {
  ordered_json calls = ordered_json::array();
  size_t failed = 0;
  for (const Call& c : a.calls) {
    const bool has_finding = !findings_of(a, c.call_id).empty();
    if (c.failed() || has_finding) ++failed;
    if (options.failed_only && !c.failed() && !has_finding) continue;
    calls.push_back(call_json(a, c));
  }
  std::map<std::string, size_t> by_rule;
  for (const Finding& f : a.findings) ++by_rule[f.rule_id];
  size_t with_problems = 0, skipped = 0;
  ordered_json inputs = ordered_json::array();
  for (const InputRecord& in : a.inputs) {
    if (!in.problems.empty()) ++with_problems;
    if (in.skipped) ++skipped;
    inputs.push_back(input_json(in));
  }
  ordered_json j;
  j["tool"] = {{"name", "fedtriage"}, {"version", FEDTRIAGE_VERSION}};
  j["summary"] = {{"inputs", a.inputs.size()},
                  {"inputs_skipped", skipped},
                  {"inputs_with_problems", with_problems},
                  {"events", a.event_count},
                  {"calls", a.calls.size()},
                  {"failed_calls", failed},
                  {"findings", a.findings.size()},
                  {"findings_by_rule", by_rule}};
  j["inputs"] = std::move(inputs);
  j["calls"] = std::move(calls);
  j["notes"] = a.notes;
  return dump_json(j, options.indent);
}

}  // namespace fedtriage
