#include "lib/report/json_report.h"

#include <algorithm>
#include <functional>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <string_view>

#include "lib/core/timestamp.h"
#include "lib/report/case_todo.h"
#include "lib/report/case_view.h"
#include "lib/report/json_support.h"
#include "lib/report/preflight_report.h"

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
    evidence.push_back(
        {{"file", e.file}, {"line", e.line}, {"record_line", e.record_line}, {"text", e.text}});
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

ordered_json conversation_of(const ConversationSet& set, const std::string& call_id) {
  const Conversation* c = set.of(call_id);
  return c ? ordered_json(c->id) : ordered_json(nullptr);
}

ordered_json call_json(const Call& c, const std::vector<const Finding*>& call_findings,
                       const ConversationSet& conversations) {
  ordered_json sources = ordered_json::array();
  for (Source s : c.sources) sources.push_back(to_string(s));
  ordered_json links = ordered_json::array();
  for (const CallLink& l : c.links) {
    links.push_back(
        {{"file", l.file}, {"line", l.line}, {"kind", to_string(l.kind)}, {"reason", l.reason}});
  }
  ordered_json findings = ordered_json::array();
  for (const Finding* f : call_findings) findings.push_back(finding_json(*f));
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
      {"outcome", to_string(c.outcome)},
      {"phase", c.failed() ? ordered_json(to_string(c.phase)) : ordered_json(nullptr)},
      {"failure",
       c.failed() && c.failure_status
           ? ordered_json{{"request", c.failure_method.empty() ? ordered_json(nullptr)
                                                               : ordered_json(c.failure_method)},
                          {"request_uri", c.failure_request_uri.empty()
                                              ? ordered_json(nullptr)
                                              : ordered_json(c.failure_request_uri)},
                          {"status", c.failure_status},
                          {"reason", c.failure_reason}}
           : ordered_json(nullptr)},
      {"sources", std::move(sources)},
      {"hosts", c.hosts},
      {"sip_messages", c.message_count},
      {"sightings", c.sighting_count},
      {"events", c.event_count},
      {"links", std::move(links)},
      {"findings", std::move(findings)},
      {"conversation", conversation_of(conversations, c.call_id)}};
}

// Writes a JSON array as nlohmann would print it at depth 1, one element at a time: a tree of
// every element at once (every call, every conversation of a large case) would cost several
// times the text. `each(add)` calls add(element) for every element, in order.
void write_array(std::ostream& out, int indent,
                 const std::function<void(const std::function<void(const ordered_json&)>&)>& each) {
  const bool pretty = indent >= 0;
  const std::string inner = pretty ? "\n" + std::string(2 * indent, ' ') : "";
  out << '[';
  bool any = false;
  std::string piece;
  each([&](const ordered_json& element) {
    piece.assign(any ? "," : "");
    any = true;
    const std::string text = dump_json(element, indent);
    if (!pretty) {
      out << piece << text;
      return;
    }
    piece += inner;
    for (char ch : text) {
      if (ch == '\n') {
        piece += inner;
      } else {
        piece += ch;
      }
    }
    out << piece;
  });
  if (pretty && any) out << "\n" << std::string(indent, ' ');
  out << ']';
}

// Every conversation with the links that tie its legs and, when one leg explains the others,
// the finding said once for all of them. With `failed_calls`, only those with a failed leg.
void write_conversations(std::ostream& out, const CaseView& view,
                         const std::set<std::string>* failed_calls, int indent) {
  std::map<std::string, const ConversationFinding*> finding_of;
  for (const ConversationFinding& f : view.conversation_findings()) {
    finding_of[f.conversation_id] = &f;
  }
  write_array(out, indent, [&](const std::function<void(const ordered_json&)>& add) {
    for (const Conversation& c : view.conversations().conversations) {
      if (failed_calls && std::none_of(c.call_ids.begin(), c.call_ids.end(), [&](const auto& id) {
            return failed_calls->count(id) > 0;
          })) {
        continue;
      }
      ordered_json links = ordered_json::array();
      for (const ConversationLink& l : c.links) {
        links.push_back(
            {{"call_ids", {l.call_a, l.call_b}}, {"key", l.key.kind}, {"value", l.key.value}});
      }
      ordered_json j = {{"id", c.id}, {"call_ids", c.call_ids}, {"links", std::move(links)}};
      if (auto f = finding_of.find(c.id); f != finding_of.end()) {
        ordered_json explains = ordered_json::array();
        for (const auto& [call_id, status] : f->second->explains) {
          explains.push_back({{"call_id", call_id}, {"final_status", status}});
        }
        j["finding"] = {{"rule", f->second->rule_id},
                        {"title", f->second->title},
                        {"leg", f->second->root_call_id},
                        {"explains", std::move(explains)},
                        {"text", f->second->text}};
      }
      add(j);
    }
  });
}

// The calls array, call by call from the view.
void write_calls(std::ostream& out, const CaseView& view, const JsonReportOptions& options) {
  write_array(out, options.indent, [&](const std::function<void(const ordered_json&)>& add) {
    view.for_each_call(
        [&](const Call& c, const std::vector<const Finding*>& findings) {
          if (options.failed_only && !c.failed()) return;
          add(call_json(c, findings, view.conversations()));
        },
        nullptr);
  });
}

}  // namespace

void write_analysis_json(const CaseView& view, const JsonReportOptions& options,
                         std::ostream& out) {
  const CaseTotals t = view.totals();
  const std::vector<InputRecord>& records = view.inputs();
  size_t with_problems = 0, skipped = 0;
  ordered_json inputs = ordered_json::array();
  for (const InputRecord& in : records) {
    if (!in.problems.empty()) ++with_problems;
    if (in.skipped) ++skipped;
    inputs.push_back(input_json(in));
  }
  ordered_json j;
  j["tool"] = {{"name", "fedtriage"}, {"version", FEDTRIAGE_VERSION}};
  j["summary"] = {{"inputs", records.size()},
                  {"inputs_skipped", skipped},
                  {"inputs_with_problems", with_problems},
                  {"events", t.events},
                  {"calls", t.calls},
                  {"conversations", view.conversations().conversations.size()},
                  {"failed_calls", t.failed_calls},
                  {"normal_calls", t.normal_calls},
                  {"findings", t.findings},
                  {"findings_by_rule", t.findings_by_rule}};
  j["inputs"] = std::move(inputs);
  j["calls"] = nullptr;  // placeholder: the calls are printed one by one
  // --failed-only: the conversations of the calls listed, as the calls are.
  std::set<std::string> failed_calls;
  if (options.failed_only) {
    view.for_each_call(
        [&](const Call& c, const std::vector<const Finding*>&) {
          if (c.failed()) failed_calls.insert(c.call_id);
        },
        nullptr);
  }
  j["conversations"] = nullptr;  // placeholder: the conversations are printed one by one
  ordered_json todo = ordered_json::array();
  for (const TodoItem& item : case_todo(view)) {
    todo.push_back({{"kind", item.kind},
                    {"action", item.action},
                    {"details", item.details},
                    {"rules", item.rules},
                    {"calls", item.call_ids}});
  }
  j["todo"] = std::move(todo);
  j["notes"] = view.notes();
  // Only when the input carried the Expressway's certificate: other reports keep their bytes.
  if (!view.certificates().empty()) {
    j["certificates"] = ordered_json::parse(preflight::domains_json_text(view.certificates()));
  }
  // The frame is printed around its two placeholders (in this order in the frame).
  const std::string frame = dump_json(j, options.indent);
  const std::string_view rest(frame);
  const std::string space = options.indent >= 0 ? " " : "";
  const std::string calls = "\"calls\":" + space + "null";
  const std::string conversations = "\"conversations\":" + space + "null";
  const size_t at_calls = frame.find(calls);
  const size_t at_conversations = frame.find(conversations, at_calls + calls.size());
  out << rest.substr(0, at_calls + calls.size() - 4);
  write_calls(out, view, options);
  out << rest.substr(at_calls + calls.size(),
                     at_conversations + conversations.size() - 4 - (at_calls + calls.size()));
  write_conversations(out, view, options.failed_only ? &failed_calls : nullptr, options.indent);
  out << rest.substr(at_conversations + conversations.size());
}

std::string analysis_to_json(const CaseView& view, const JsonReportOptions& options) {
  std::ostringstream out;
  write_analysis_json(view, options, out);
  return std::move(out).str();
}

}  // namespace fedtriage
