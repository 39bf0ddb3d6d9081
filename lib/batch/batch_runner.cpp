#include "lib/batch/batch_runner.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <utility>

#include "lib/base/ordered_jobs.h"
#include "lib/batch/case_naming.h"
#include "lib/batch/store_sink.h"
#include "lib/rules/rule_set.h"
#include "lib/store/open_store.h"

namespace fedtriage {
namespace {

class ProblemBuffer : public ProblemSink {
 public:
  void on_problem(Problem p) override { problems.push_back(std::move(p)); }
  std::vector<Problem> problems;
};

std::unique_ptr<Store> open_store(const BatchSettings& s, std::string* error) {
  StoreOptions options;
  options.max_bytes = s.db_max_bytes;
  return fedtriage::open_store(s.db_path, options, error);
}

// True when every file the case would read is already stored in it: written by another
// process since choose_files() looked (the case's write re-checks this under its lock too).
bool stored_meanwhile(Store& store, const std::string& case_name, const CaseSelection& s) {
  if (s.sources.empty()) return false;
  for (const SourceRecord& f : s.sources) {
    if (f.sha256.empty() || !store.has_source(f.sha256, case_name, nullptr)) return false;
  }
  return true;
}

}  // namespace

BatchRunner::BatchRunner(std::vector<PlannedCase> cases, BatchSettings settings,
                         const RuleSet& rules)
    : cases_(std::move(cases)), settings_(std::move(settings)), rules_(rules) {}

uint64_t BatchRunner::total_files() const {
  uint64_t n = 0;
  for (const PlannedCase& c : cases_) n += c.files.size();
  return n;
}

uint64_t BatchRunner::total_bytes() const {
  uint64_t n = 0;
  for (const PlannedCase& c : cases_) n += c.bytes;
  return n;
}

// One database connection per worker thread, kept for the next case.
class BatchRunner::StorePool {
 public:
  explicit StorePool(const BatchSettings& settings) : settings_(settings) {}
  std::unique_ptr<Store> take(std::string* error) {
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        std::unique_ptr<Store> store = std::move(idle_.back());
        idle_.pop_back();
        return store;
      }
    }
    return open_store(settings_, error);
  }
  void give_back(std::unique_ptr<Store> store) {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(store));
  }

 private:
  const BatchSettings& settings_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Store>> idle_;
};

bool BatchRunner::run(BatchProgress& progress, const Done& done, std::string* error) {
  const bool use_db = !settings_.db_path.empty();
  std::unique_ptr<Store> main_store;
  if (use_db && !(main_store = open_store(settings_, error))) return false;
  if (main_store) {
    // A stored case keeps its bundle: another bundle of the same base name gets its own case.
    std::string why;
    std::map<std::string, std::string> stored;
    const std::vector<CaseInfo> existing = main_store->list_cases(&why);
    if (!why.empty()) {
      if (error) *error = why;
      return false;
    }
    for (const CaseInfo& c : existing) stored.emplace(c.name, c.origin);
    settle_case_names(cases_, stored);
  }
  std::vector<CaseSelection> selections = choose_files(main_store.get(), progress);

  // Analyse and store, one connection per worker thread.
  progress.analysing();
  std::vector<CaseOutcome> outcomes(cases_.size());
  StorePool stores(settings_);
  run_ordered_jobs(
      cases_.size(), settings_.jobs,
      [&](size_t i) {
        outcomes[i] =
            analyse_case(i, std::move(selections[i]), use_db ? &stores : nullptr, progress);
      },
      [&](size_t i) {
        done(i, cases_[i], outcomes[i]);
        outcomes[i] = CaseOutcome();  // release the analysis
      });
  return true;
}

std::vector<CaseSelection> BatchRunner::choose_files(Store* stored, BatchProgress& progress) {
  // Hash every file in parallel; decide in case order (deterministic) what is new.
  // A bundle (a file PATH) already stored in any case, or given earlier in this batch, is not
  // read again (a renamed copy); a file inside a folder only when that same case holds it (the
  // folder grew), since unrelated customers' folders may share a file.
  std::vector<std::vector<std::string>> hashes(cases_.size());
  std::vector<std::vector<bool>> hash_later(cases_.size());
  std::vector<CaseSelection> selections(cases_.size());
  // Content can only be stored already, or read twice in this run, where its size is: a file
  // whose size no stored source and no other file of the run has is new without hashing it
  // first. Its hash is then taken as it is read, on the reading thread, instead of in a pass
  // of its own before (a tenth of a large run's time, with one core idle).
  std::vector<uint64_t> stored_sizes;
  bool sizes_known = false;
  std::map<uint64_t, size_t> sizes_in_run;
  if (stored && !settings_.replace) {
    std::string why;
    stored_sizes = stored->source_sizes(&why);
    sizes_known = why.empty();
    for (const PlannedCase& c : cases_) {
      for (const SourceFile& f : c.files) ++sizes_in_run[f.bytes];
    }
  }
  auto new_by_size = [&](const SourceFile& f) {
    return sizes_known && f.path != "-" && sizes_in_run.at(f.bytes) == 1 &&
           !std::binary_search(stored_sizes.begin(), stored_sizes.end(), f.bytes);
  };
  std::set<std::string> claimed;  // sha256 of a bundle, or case name + "/" + sha256
  // Jobs are the files (hashed in parallel, also within one case), each case followed by a
  // job that selects its new files once all of them are hashed.
  struct Job {
    size_t case_index;
    size_t file;  // npos: the case's selection
  };
  std::vector<Job> jobs;
  for (size_t i = 0; i < cases_.size(); ++i) {
    hashes[i].resize(stored ? cases_[i].files.size() : 0);
    hash_later[i].resize(hashes[i].size());
    for (size_t k = 0; k < hashes[i].size(); ++k) {
      hash_later[i][k] = new_by_size(cases_[i].files[k]);
    }
    for (size_t k = 0; k < hashes[i].size(); ++k) jobs.push_back({i, k});
    jobs.push_back({i, std::string::npos});
  }
  run_ordered_jobs(
      jobs.size(), settings_.jobs,
      [&](size_t j) {
        if (jobs[j].file == std::string::npos) return;
        const SourceFile& f = cases_[jobs[j].case_index].files[jobs[j].file];
        if (f.path != "-" && !hash_later[jobs[j].case_index][jobs[j].file]) {
          hashes[jobs[j].case_index][jobs[j].file] = hash_file(f.path, nullptr);
        }
        progress.checked(1);
      },
      [&](size_t j) {
        if (jobs[j].file != std::string::npos) return;
        const size_t i = jobs[j].case_index;
        const std::string& name = cases_[i].name;
        const bool own_case_only = settings_.skip_within_case_only;
        selections[i] = select_new_files(
            cases_[i], hashes[i],
            [&](const std::string& sha, bool in_folder) {
              const bool this_case = in_folder || own_case_only;
              if (claimed.count(this_case ? name + "/" + sha : sha)) return true;
              return !settings_.replace && stored->has_source(sha, this_case ? name : "", nullptr);
            },
            hash_later[i]);
        for (const SourceRecord& s : selections[i].sources) {
          if (s.sha256.empty()) continue;  // hashed as it is read: its size is unique here
          const auto& top = cases_[i].paths;
          if (std::find(top.begin(), top.end(), s.name) != top.end()) claimed.insert(s.sha256);
          claimed.insert(name + "/" + s.sha256);
        }
        // A file given twice in one case is claimed by its first copy.
        hashes[i].clear();
        hash_later[i].clear();
      });
  return selections;
}

CaseOutcome BatchRunner::analyse_case(size_t index, CaseSelection selection, StorePool* stores,
                                      BatchProgress& progress) {
  const PlannedCase& c = cases_[index];
  CaseOutcome out;
  out.selection = std::move(selection);
  progress.add(out.selection.skipped.size(), out.selection.skipped_bytes, 0, 0);
  if (out.selection.nothing_new()) {
    out.state = CaseOutcome::State::AlreadyStored;
    return out;
  }
  ProblemBuffer problems;
  Analysis a;
  std::string why;
  bool stored = true;
  if (stores) {
    std::unique_ptr<Store> store = stores->take(&why);
    if (store && !settings_.replace && stored_meanwhile(*store, c.name, out.selection)) {
      // Another process sharing the database (given an overlapping list) stored this
      // case after choose_files() looked: not read again.
      progress.add(out.selection.sources.size(), out.selection.read_bytes, 0, 0);
      for (SourceRecord& s : out.selection.sources) out.selection.skipped.push_back(s.name);
      out.selection.skipped_bytes += out.selection.read_bytes;
      out.selection.sources.clear();
      out.selection.read_paths.clear();
      out.selection.read_bytes = 0;
      out.state = CaseOutcome::State::AlreadyStored;
      stores->give_back(std::move(store));
      return out;
    }
    if (store) {
      WriteOptions w;
      w.run_id = settings_.run_id;
      w.replace_case = settings_.replace;
      w.sources = out.selection.sources;
      w.skip_stored_sources = true;  // stored by another process meanwhile: not twice
      w.case_origin = c.origin;
      // Calls go to the database as they are explained, in one transaction per case.
      StoreSink sink(*store, c.name, settings_.rules, w);
      IngestOptions ingest = settings_.ingest;
      for (const SourceRecord& s : out.selection.sources) {
        // Hashed above: not again. The others are hashed as they are read (StoreSink).
        if (!s.sha256.empty()) ingest.known_sha256.emplace(s.name, s.sha256);
      }
      stored = analyze(out.selection.read_paths, ingest, rules_, problems, &sink, a, &why) &&
               sink.commit(&why);
    } else {
      stored = false;
    }
    if (store) stores->give_back(std::move(store));
  } else if (!analyze(out.selection.read_paths, settings_.ingest, rules_, problems, nullptr, a,
                      &why)) {
    problems.on_problem({Problem::Severity::Error, "spool", 0, why});
  }
  if (!stored) {
    out.state = CaseOutcome::State::Failed;
    out.error = why;
  }
  out.problems = std::move(problems.problems);
  out.notes = a.notes;
  out.calls = a.totals.calls;
  out.failed_calls = a.totals.failed_calls;
  out.findings = a.totals.findings;
  out.worst = a.totals.worst;
  out.inputs = a.inputs;
  if (settings_.keep_analysis) out.analysis = std::make_shared<const Analysis>(std::move(a));
  progress.add(c.files.size() - out.selection.skipped.size(), out.selection.read_bytes, out.calls,
               out.findings);
  return out;
}

}  // namespace fedtriage
