#include "lib/analysis/analyzer.h"

#include "lib/correlate/correlator.h"
#include "lib/rules/rule_engine.h"
#include "lib/rules/rule_set.h"

namespace fedtriage {

Analysis analyze(const std::vector<std::string>& paths, const IngestOptions& options,
                 const RuleSet& rules, ProblemSink& live) {
  IngestResult read = ingest(paths, options, live);
  Analysis a;
  a.inputs = std::move(read.inputs);
  a.events = std::move(read.events);
  a.notes = std::move(read.clock_notes);
  explain(a, rules);
  return a;
}

void explain(Analysis& a, const RuleSet& rules) {
  a.calls = correlate(a.events);
  a.findings.clear();
  for (const Call& call : a.calls) {
    for (Finding& f : explain_call(rules, call, a.events)) a.findings.push_back(std::move(f));
  }
}

std::vector<const Finding*> findings_of(const Analysis& a, const std::string& call_id) {
  std::vector<const Finding*> out;
  for (const Finding& f : a.findings) {
    if (f.call_id == call_id) out.push_back(&f);
  }
  return out;
}

}  // namespace fedtriage
