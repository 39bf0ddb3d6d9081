// lib/batch: case planning, skip decisions, ordered jobs, progress text, cross-case summary,
// and whole batches into one database (incremental, per-case skipping).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "lib/base/ordered_jobs.h"
#include "lib/batch/batch_runner.h"
#include "lib/batch/case_plan.h"
#include "lib/batch/progress.h"
#include "lib/batch/source_selection.h"
#include "lib/ingest/sha256_source.h"
#include "lib/report/summary/cross_case_summary.h"
#include "lib/report/summary/summary_report.h"
#include "lib/rules/rule_set.h"
#include "lib/store/case_summary.h"
#include "lib/store/open_store.h"

namespace fedtriage {
namespace {

namespace fs = std::filesystem;

const std::string kTestdata = FEDTRIAGE_TESTDATA_DIR;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

class BatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("fedtriage_batch_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // A customer folder: the srv-record-missing scenario with its own Call-ID and domain.
  std::string customer(const std::string& name, const std::string& domain) {
    std::string log = slurp(kTestdata + "/scenarios/srv-record-missing/Lync-UccApi-0.UccApiLog");
    log = replace_all(log, "0c7e5f1a2b3c4d5e6f708192a3b4c5d6", "call-of-" + name);
    log = replace_all(log, "nodns.example.com", domain);
    write_file(dir_ / name / "Lync-UccApi-0.UccApiLog", log);
    return (dir_ / name).string();
  }

  // The outcome of a run over `paths` (one case each), case after case.
  static std::vector<CaseOutcome> run_batch(const std::vector<std::string>& paths,
                                            const BatchSettings& settings) {
    const RuleSet rules = RuleSet::embedded();
    BatchRunner runner(plan_cases(paths, ""), settings, rules);
    BatchProgress progress(runner.total_files(), runner.total_bytes());
    std::vector<CaseOutcome> outcomes;
    std::string error;
    EXPECT_TRUE(runner.run(
        progress, [&](size_t, const PlannedCase&, const CaseOutcome& o) { outcomes.push_back(o); },
        &error))
        << error;
    return outcomes;
  }

  fs::path dir_;
};

TEST(CaseName, FromArchiveFolderAndFile) {
  EXPECT_EQ(case_name_from("customer/diagnostic_log_vcse_2017.tar.gz"), "diagnostic_log_vcse_2017");
  EXPECT_EQ(case_name_from("a/b/acme-logs/"), "acme-logs");
  EXPECT_EQ(case_name_from("bundle.zip"), "bundle");
  EXPECT_EQ(case_name_from("x/edge.log"), "edge");
  EXPECT_EQ(case_name_from("-"), "stdin");
  EXPECT_EQ(case_name_from("/"), "case");
  EXPECT_EQ(case_name_from("."), "case");
}

TEST_F(BatchTest, PlanListsFoldersSortedAndNamesCasesOnce) {
  write_file(dir_ / "a" / "logs" / "z.txt", "z");
  write_file(dir_ / "a" / "logs" / "sub" / "m.txt", "mm");
  write_file(dir_ / "b" / "logs" / "y.txt", "yyy");
  const std::vector<PlannedCase> cases =
      plan_cases({(dir_ / "a" / "logs").string(), (dir_ / "b" / "logs").string()}, "");
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].name, "logs");
  // Two customers never share a case: the second is told apart by its parent folder.
  EXPECT_EQ(cases[1].name, "b/logs");
  EXPECT_EQ(cases[1].base_name, "logs");
  EXPECT_EQ(cases[1].origin, fs::canonical(dir_ / "b" / "logs").string());
  ASSERT_EQ(cases[0].files.size(), 2u);
  EXPECT_EQ(cases[0].files[0].path, (dir_ / "a" / "logs" / "sub" / "m.txt").string());
  EXPECT_EQ(cases[0].files[1].path, (dir_ / "a" / "logs" / "z.txt").string());
  EXPECT_EQ(cases[0].bytes, 3u);

  const std::vector<PlannedCase> one =
      plan_cases({(dir_ / "a" / "logs").string(), (dir_ / "b" / "logs").string()}, "acme");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].name, "acme");
  EXPECT_EQ(one[0].files.size(), 3u);
  EXPECT_EQ(one[0].path_index, (std::vector<size_t>{0, 0, 1}));
}

TEST_F(BatchTest, LooseLogFilesGivenTogetherAreOneCaseArchivesAndFoldersTheirOwn) {
  write_file(dir_ / "expressway.log", "e");
  write_file(dir_ / "folder" / "x.txt", "x");
  write_file(dir_ / "edge.log", "ed");
  write_file(dir_ / "bundle.tar.gz", slurp(kTestdata + "/bundles/federation-failure.tar.gz"));
  const std::vector<PlannedCase> cases =
      plan_cases({(dir_ / "expressway.log").string(), (dir_ / "folder").string(),
                  (dir_ / "edge.log").string(), (dir_ / "bundle.tar.gz").string()},
                 "");
  ASSERT_EQ(cases.size(), 3u);
  EXPECT_EQ(cases[0].name, "expressway");  // the pieces of one incident stay together
  EXPECT_EQ(cases[0].paths, (std::vector<std::string>{(dir_ / "expressway.log").string(),
                                                      (dir_ / "edge.log").string()}));
  EXPECT_EQ(cases[1].name, "folder");
  EXPECT_EQ(cases[2].name, "bundle");
}

TEST_F(BatchTest, SelectionReadsWholePathsWhenAllNewElseOnlyNewFiles) {
  write_file(dir_ / "f" / "1.txt", "one");
  write_file(dir_ / "f" / "2.txt", "two");
  write_file(dir_ / "loose.txt", "three");
  const std::vector<PlannedCase> cases =
      plan_cases({(dir_ / "f").string(), (dir_ / "loose.txt").string()}, "c");
  const PlannedCase& c = cases[0];
  std::vector<std::string> hashes;
  for (const SourceFile& f : c.files) hashes.push_back(hash_file(f.path, nullptr));
  EXPECT_EQ(hashes[0], sha256_hex("one"));

  CaseSelection all = select_new_files(c, hashes, [](const std::string&, bool) { return false; });
  EXPECT_EQ(all.read_paths, c.paths);
  EXPECT_EQ(all.sources.size(), 3u);
  EXPECT_TRUE(all.skipped.empty());

  const std::string two = sha256_hex("two");
  std::vector<bool> folder_flags;
  CaseSelection some = select_new_files(c, hashes, [&](const std::string& h, bool in_folder) {
    folder_flags.push_back(in_folder);
    return h != two;
  });
  EXPECT_EQ(folder_flags, (std::vector<bool>{true, true, false}));
  EXPECT_EQ(some.read_paths, std::vector<std::string>{(dir_ / "f" / "2.txt").string()});
  EXPECT_EQ(some.skipped.size(), 2u);
  EXPECT_EQ(some.read_bytes, 3u);
  EXPECT_EQ(some.skipped_bytes, 8u);

  CaseSelection none = select_new_files(c, hashes, [](const std::string&, bool) { return true; });
  EXPECT_TRUE(none.nothing_new());
}

TEST(OrderedJobs, HandsResultsOnInOrderWhateverFinishesFirst) {
  std::vector<size_t> order;
  std::mutex mu;
  run_ordered_jobs(
      20, 4, [](size_t i) { std::this_thread::sleep_for(std::chrono::milliseconds((20 - i) % 7)); },
      [&](size_t i) {
        std::lock_guard lock(mu);
        order.push_back(i);
      });
  ASSERT_EQ(order.size(), 20u);
  for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], i);
  run_ordered_jobs(
      0, 4, [](size_t) {}, [](size_t) { ADD_FAILURE(); });
}

TEST(Progress, LineShowsFilesBytesRateCountsAndEta) {
  ProgressSnapshot s;
  s.files_done = 3;
  s.files_total = 40;
  s.bytes_done = 2'000'000;
  s.bytes_total = 10'000'000;
  s.calls = 57;
  s.findings = 9;
  s.elapsed_s = 2;
  EXPECT_EQ(format_progress(s),
            "3/40 files  2.0/10.0 MB  1.0 MB/s  57 calls  9 findings  ETA 0:08");
  s.bytes_done = 0;
  EXPECT_NE(format_progress(s).find("ETA ?"), std::string::npos);
  s.checking = true;
  s.files_checked = 12;
  EXPECT_EQ(format_progress(s), "checking 12/40 files against the database");
}

TEST(Progress, DisabledDisplayWritesNothing) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  BatchProgress progress(1, 1);
  {
    ProgressDisplay display(fds[1], false, progress);
    display.start();
    display.around([] {});
    display.stop();
  }
  close(fds[1]);
  char buf[16];
  EXPECT_EQ(read(fds[0], buf, sizeof buf), 0);
  close(fds[0]);
}

TEST(Progress, EnabledDisplayRedrawsInPlace) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  BatchProgress progress(2, 2'000'000);
  {
    ProgressDisplay display(fds[1], true, progress);
    display.start();
    progress.add(1, 1'000'000, 3, 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    display.stop();
  }
  close(fds[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, n);
  close(fds[0]);
  EXPECT_NE(out.find("\r1/2 files  1.0/2.0 MB"), std::string::npos) << out;
  EXPECT_NE(out.find("3 calls  1 findings"), std::string::npos) << out;
  EXPECT_EQ(out.back(), '\n');
  EXPECT_LE(std::count(out.begin(), out.end(), '\r'), 10);  // ~10 a second, at most
}

TEST(CrossCaseSummary, GroupsFindingsByPlaceAndCountsCases) {
  CaseDigest d;
  d.cases = {{"acme", "", "", 1, 2, 5, 3, 3}, {"globex", "", "", 1, 1, 2, 1, 1}};
  auto finding = [](std::string c, std::string rule, Fields f) {
    CaseFinding x;
    x.case_name = std::move(c);
    x.rule_id = std::move(rule);
    x.title = x.rule_id + " title";
    x.fields = std::move(f);
    return x;
  };
  d.findings = {
      finding("acme", "srv-domain-mismatch", {{"domain", "a.lab"}, {"fqdn", "e.b.lab"}}),
      finding("acme", "srv-domain-mismatch", {{"fqdn", "e.b.lab"}, {"domain", "a.lab"}}),
      finding("acme", "cert-fqdn-mismatch", {{"expected_fqdn", "e.a.lab"}, {"cert_name", "e.lab"}}),
      finding("globex", "srv-domain-mismatch", {{"domain", "a.lab"}, {"fqdn", "e.b.lab"}}),
      finding("globex", "custom-rule", {{"peer", "10.0.0.1:5061"}, {"note", "x"}}),
  };
  const CrossCaseSummary s = summarize_cases(d);
  EXPECT_EQ(s.calls, 7u);
  EXPECT_EQ(s.failed_calls, 4u);
  ASSERT_EQ(s.rules.size(), 3u);
  EXPECT_EQ(s.rules[0].rule_id, "srv-domain-mismatch");
  EXPECT_EQ(s.rules[0].findings, 3u);
  EXPECT_EQ(s.rules[0].cases, 2u);
  ASSERT_EQ(s.places.size(), 3u);
  EXPECT_EQ(s.places[0].rule_id, "srv-domain-mismatch");
  EXPECT_EQ(place_text(s.places[0].key), "domain=a.lab fqdn=e.b.lab");
  EXPECT_EQ(s.places[0].cases, (std::vector<std::string>{"acme", "globex"}));
  EXPECT_EQ(place_text(s.places[1].key), "expected_fqdn=e.a.lab cert_name=e.lab");
  EXPECT_EQ(place_text(s.places[2].key), "peer=10.0.0.1:5061");
  ASSERT_EQ(s.cases.size(), 2u);
  EXPECT_EQ(s.cases[0].root_causes, (std::vector<std::pair<std::string, uint64_t>>{
                                        {"srv-domain-mismatch", 2}, {"cert-fqdn-mismatch", 1}}));
  const std::string csv = summary_to_csv(s);
  EXPECT_NE(csv.find("rule,srv-domain-mismatch,srv-domain-mismatch title,,,,,3,2\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("place,srv-domain-mismatch,,domain=a.lab fqdn=e.b.lab,globex,,,3,2\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(summary_to_json(s).find("\"case_names\": [\n        \"acme\",\n        \"globex\""),
            std::string::npos);
}

// The library end to end: three customers, then nothing new, then one more customer.
TEST_F(BatchTest, IncrementalRunsReadOnlyWhatIsNewAndKeepCasesApart) {
  const std::string db = (dir_ / "batch.db").string();
  const RuleSet rules = RuleSet::embedded();
  std::vector<std::string> paths = {customer("acme", "nodns.example.com"),
                                    customer("globex", "nodns.example.com"),
                                    customer("initech", "other.example.org")};
  auto run = [&](const std::vector<std::string>& p) {
    BatchSettings s;
    s.db_path = db;
    s.jobs = 2;
    BatchRunner runner(plan_cases(p, ""), s, rules);
    BatchProgress progress(runner.total_files(), runner.total_bytes());
    std::vector<std::string> states;
    std::string error;
    EXPECT_TRUE(runner.run(
        progress,
        [&](size_t, const PlannedCase& c, const CaseOutcome& o) {
          states.push_back(c.name + (o.state == CaseOutcome::State::AlreadyStored ? ":skip"
                                     : o.state == CaseOutcome::State::Failed ? ":failed " + o.error
                                                                             : ":read"));
        },
        &error))
        << error;
    return states;
  };
  EXPECT_EQ(run(paths), (std::vector<std::string>{"acme:read", "globex:read", "initech:read"}));
  EXPECT_EQ(run(paths), (std::vector<std::string>{"acme:skip", "globex:skip", "initech:skip"}));
  paths.push_back(customer("umbrella", "nodns.example.com"));
  EXPECT_EQ(run(paths), (std::vector<std::string>{"acme:skip", "globex:skip", "initech:skip",
                                                  "umbrella:read"}));

  std::string error;
  auto digest_store = fedtriage::open_store(db, &error);
  ASSERT_TRUE(digest_store) << error;
  const std::optional<CaseDigest> digest = digest_store->case_digest(&error);
  ASSERT_TRUE(digest) << error;
  ASSERT_EQ(digest->cases.size(), 4u);
  for (const CaseOverview& c : digest->cases) {
    EXPECT_EQ(c.calls, 1u) << c.name;  // one call each: correlation never crossed cases
    EXPECT_EQ(c.source_files, 1u) << c.name;
  }
  const CrossCaseSummary s = summarize_cases(*digest);
  ASSERT_EQ(s.rules.size(), 1u);
  EXPECT_EQ(s.rules[0].rule_id, "srv-record-missing");
  EXPECT_EQ(s.rules[0].cases, 4u);
  ASSERT_EQ(s.places.size(), 2u);
  EXPECT_EQ(place_text(s.places[0].key), "domain=nodns.example.com");
  EXPECT_EQ(s.places[0].cases, (std::vector<std::string>{"acme", "globex", "umbrella"}));
}

// Two customers' folders may hold the same file (a shared config, a forwarded log): each case
// reads its own copy. A bundle file given twice is read once.
TEST_F(BatchTest, FoldersSharingAFileBothReadItButACopiedBundleIsReadOnce) {
  const std::string db = (dir_ / "shared.db").string();
  const std::string edge = slurp(kTestdata + "/edge/sfvedge_federation.log");
  write_file(dir_ / "x" / "edge.log", edge);
  write_file(dir_ / "y" / "edge.log", edge);
  // Bundles are archives: the sample bundle and a renamed copy of it.
  const std::string bundle = slurp(kTestdata + "/bundles/federation-failure.tar.gz");
  write_file(dir_ / "b1.tar.gz", bundle);
  write_file(dir_ / "b2.tar.gz", bundle);
  BatchSettings s;
  s.db_path = db;
  s.jobs = 2;
  const RuleSet rules = RuleSet::embedded();
  BatchRunner runner(plan_cases({(dir_ / "x").string(), (dir_ / "y").string(),
                                 (dir_ / "b1.tar.gz").string(), (dir_ / "b2.tar.gz").string()},
                                ""),
                     s, rules);
  BatchProgress progress(runner.total_files(), runner.total_bytes());
  std::vector<bool> stored;
  std::string error;
  ASSERT_TRUE(runner.run(
      progress,
      [&](size_t, const PlannedCase&, const CaseOutcome& o) {
        stored.push_back(o.state == CaseOutcome::State::AlreadyStored);
      },
      &error))
      << error;
  EXPECT_EQ(stored, (std::vector<bool>{false, false, false, true}));
}

TEST_F(BatchTest, AFolderThatGrewReadsOnlyItsNewFileAndReplaceReadsAll) {
  const std::string db = (dir_ / "grow.db").string();
  const std::string folder = customer("acme", "nodns.example.com");
  auto run = [&](bool replace) {
    BatchSettings s;
    s.db_path = db;
    s.replace = replace;
    const std::vector<CaseOutcome> outcomes = run_batch({folder}, s);
    return outcomes.empty() ? CaseSelection() : outcomes[0].selection;
  };
  EXPECT_EQ(run(false).read_paths, std::vector<std::string>{folder});
  write_file(fs::path(folder) / "later" / "edge.log",
             slurp(kTestdata + "/edge/sfvedge_federation.log"));
  const CaseSelection grown = run(false);
  EXPECT_EQ(grown.read_paths, std::vector<std::string>{folder + "/later/edge.log"});
  EXPECT_EQ(grown.skipped.size(), 1u);
  EXPECT_TRUE(run(false).nothing_new());
  const CaseSelection again = run(true);
  EXPECT_EQ(again.read_paths, std::vector<std::string>{folder});

  std::string error;
  auto store = fedtriage::open_store(db, &error);
  ASSERT_TRUE(store) << error;
  const std::vector<CaseInfo> cases = store->list_cases(&error);
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].inputs, 2u);
}

TEST_F(BatchTest, SourcesLeftToHashWhileReadingTakeTheirInputsHash) {
  const std::string plain = "plain text, read whole";
  write_file(dir_ / "a.log", plain);
  write_file(dir_ / "b.log", "another");
  std::vector<SourceRecord> sources = {
      {(dir_ / "a.log").string(), "", plain.size()},     // read as one input: its hash
      {(dir_ / "b.log").string(), "", 7},                // read otherwise: hashed now
      {(dir_ / "gone.log").string(), "", 3},             // unreadable: dropped
      {(dir_ / "c.log").string(), "already-known", 1}};  // hashed before: kept
  std::vector<InputRecord> inputs(2);
  inputs[0].name = sources[0].name;
  inputs[0].bytes = plain.size();
  inputs[0].sha256 = "hash-taken-while-reading";
  inputs[1].name = sources[1].name + "!/member";
  inputs[1].sha256 = "of-a-member";
  fill_source_hashes(sources, inputs);
  ASSERT_EQ(sources.size(), 3u);
  EXPECT_EQ(sources[0].sha256, "hash-taken-while-reading");
  EXPECT_EQ(sources[1].sha256, sha256_hex("another"));
  EXPECT_EQ(sources[2].sha256, "already-known");
  // A skipped input, or one read short, gives no hash: the file is hashed.
  sources = {{(dir_ / "a.log").string(), "", plain.size()}};
  inputs[0].bytes = 3;
  fill_source_hashes(sources, inputs);
  EXPECT_EQ(sources[0].sha256, sha256_hex(plain));
}

// A file whose size no stored source has is hashed as it is read, not before; what is stored
// must be the same either way: a renamed copy of a stored bundle (same size: hashed first) is
// not read again, a file of that size with other bytes is.
TEST_F(BatchTest, FilesOfANewSizeAreHashedWhileReadAndCopiesStillSkipped) {
  const std::string db = (dir_ / "sizes.db").string();
  const std::string first = customer("acme", "nodns.example.com") + "/Lync-UccApi-0.UccApiLog";
  const std::string log = slurp(first);
  write_file(dir_ / "copy.UccApiLog", log);
  std::string other = log;
  other[other.find("call-of-acme") + 8] = 'x';  // same size, other bytes
  write_file(dir_ / "other.UccApiLog", other);
  auto run = [&](const std::string& path) {
    BatchSettings s;
    s.db_path = db;
    const std::vector<CaseOutcome> outcomes = run_batch({path}, s);
    return outcomes.empty() ? CaseOutcome() : outcomes[0];
  };
  EXPECT_EQ(run(first).state, CaseOutcome::State::Analysed);
  EXPECT_EQ(run((dir_ / "copy.UccApiLog").string()).state, CaseOutcome::State::AlreadyStored);
  EXPECT_EQ(run((dir_ / "other.UccApiLog").string()).state, CaseOutcome::State::Analysed);
  std::string error;
  auto store = fedtriage::open_store(db, &error);
  ASSERT_TRUE(store) << error;
  EXPECT_TRUE(store->has_source(sha256_hex(log), "", &error)) << error;
  EXPECT_TRUE(store->has_source(sha256_hex(other), "", &error)) << error;
  EXPECT_EQ(store->source_sizes(&error), std::vector<uint64_t>{log.size()});
}

}  // namespace
}  // namespace fedtriage
