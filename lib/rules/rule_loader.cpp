#include "lib/rules/rule_loader.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <set>
#include <stdexcept>

#include "lib/base/ascii.h"
#include "lib/rules/rule_match.h"
#include "lib/rules/rule_samples.h"
#include "lib/rules/template_text.h"
#include "lib/rules/yaml_values.h"
#include "lib/sip/ms_diagnostic.h"

namespace fedtriage::rules {
namespace {

Regex compile_regex(const YAML::Node& n, const std::string& pattern) {
  std::string error;
  std::optional<Regex> re = Regex::compile(pattern, &error);
  if (!re) throw RuleError(n, "regex '" + pattern + "': " + error);
  return *re;
}

// `x` | `[x, y]` | {regex: R} | {equals: x | [x, y]} | {exists: bool}, combinable in the map.
ValueTest parse_value_test(const YAML::Node& n, std::string_view what) {
  ValueTest t;
  if (!n.IsMap()) {
    t.any_of = scalars(n, what);
    return t;
  }
  for (const auto& kv : n) {
    const std::string key = scalar(kv.first, what);
    if (key == "regex") {
      t.regex = compile_regex(kv.second, scalar(kv.second, what));
    } else if (key == "equals" || key == "any_of") {
      t.any_of = scalars(kv.second, what);
    } else if (key == "exists") {
      t.exists = parse_bool(kv.second, what);
    } else {
      throw RuleError(kv.first, std::string(what) + ": unknown key '" + key +
                                    "' (expected regex, equals or exists)");
    }
  }
  if (t.any_of.empty() && !t.regex && !t.exists) {
    throw RuleError(n, std::string(what) + ": empty test");
  }
  return t;
}

void add_diag_key(DiagTest& d, const std::string& key, const YAML::Node& v) {
  if (key == "code") {
    for (const std::string& c : scalars(v, "ms_diagnostics.code")) {
      d.codes.push_back(static_cast<int>(parse_integer(v, c, "ms_diagnostics.code")));
    }
  } else if (key == "reason") {
    d.reason = parse_value_test(v, "ms_diagnostics.reason");
  } else if (key == "present") {
    d.present = parse_bool(v, "ms_diagnostics.present");
  } else if (key.starts_with("param.") && key.size() > 6) {
    d.params.emplace_back(key.substr(6), parse_value_test(v, "ms_diagnostics." + key));
  } else if (key == "param") {
    if (!v.IsMap()) throw RuleError(v, "ms_diagnostics.param: expected a map of key: test");
    for (const auto& p : v) {
      const std::string k = scalar(p.first, "ms_diagnostics.param");
      d.params.emplace_back(k, parse_value_test(p.second, "ms_diagnostics.param." + k));
    }
  } else {
    throw RuleError(
        v, "ms_diagnostics: unknown key '" + key + "' (expected code, reason, param, present)");
  }
}

void add_named_tests(NamedTests& into, const YAML::Node& v, std::string_view what) {
  if (!v.IsMap()) throw RuleError(v, std::string(what) + ": expected a map of name: test");
  for (const auto& p : v) {
    const std::string k = scalar(p.first, what);
    into.emplace_back(k, parse_value_test(p.second, std::string(what) + "." + k));
  }
}

Pattern parse_pattern(const YAML::Node& n) {
  if (!n.IsMap()) throw RuleError(n, "match: each alternative must be a map");
  Pattern p;
  p.line = n.Mark().line + 1;
  bool any = false;
  for (const auto& kv : n) {
    const std::string key = scalar(kv.first, "match");
    const YAML::Node& v = kv.second;
    any = true;
    if (key == "source") {
      for (const std::string& s : scalars(v, key)) p.sources.push_back(parse_source(v, s));
    } else if (key == "kind") {
      for (const std::string& s : scalars(v, key)) p.kinds.push_back(parse_kind(v, s));
    } else if (key == "status") {
      for (const std::string& s : scalars(v, key)) p.statuses.push_back(parse_status(v, s));
    } else if (key == "method") {
      p.methods = scalars(v, key);
    } else if (key == "result_code") {
      for (std::string s : scalars(v, key)) {
        s = to_lower_ascii(s);
        if (!s.starts_with("0x")) s = "0x" + s;
        p.result_codes.push_back(s);
      }
    } else if (key == "result_name") {
      p.result_names = scalars(v, key);
    } else if (key == "ms_diagnostics") {
      if (!p.diag) p.diag.emplace();
      if (v.IsMap()) {
        for (const auto& d : v) add_diag_key(*p.diag, scalar(d.first, key), d.second);
      } else {
        add_diag_key(*p.diag, "code", v);  // shorthand: ms_diagnostics: 1009
      }
    } else if (key.starts_with("ms_diagnostics.")) {
      if (!p.diag) p.diag.emplace();
      add_diag_key(*p.diag, key.substr(15), v);
    } else if (key == "field") {
      add_named_tests(p.fields, v, "field");
    } else if (key.starts_with("field.") && key.size() > 6) {
      p.fields.emplace_back(key.substr(6), parse_value_test(v, key));
    } else if (key == "header") {
      add_named_tests(p.headers, v, "header");
    } else if (key.starts_with("header.") && key.size() > 7) {
      p.headers.emplace_back(key.substr(7), parse_value_test(v, key));
    } else if (key == "module" || key == "reason" || key == "event" || key == "detail") {
      p.fields.emplace_back(key, parse_value_test(v, key));  // Expressway attribute shorthands
    } else if (key == "text") {
      p.text = parse_value_test(v, key);
    } else {
      throw RuleError(kv.first, "match: unknown key '" + key + "'");
    }
  }
  if (!any) throw RuleError(n, "match: an empty alternative would match every event");
  return p;
}

std::vector<Extractor> parse_extract(const YAML::Node& n) {
  if (!n.IsMap()) throw RuleError(n, "extract: expected a map of field: sources");
  std::vector<Extractor> out;
  for (const auto& kv : n) {
    Extractor x;
    x.name = scalar(kv.first, "extract");
    const YAML::Node& v = kv.second;
    if (v.IsMap()) {
      for (const auto& o : v) {
        const std::string key = scalar(o.first, "extract." + x.name);
        if (key == "from") {
          x.sources = scalars(o.second, "extract." + x.name + ".from");
        } else if (key == "strip_port") {
          x.strip_port = parse_bool(o.second, "extract." + x.name + ".strip_port");
        } else {
          throw RuleError(o.first, "extract." + x.name + ": unknown key '" + key +
                                       "' (expected from, strip_port)");
        }
      }
    } else {
      x.sources = scalars(v, "extract." + x.name);
    }
    if (x.sources.empty()) throw RuleError(v, "extract." + x.name + ": no source");
    for (const std::string& s : x.sources) {
      if (!is_known_source(s)) {
        throw RuleError(v, "extract." + x.name + ": unknown source '" + s + "'");
      }
    }
    out.push_back(std::move(x));
  }
  return out;
}

// "domain_relation(domain, fqdn)"
ComputeStep parse_compute_step(const YAML::Node& n, std::set<std::string>& known) {
  const std::string text = scalar(n, "compute");
  const size_t open = text.find('(');
  const size_t close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open ||
      !trim_ascii(text.substr(close + 1)).empty()) {
    throw RuleError(n, "compute: expected 'function(field, ...)', got '" + text + "'");
  }
  ComputeStep step;
  step.function = trim_ascii(text.substr(0, open));
  const std::string args = text.substr(open + 1, close - open - 1);
  size_t pos = 0;
  while (pos <= args.size() && !trim_ascii(args).empty()) {
    const size_t comma = args.find(',', pos);
    step.args.emplace_back(
        trim_ascii(args.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos)));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  size_t arity = 0;
  std::vector<std::string> outputs;
  if (!compute_signature(step.function, &arity, &outputs)) {
    throw RuleError(n, "compute: unknown function '" + step.function +
                           "' (known: domain_relation(domain, fqdn), srv_record(domain), "
                           "cert_fits_domain(expected_fqdn, cert_name), tls_direction(peer))");
  }
  if (step.args.size() != arity) {
    throw RuleError(
        n, "compute: " + step.function + " takes " + std::to_string(arity) + " argument(s)");
  }
  for (const std::string& a : step.args) {
    if (!known.count(a)) throw RuleError(n, "compute: '" + a + "' is not an extracted field");
  }
  known.insert(outputs.begin(), outputs.end());
  return step;
}

// Fields the failure finding of a failed call may get from the call: which pool member it
// went to (rule_engine.cpp, add_pool_member).
constexpr const char* kPoolMemberFields[] = {"peer_srv_record", "peer_srv_addresses",
                                             "peer_srv_count", "peer_address", "peer_name"};

// The fields the template names, each checked against `known`.
std::vector<std::string> check_template(const YAML::Node& n, const std::string& text,
                                        std::string_view what, const std::set<std::string>& known) {
  std::vector<std::string> names;
  std::string error;
  if (!template_field_names(text, &names, &error)) {
    throw RuleError(n, std::string(what) + ": " + error);
  }
  for (const std::string& name : names) {
    if (!known.count(name)) {
      throw RuleError(n, std::string(what) + ": {{" + name +
                             "}} is not extracted, computed or captured by this rule");
    }
  }
  return names;
}

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 100 || !std::isalnum(static_cast<unsigned char>(id[0]))) {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
  });
}

Rule parse_rule(const YAML::Node& n, std::string_view file, std::string* id_out) {
  if (!n.IsMap()) throw RuleError(n, "a rule must be a map");
  Rule r;
  r.file = std::string(file);
  r.line = n.Mark().line + 1;
  if (const YAML::Node id = n["id"]) {
    r.id = scalar(id, "id");
    *id_out = r.id;
    if (!valid_id(r.id)) {
      throw RuleError(id, "id '" + r.id + "': use lower-case letters, digits, '-', '.', '_'");
    }
  } else {
    throw RuleError(n, "rule has no id");
  }
  bool has_severity = false;
  // Default-constructed nodes count as defined in yaml-cpp: test with given().
  YAML::Node extract, compute, root_cause, fix, match, samples;
  auto given = [](const YAML::Node& x) { return x.IsDefined() && !x.IsNull(); };
  for (const auto& kv : n) {
    const std::string key = scalar(kv.first, "rule");
    const YAML::Node& v = kv.second;
    if (key == "id") {
    } else if (key == "title") {
      r.title = scalar(v, key);
    } else if (key == "severity") {
      if (!parse_finding_severity(to_lower_ascii(scalar(v, key)), r.severity)) {
        throw RuleError(v, "severity: expected info, warning, error or critical");
      }
      has_severity = true;
    } else if (key == "priority") {
      r.priority = static_cast<int>(parse_integer(v, scalar(v, key), key));
    } else if (key == "explains") {
      const std::string e = to_lower_ascii(scalar(v, key));
      if (e == "failure") {
        r.explains_failure = true;
      } else if (e == "observation") {
        r.explains_failure = false;
      } else {
        throw RuleError(v, "explains: expected failure or observation");
      }
    } else if (key == "match") {
      match = v;
    } else if (key == "extract") {
      extract = v;
    } else if (key == "compute") {
      compute = v;
    } else if (key == "root_cause") {
      root_cause = v;
    } else if (key == "fix") {
      fix = v;
    } else if (key == "samples") {
      samples = v;
    } else if (key == "notes" || key == "description") {
      // Free text for the people who maintain the rule.
    } else {
      throw RuleError(kv.first, "unknown key '" + key + "'");
    }
  }
  if (r.title.empty()) throw RuleError(n, "rule has no title");
  if (!has_severity) throw RuleError(n, "rule has no severity");
  if (!given(match) || !match.IsSequence() || match.size() == 0) {
    throw RuleError(given(match) ? match : n, "match: expected a non-empty list of alternatives");
  }
  // Fields every finding of a failed call gets from the call itself (rule_engine.h).
  std::set<std::string> known = {"phase", "failed_request", "contact_domain",
                                 "chain", "answer",         "expressway_seen"};
  known.insert(std::begin(kPoolMemberFields), std::end(kPoolMemberFields));
  for (const YAML::Node& p : match) {
    r.patterns.push_back(parse_pattern(p));
    const Pattern& pat = r.patterns.back();
    auto add_groups = [&known](const std::optional<ValueTest>& t) {
      if (t && t->regex) {
        for (const std::string& g : t->regex->group_names()) known.insert(g);
      }
    };
    for (const auto& [name, t] : pat.fields) add_groups(t);
    for (const auto& [name, t] : pat.headers) add_groups(t);
    add_groups(pat.text);
    if (pat.diag) {
      add_groups(pat.diag->reason);
      for (const auto& [name, t] : pat.diag->params) add_groups(t);
    }
  }
  if (given(extract)) {
    r.extract = parse_extract(extract);
    for (const Extractor& x : r.extract) known.insert(x.name);
  }
  if (given(compute)) {
    if (compute.IsSequence()) {
      for (const YAML::Node& c : compute) r.compute.push_back(parse_compute_step(c, known));
    } else {
      r.compute.push_back(parse_compute_step(compute, known));
    }
  }
  if (!given(root_cause)) throw RuleError(n, "rule has no root_cause");
  if (!given(fix)) throw RuleError(n, "rule has no fix");
  r.root_cause = scalar(root_cause, "root_cause");
  r.fix = scalar(fix, "fix");
  std::vector<std::string> named = check_template(root_cause, r.root_cause, "root_cause", known);
  for (std::string& name : check_template(fix, r.fix, "fix", known)) named.push_back(name);
  r.names_pool_member = std::any_of(named.begin(), named.end(), [](const std::string& f) {
    return std::find(std::begin(kPoolMemberFields), std::end(kPoolMemberFields), f) !=
           std::end(kPoolMemberFields);
  });
  if (given(samples)) r.samples = parse_samples(samples, file);
  return r;
}

void add_error(RuleSet::Impl& into, std::string_view file, const YAML::Mark& mark,
               std::string rule_id, std::string message) {
  RuleLoadError e;
  e.file = std::string(file);
  if (mark.line >= 0) e.line = static_cast<uint64_t>(mark.line) + 1;
  if (mark.column >= 0) e.column = static_cast<uint64_t>(mark.column) + 1;
  e.rule_id = std::move(rule_id);
  e.message = std::move(message);
  into.errors.push_back(std::move(e));
}

void load_rule_node(const YAML::Node& n, std::string_view file, RuleSet::Impl& into) {
  std::string id;
  try {
    Rule r = parse_rule(n, file, &id);
    for (const Rule& other : into.rules) {
      if (other.id == r.id) {
        throw RuleError(n["id"], "duplicate rule id '" + r.id + "' (first defined in " +
                                     other.file + ":" + std::to_string(other.line) + ")");
      }
    }
    into.rules.push_back(std::move(r));
  } catch (const RuleError& e) {
    add_error(into, file, e.mark, id, e.what());
  } catch (const YAML::Exception& e) {
    add_error(into, file, e.mark, id, e.msg);
  }
}

// 1-based line of a "---" document marker that starts a second document, or 0. A
// marker in column 0 is never part of a block scalar, so a line scan is exact enough.
uint64_t second_document_line(std::string_view text) {
  bool content = false;
  uint64_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.ends_with('\r')) line.remove_suffix(1);
    const bool marker =
        line.starts_with("---") && (line.size() == 3 || line[3] == ' ' || line[3] == '\t');
    if (marker) {
      if (content) return line_no;
      content = true;  // the optional "---" that opens the first document
      continue;
    }
    const std::string t(trim_ascii(line));
    if (!t.empty() && t[0] != '#' && t[0] != '%') content = true;
  }
  return 0;
}

}  // namespace

void load_rule_file(std::string_view file_name, std::string_view yaml, RuleSet::Impl& into) {
  into.files.push_back(RuleSourceFile{std::string(file_name), std::string(yaml)});
  reset_value_budget();
  // One document per file: yaml-cpp 0.7's LoadAll loops forever, allocating, on input such
  // as a lone "," (jbeder/yaml-cpp#1040, fixed upstream after 0.8); Load reads one document.
  if (const uint64_t line = second_document_line(yaml)) {
    YAML::Mark mark;
    mark.line = static_cast<int>(line - 1);
    mark.column = 0;
    add_error(into, file_name, mark, "",
              "a rule file holds one YAML document; everything from this '---' on is ignored");
  }
  std::vector<YAML::Node> docs;
  try {
    docs.push_back(YAML::Load(std::string(yaml)));
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp says only "bad file" here.
    add_error(into, file_name, e.mark, "",
              "nested more than " + std::to_string(e.depth() - 1) +
                  " levels deep (a rule needs a few): not read");
    return;
  } catch (const YAML::Exception& e) {
    add_error(into, file_name, e.mark, "", e.msg);
    return;
  }
  for (const YAML::Node& doc : docs) {
    try {
      if (!doc || doc.IsNull()) continue;
      if (doc.IsSequence()) {
        for (const YAML::Node& r : doc) load_rule_node(r, file_name, into);
      } else if (doc.IsMap() && (doc["rules"] || doc["conversation_link_headers"])) {
        for (const auto& kv : doc) {
          const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
          if (key != "rules" && key != "notes" && key != "description" &&
              key != "conversation_link_headers") {
            throw RuleError(kv.first, "unknown top-level key '" + key +
                                          "' (expected rules, notes, description, "
                                          "conversation_link_headers)");
          }
        }
        if (const YAML::Node headers = doc["conversation_link_headers"]) {
          if (!headers.IsSequence()) {
            throw RuleError(headers, "conversation_link_headers: expected a list of header names");
          }
          for (const YAML::Node& h : headers) {
            into.link_headers.push_back(scalar(h, "conversation_link_headers"));
          }
        }
        if (const YAML::Node rules = doc["rules"]) {
          if (!rules.IsSequence()) throw RuleError(rules, "rules: expected a list of rules");
          for (const YAML::Node& r : rules) load_rule_node(r, file_name, into);
        }
      } else if (doc.IsMap()) {
        load_rule_node(doc, file_name, into);
      } else {
        throw RuleError(doc, "expected a rule, a list of rules, or 'rules:'");
      }
    } catch (const RuleError& e) {
      add_error(into, file_name, e.mark, "", e.what());
    } catch (const YAML::Exception& e) {
      add_error(into, file_name, e.mark, "", e.msg);
    }
  }
}

}  // namespace fedtriage::rules
