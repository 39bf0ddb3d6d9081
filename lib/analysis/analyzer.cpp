#include "lib/analysis/analyzer.h"

#include <algorithm>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

#include "lib/analysis/analysis_sink.h"
#include "lib/analysis/call_archive.h"
#include "lib/analysis/plan_spool.h"
#include "lib/analysis/read.h"
#include "lib/base/release_memory.h"
#include "lib/correlate/conversation_keys.h"
#include "lib/correlate/conversation_linker.h"
#include "lib/correlate/correlator.h"
#include "lib/preflight/bundle_certificates.h"
#include "lib/rules/rule_engine.h"
#include "lib/rules/rule_set.h"

namespace fedtriage {
namespace {

// One call, explained: its events (its own and those tied to it, time order), where they
// are in the whole read, the call and its findings with indices into `events`.
struct ExplainedCall {
  std::vector<Event> events;
  std::vector<size_t> positions;
  Call call;
  std::vector<Finding> findings;
  CallKeys keys;  // what ties it to the other legs of its conversation
  std::unique_ptr<AnalysisSink::Prepared> prepared;  // the sink's work on it, done ahead
  std::string error;  // set when its events could not be loaded: the analysis stops

  // Archives the call and findings for the report: counts instead of index lists, link and
  // evidence indices into the whole read.
  bool keep(Analysis& out, std::string* error) {
    call.release_lists();
    for (CallLink& l : call.links) {
      l.event = positions[l.event];
      if (l.query != CallLink::kNoQuery) l.query = positions[l.query];
    }
    for (Finding& f : findings) {
      for (Evidence& ev : f.evidence) {
        if (ev.event < positions.size()) ev.event = positions[ev.event];
      }
    }
    out.totals.add(call, findings);
    return out.archive->add(call, findings, error);
  }
};

// Loads the events of one call and explains it.
class CallExplainer {
 public:
  CallExplainer(const SpooledRead& read, const RuleSet& rules) : read_(read), rules_(rules) {}

  ExplainedCall explain(const CallPlan& plan) {
    ExplainedCall x;
    std::vector<size_t>& positions = x.positions;
    positions.assign(plan.events.begin(), plan.events.end());
    for (const CallLink& l : plan.links) positions.push_back(l.event);
    std::sort(positions.begin(), positions.end());
    positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
    x.events.reserve(positions.size());
    for (size_t k = 0; k < positions.size(); ++k) {
      if (spare_.empty()) {
        x.events.emplace_back();
      } else {
        x.events.push_back(std::move(spare_.back()));
        spare_.pop_back();
      }
    }
    if (!read_.load_all(positions, x.events, scratch_, &x.error)) return x;
    auto local = [&](size_t position) {
      return static_cast<size_t>(std::lower_bound(positions.begin(), positions.end(), position) -
                                 positions.begin());
    };
    x.call = assemble_call(
        plan, [&](size_t position) { return x.events[local(position)].ts_ms; },
        [&](size_t position) -> const Event& { return x.events[local(position)]; });
    // Positions ascend with time order (ties by position), so local indices keep the order.
    for (size_t& i : x.call.events) i = local(i);
    for (CallLink& l : x.call.links) {
      l.event = local(l.event);
      if (l.query != CallLink::kNoQuery) l.query = local(l.query);
    }
    for (MessageSighting& m : x.call.messages) {
      for (size_t& i : m.events) i = local(i);
    }
    FailureVerdict verdict;
    x.findings = explain_call(rules_, x.call, x.events, &verdict);
    settle_outcome(x.call, verdict);
    x.keys = call_link_keys(
        x.call, [&](size_t i) -> const Event& { return x.events[i]; },
        rules_.conversation_link_headers());
    return x;
  }

  // Takes back the events of a call handed over before: loading the next calls decodes into
  // them, reusing their strings (decode_event overwrites every member), instead of the
  // storing thread freeing what this one allocated (malloc's arenas make that costly).
  void recycle(ExplainedCall& done) {
    for (Event& e : done.events) {
      if (spare_.size() >= kSpareEvents) break;
      spare_.push_back(std::move(e));
    }
    done = ExplainedCall();
  }

 private:
  static constexpr size_t kSpareEvents = 1024;  // a few MB at most

  const SpooledRead& read_;
  const RuleSet& rules_;
  std::string scratch_;
  std::vector<Event> spare_;
};

// Explains calls on a second thread while the caller stores the ones before: loading and
// the rules overlap the SQLite writes. At most kDepth calls wait, so memory stays flat.
class ExplainAhead {
 public:
  ExplainAhead(const SpooledRead& read, const RuleSet& rules, PlanSpool& plans, AnalysisSink* sink)
      : explainer_(read, rules), plans_(plans), sink_(sink), thread_([this] { run(); }) {}
  ~ExplainAhead() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    room_.notify_all();
    thread_.join();
  }

  // The next call in plan order; false when all are done. What `out` held goes back to the
  // explaining thread, which frees or reuses it.
  bool next(ExplainedCall& out) {
    std::unique_lock lock(mu_);
    if (!out.events.empty() || out.prepared) spent_.push_back(std::move(out));
    ready_.wait(lock, [&] { return !queue_.empty() || finished_; });
    if (queue_.empty()) return false;
    out = std::move(queue_.front());
    queue_.pop_front();
    room_.notify_one();
    return true;
  }

 private:
  static constexpr size_t kDepth = 64;

  void run() {
    CallPlan plan;
    std::string error;
    std::deque<ExplainedCall> spent;
    for (;;) {
      {
        std::lock_guard lock(mu_);
        spent.swap(spent_);
      }
      for (ExplainedCall& done : spent) explainer_.recycle(done);
      spent.clear();
      ExplainedCall x;
      if (plans_.next(plan, &error)) {
        x = explainer_.explain(plan);
        if (sink_ && x.error.empty()) x.prepared = sink_->prepare_call(x.events, x.positions);
      } else if (!error.empty()) {
        x.error = error;
      } else {
        break;
      }
      const bool failed = !x.error.empty();
      std::unique_lock lock(mu_);
      room_.wait(lock, [&] { return queue_.size() < kDepth || stop_; });
      if (stop_) break;
      queue_.push_back(std::move(x));
      ready_.notify_one();
      if (failed) break;
    }
    std::lock_guard lock(mu_);
    finished_ = true;
    ready_.notify_one();
  }

  CallExplainer explainer_;
  PlanSpool& plans_;
  AnalysisSink* sink_;  // prepares each call for the sink here, off the storing thread
  std::mutex mu_;
  std::condition_variable ready_, room_;
  std::deque<ExplainedCall> queue_;
  std::deque<ExplainedCall> spent_;  // handed over and done with: freed on this thread
  bool stop_ = false, finished_ = false;
  std::thread thread_;  // last: starts once everything above is ready
};

// Hands the events no call holds to the sink, a batch at a time.
bool write_unattached(const SpooledRead& read, const std::vector<bool>& attached,
                      AnalysisSink& sink, std::string* error) {
  constexpr size_t kBatch = 2048;
  std::vector<Event> batch;  // decoded into again: decoding overwrites every member
  std::vector<size_t> positions;
  std::string scratch;
  for (size_t i = 0; i < attached.size();) {
    positions.clear();
    for (; i < attached.size() && positions.size() < kBatch; ++i) {
      if (!attached[i]) positions.push_back(i);
    }
    if (positions.empty()) break;
    // Records close together in the spool are read at once.
    if (!read.load_all(positions, batch, scratch, error)) return false;
    if (!sink.on_unattached(batch, error)) return false;
  }
  return true;
}

// Keeps at most `max` events of a call (ingest.h, max_call_events): the first and last halves
// of those carrying the Call-ID, then the earliest links. Returns how many were left out.
size_t cap_call(CallPlan& plan, size_t max) {
  const size_t total = plan.events.size() + plan.links.size();
  if (max == 0 || total <= max) return 0;
  if (plan.events.size() > max) {
    const size_t head = max / 2, tail = max - head;
    plan.events.erase(plan.events.begin() + static_cast<std::ptrdiff_t>(head),
                      plan.events.end() - static_cast<std::ptrdiff_t>(tail));
    plan.links.clear();
  } else {
    plan.links.resize(max - plan.events.size());
  }
  return total - max;
}

// The first finding of each call that has one: what a conversation finding stands on.
void add_leg_finding(const std::vector<Finding>& findings, std::vector<LegFinding>& out) {
  const Finding* best = nullptr;
  for (const Finding& f : findings) {
    if (!best || f.severity > best->severity) best = &f;
  }
  if (best) out.push_back({best->call_id, best->rule_id, best->title});
}

void link_legs(Analysis& a, const std::vector<LegFinding>& leg_findings) {
  a.conversations = link_conversations(a.legs);
  a.conversation_findings = conversation_findings(a.conversations, a.legs, leg_findings);
  for (const std::string& n : a.conversations.notes) a.notes.push_back(n);
}

}  // namespace

bool analyze(const std::vector<std::string>& paths, const IngestOptions& options,
             const RuleSet& rules, ProblemSink& live, AnalysisSink* sink, Analysis& a,
             std::string* error) {
  // Certificate files of an Expressway bundle are no log: ingest hands them over here.
  preflight::BundleCertificates certificates;
  IngestOptions with_certificates = options;
  with_certificates.on_unparsed = [&certificates, &options](const std::string& name,
                                                            std::string_view head) {
    certificates.offer(name, head);
    if (options.on_unparsed) options.on_unparsed(name, head);
  };
  std::set<std::string> fqdns;  // named by the findings: the certificate must carry them
  SpooledRead read = read_timeline(paths, with_certificates, live);
  a.inputs = std::move(read.inputs);
  a.notes = std::move(read.clock_notes);
  a.event_count = read.sketches.events.size();
  if (sink && !sink->on_inputs(a.inputs, error)) return false;
  // Each plan is capped, marks the events it holds, and waits on disk for its turn; from here
  // on, each event costs what loading it back needs (the plans hold what they need of the
  // sketches and their strings).
  std::vector<bool> attached(sink ? read.size() : 0);
  PlanSpool plans;
  bool spooled = true;
  plan_calls(read.sketches, {}, [&](CallPlan&& plan) {
    if (!spooled) return;
    const size_t total = plan.events.size() + plan.links.size();
    if (const size_t left_out = cap_call(plan, options.max_call_events)) {
      live.on_problem({Problem::Severity::Warning, "call " + plan.call_id, 0,
                       std::to_string(total) + " events: the middle " + std::to_string(left_out) +
                           " are left out of the call (at most " +
                           std::to_string(options.max_call_events) +
                           " per call, --max-call-events; the first and last are kept)"});
    }
    if (sink) {
      for (uint32_t i : plan.events) attached[i] = true;
      for (const CallLink& l : plan.links) attached[l.event] = true;
    }
    spooled = plans.add(plan, error);
  });
  if (!spooled) return false;
  read.drop_sketches();
  release_free_memory();  // the read's and the planner's
  a.archive = std::make_shared<CallArchive>();
  a.legs.reserve(plans.size());  // one per call: no slack, no copy while growing
  std::vector<LegFinding> leg_findings;
  {
    ExplainAhead ahead(read, rules, plans, sink);
    ExplainedCall x;
    while (ahead.next(x)) {
      if (!x.error.empty()) {
        if (error) *error = x.error;
        return false;
      }
      if (sink &&
          !sink->on_call(x.events, x.positions, x.call, x.findings, x.prepared.get(), error)) {
        return false;
      }
      if (!certificates.empty()) preflight::collect_expected_fqdns(x.findings, &fqdns);
      a.legs.push_back(std::move(x.keys));
      add_leg_finding(x.findings, leg_findings);
      if (!x.keep(a, error)) return false;
    }
  }
  // The events no call holds are stored now rather than last: then the spool's references
  // and the store's cache go before the conversations are linked, the largest step in memory.
  if (sink) {
    if (!write_unattached(read, attached, *sink, error)) return false;
    read.drop_references();
    std::vector<bool>().swap(attached);
    sink->on_calls_done();
  }
  release_free_memory();  // what explaining the calls freed, before the linker's peak
  link_legs(a, leg_findings);
  std::vector<CallKeys>().swap(a.legs);  // read by the linker only: not held to the end
  release_free_memory();
  if (sink && !sink->on_conversations(a.conversations, error)) return false;
  if (!certificates.empty()) {
    a.certificates = preflight::check_bundle_certificates(
        certificates, fqdns, static_cast<int64_t>(std::time(nullptr)), rules);
    for (const preflight::DomainReport& r : a.certificates) {
      for (const Finding& f : r.findings) {
        if (!a.totals.worst || f.severity > *a.totals.worst) a.totals.worst = f.severity;
      }
    }
  }
  return true;
}

void explain(Analysis& a, const RuleSet& rules) {
  a.event_count = a.events.size();
  a.calls = correlate(a.events);
  a.findings.clear();
  a.totals = AnalysisTotals();
  a.legs.clear();
  std::vector<LegFinding> leg_findings;
  for (Call& call : a.calls) {
    FailureVerdict verdict;
    std::vector<Finding> findings = explain_call(rules, call, a.events, &verdict);
    settle_outcome(call, verdict);
    a.totals.add(call, findings);
    a.legs.push_back(call_link_keys(
        call, [&](size_t i) -> const Event& { return a.events[i]; },
        rules.conversation_link_headers()));
    add_leg_finding(findings, leg_findings);
    for (Finding& f : findings) a.findings.push_back(std::move(f));
  }
  link_legs(a, leg_findings);
}

void AnalysisTotals::add(const Call& call, const std::vector<Finding>& call_findings) {
  ++calls;
  failed_calls += call.failed() ? 1 : 0;
  normal_calls += call.outcome == Outcome::Normal ? 1 : 0;
  reported_calls += call.failed() || !call_findings.empty() ? 1 : 0;
  findings += call_findings.size();
  for (const Finding& f : call_findings) {
    ++findings_by_rule[f.rule_id];
    if (!worst || f.severity > *worst) worst = f.severity;
  }
}

bool for_each_call(const Analysis& a,
                   const std::function<void(const Call&, const std::vector<const Finding*>&)>& fn,
                   std::string* error) {
  std::vector<const Finding*> pointers;
  if (a.archive) {
    return a.archive->for_each(
        [&](const Call& call, const std::vector<Finding>& findings) {
          pointers.clear();
          for (const Finding& f : findings) pointers.push_back(&f);
          fn(call, pointers);
        },
        error);
  }
  const FindingsByCall by_call(a);
  for (const Call& call : a.calls) fn(call, by_call.of(call.call_id));
  return true;
}

std::vector<const Finding*> findings_of(const Analysis& a, const std::string& call_id) {
  std::vector<const Finding*> out;
  for (const Finding& f : a.findings) {
    if (f.call_id == call_id) out.push_back(&f);
  }
  return out;
}

FindingsByCall::FindingsByCall(const Analysis& a) {
  for (const Finding& f : a.findings) by_call_[f.call_id].push_back(&f);
}

const std::vector<const Finding*>& FindingsByCall::of(const std::string& call_id) const {
  auto it = by_call_.find(call_id);
  return it == by_call_.end() ? none_ : it->second;
}

}  // namespace fedtriage
