#include "lib/ingest/ingest.h"
#include "lib/analysis/read.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "tests/support/collecting_sinks.h"

namespace fedtriage {
namespace {

const std::string kTestdata = FEDTRIAGE_TESTDATA_DIR;
const std::string kBundle = kTestdata + "/bundles/federation-failure.tar.gz";

// What an event says, without where it was read from.
std::string fingerprint(const Event& e) {
  return std::to_string(e.ts_ms) + "|" + std::string(to_string(e.source)) + "|" +
         std::string(to_string(e.kind)) + "|" + e.call_id + "|" + e.cseq + "|" + e.summary + "|" +
         std::to_string(e.origin.line);
}

TEST(Ingest, BundleGivesTheSameEventsAsThePlainFilesWithMemberPaths) {
  testing::CollectingProblems p1, p2;
  const IngestResult plain = read_in_memory(
      {kTestdata + "/expressway/federation_504.log", kTestdata + "/edge/sfvedge_federation.log",
       kTestdata + "/edge/sfvedge_client_call.log", kTestdata + "/client/Lync-UccApi-0.UccApiLog"},
      {}, p1);
  const IngestResult bundled = read_in_memory({kBundle}, {}, p2);
  ASSERT_EQ(plain.events.size(), bundled.events.size());
  ASSERT_FALSE(plain.events.empty());
  std::multiset<std::string> a, b;
  for (const auto& e : plain.events) a.insert(fingerprint(e));
  for (const auto& e : bundled.events) b.insert(fingerprint(e));
  EXPECT_EQ(a, b);
  // The gzipped client log inside the tarball is named through both layers.
  bool saw_nested = false;
  for (const auto& e : bundled.events) {
    if (e.source == Source::Client) {
      EXPECT_EQ(e.origin.file, kBundle +
                                   "!/bundle/client-pc/Lync-UccApi-0.UccApiLog.gz!/"
                                   "Lync-UccApi-0.UccApiLog");
      saw_nested = true;
    }
  }
  EXPECT_TRUE(saw_nested);
  EXPECT_TRUE(p2.problems.size() == p1.problems.size() + 1)  // + README.txt skipped (a note)
      << p2.problems.size();
}

TEST(Ingest, InputRecordsDescribeEveryLeaf) {
  testing::CollectingProblems problems;
  const IngestResult r = read_in_memory({kBundle}, {}, problems);
  std::map<std::string, const InputRecord*> by_suffix;
  for (const auto& in : r.inputs) by_suffix[in.name.substr(in.name.rfind('/') + 1)] = &in;
  ASSERT_TRUE(by_suffix.count("README.txt"));
  EXPECT_TRUE(by_suffix["README.txt"]->skipped);
  EXPECT_EQ(by_suffix["README.txt"]->format, "unknown");
  const InputRecord* exp = by_suffix["loggingsnapshot_vcse_2017-03-02_07-12-00.txt"];
  ASSERT_TRUE(exp);
  EXPECT_EQ(exp->format, "expressway");
  EXPECT_EQ(exp->lines, 55u);
  EXPECT_EQ(exp->bytes, 6194u);
  EXPECT_EQ(exp->sha256.size(), 64u);
  EXPECT_GT(exp->events, 5u);
  EXPECT_EQ(by_suffix["Lync-UccApi-0.UccApiLog"]->format, "client");
  EXPECT_EQ(by_suffix["sfvedge_SIPStack_trace.log"]->format, "edge");
}

TEST(Ingest, ClientClockIsInferredFromTheEdgeAndEventsAreInTimeOrder) {
  testing::CollectingProblems problems;
  const IngestResult r = read_in_memory({kBundle}, {}, problems);
  ASSERT_FALSE(r.clock_notes.empty());
  EXPECT_NE(r.clock_notes[0].find("UTC+01:00"), std::string::npos) << r.clock_notes[0];
  for (size_t i = 1; i < r.events.size(); ++i) {
    EXPECT_LE(r.events[i - 1].ts_ms, r.events[i].ts_ms);
  }
  for (const auto& e : r.events) {
    if (e.source == Source::Client) {
      EXPECT_EQ(e.basis, TimeBasis::LocalInferred);
    }
  }
}

TEST(Ingest, GivenOffsetWins) {
  testing::CollectingProblems problems;
  IngestOptions o;
  o.parser.client_utc_offset_minutes = 60;
  const IngestResult r =
      read_in_memory({kTestdata + "/client/Lync-UccApi-0.UccApiLog"}, o, problems);
  ASSERT_FALSE(r.events.empty());
  EXPECT_EQ(r.events[0].basis, TimeBasis::LocalGiven);
  EXPECT_TRUE(r.clock_notes.empty());
}

TEST(Ingest, MissingPathIsAnErrorAndTheRestIsRead) {
  testing::CollectingProblems problems;
  const IngestResult r = read_in_memory(
      {kTestdata + "/does-not-exist.log", kTestdata + "/expressway/federation_504.log"}, {},
      problems);
  ASSERT_GE(problems.problems.size(), 1u);
  EXPECT_EQ(problems.problems[0].severity, Problem::Severity::Error);
  EXPECT_NE(problems.problems[0].file.find("does-not-exist.log"), std::string::npos);
  EXPECT_FALSE(r.events.empty());
  ASSERT_EQ(r.inputs.size(), 2u);
  EXPECT_TRUE(r.inputs[0].skipped);
}

TEST(Ingest, LoadingEventsInBatchesEqualsLoadingEachWhileTheSketchesAreHeld) {
  // `events` loads with the sketches still held (their times are the aligned ones): in
  // batches, in any order and with repeats, it must give what loading one at a time gives.
  testing::CollectingProblems problems;
  const SpooledRead read = read_timeline({kBundle}, {}, problems);
  ASSERT_FALSE(read.clock_notes.empty());  // a client clock is shifted
  const size_t n = read.sketches.events.size();
  ASSERT_GT(n, 4u);
  std::vector<size_t> positions;
  for (size_t i = 0; i < n; ++i) positions.push_back(n - 1 - i);
  positions.push_back(0);
  positions.push_back(n / 2);
  std::vector<Event> batch(3);  // fewer than asked for: load_all makes room
  std::string scratch, error;
  ASSERT_TRUE(read.load_all(positions, batch, scratch, &error)) << error;
  ASSERT_EQ(batch.size(), positions.size());
  bool saw_client = false;
  for (size_t k = 0; k < positions.size(); ++k) {
    Event one;
    ASSERT_TRUE(read.load(positions[k], one, scratch, &error)) << error;
    EXPECT_EQ(fingerprint(batch[k]), fingerprint(one));
    EXPECT_EQ(batch[k].basis, one.basis);
    EXPECT_EQ(batch[k].raw, one.raw);
    saw_client = saw_client || one.basis == TimeBasis::LocalInferred;
  }
  EXPECT_TRUE(saw_client);
  // A position past the events is an error, not a read out of bounds.
  EXPECT_FALSE(read.load_all({n}, batch, scratch, &error));
  EXPECT_NE(error, "");
}

}  // namespace
}  // namespace fedtriage
