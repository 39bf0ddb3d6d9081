// One large file on several cores (lib/ingest/split_parse.h): a file read in pieces, with a
// tiny piece size so that every kind of boundary is met, gives exactly what one parser gives.
#include "lib/ingest/split_parse.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "lib/analysis/read.h"
#include "lib/input/memory_source.h"
#include "tests/support/collecting_sinks.h"
#include "tests/support/run_binary.h"
#include "tests/support/sqlite_rows.h"

namespace fedtriage {
namespace {

const std::string kTestdata = FEDTRIAGE_TESTDATA_DIR;

// Everything an event holds, on one line.
std::string dump(const Event& e) {
  std::string s = std::to_string(e.ts_ms) + "|" + std::string(to_string(e.basis)) + "|" +
                  std::string(to_string(e.source)) + "|" + std::string(to_string(e.kind)) + "|" +
                  e.origin.file + ":" + std::to_string(e.origin.line) + "#" +
                  std::to_string(e.origin.seq) + "|" + e.host + "|" + e.call_id + "|" + e.cseq +
                  "|" + std::string(to_string(e.direction)) + "|" + e.local + "|" + e.remote + "|";
  if (e.sip) s += "sip:" + e.sip->call_id + "/" + e.sip->cseq() + "/" + e.sip->request_uri + "|";
  for (const auto& [k, v] : e.fields) s += k + "=" + v + ";";
  return s + "|" + e.summary + "|" + e.raw;
}

struct Output {
  std::vector<std::string> events;
  std::vector<std::string> problems;
  uint64_t nul_lines = 0, first_nul_line = 0, lines = 0;
  size_t pieces = 1;
};

// Reads `text` as `format`: in one piece (split_bytes 0) or split into pieces of split_bytes.
Output read_text(std::string_view text, LogFormat format, size_t split_bytes,
                 size_t max_line_bytes = 1 << 20) {
  MemorySource source(text, 777);  // odd reads: blocks end mid-line
  LineReader reader(source, max_line_bytes);
  testing::CollectingEvents events;
  testing::CollectingProblems problems;
  const ParserContext context{"test.log", &events, &problems, {}};
  LineChecks checks{max_line_bytes};
  Output out;
  if (split_bytes == 0) {
    auto parser = make_parser(format, context);
    std::string_view line;
    while (reader.next(line)) {
      checks.feed(*parser, context, line, reader.line_number(), reader.line_truncated());
    }
    parser->finish();
  } else {
    ChunkPool pool(2);
    const SplitResult r =
        parse_split(reader, *find_log_format(format), context, split_bytes, pool, checks);
    out.pieces = r.pieces;
    out.lines = r.lines;
  }
  for (const Event& e : events.events) out.events.push_back(dump(e));
  for (const Problem& p : problems.problems) {
    out.problems.push_back(std::to_string(static_cast<int>(p.severity)) + " " + p.file + ":" +
                           std::to_string(p.line) + " " + p.message);
  }
  out.nul_lines = checks.nul_lines;
  out.first_nul_line = checks.first_nul_line;
  if (split_bytes == 0) out.lines = reader.line_number();
  return out;
}

// Split at several sizes, the output equals the one-piece output event by event; returns the
// most pieces seen.
size_t expect_same_when_split(const std::string& what, std::string_view text, LogFormat format,
                              std::vector<size_t> sizes = {1, 200, 700, 4096},
                              size_t max_line_bytes = 1 << 20) {
  const Output whole = read_text(text, format, 0, max_line_bytes);
  size_t most = 0;
  for (size_t size : sizes) {
    SCOPED_TRACE(what + ", pieces of " + std::to_string(size) + " bytes");
    const Output split = read_text(text, format, size, max_line_bytes);
    most = std::max(most, split.pieces);
    EXPECT_EQ(split.lines, whole.lines);
    EXPECT_EQ(split.nul_lines, whole.nul_lines);
    EXPECT_EQ(split.first_nul_line, whole.first_nul_line);
    EXPECT_EQ(split.problems, whole.problems);
    EXPECT_EQ(split.events.size(), whole.events.size());
    for (size_t i = 0; i < std::min(split.events.size(), whole.events.size()); ++i) {
      if (split.events[i] != whole.events[i]) {
        ADD_FAILURE() << "event " << i << " differs:\n"
                      << split.events[i] << "\n"
                      << whole.events[i];
        break;
      }
    }
  }
  return most;
}

std::string tvcs(int n, std::string_view module, std::string_view level, std::string_view body) {
  const int s = n % 60, ms = n % 1000;
  char t[96];
  std::snprintf(
      t, sizeof t,
      "2026-01-01T10:%02d:%02d.%03d+01:00 vcse tvcs: UTCTime=\"2026-01-01 09:%02d:%02d,%03d\"",
      (n / 60) % 60, s, ms, (n / 60) % 60, s, ms);
  return std::string(t) + " Module=\"" + std::string(module) + "\" Level=\"" + std::string(level) +
         "\":  " + std::string(body) + "\n";
}

// A dense Expressway log with every case the parser keeps state for: summaries with and
// without their twin (some waiting past the 20,000-line horizon), a twin a few lines after its
// summary (with an event between them or not), a repeated Msg-Hash, a header without its block, a
// block not closed, a flattened block, a block too long for a piece, noise lines.
std::string expressway_log(int messages, unsigned seed) {
  std::mt19937 rng(seed);
  std::string out;
  for (int n = 0; n < messages; ++n) {
    const std::string hash = std::to_string(1000000 + (rng() % 5 == 0 ? n / 2 : n));
    const std::string call = "call-" + std::to_string(n / 3) + "@a.example";
    const std::string addr =
        "Action=\"Sent\" Local-ip=\"10.0.0.1\" Local-port=\"5061\" Dst-ip=\"192.0.2.7\" "
        "Dst-port=\"5061\"";
    const std::string detail =
        "Sending Request Method=INVITE, CSeq=1, Request-URI=sip:bob@b.example, Call-ID=" + call +
        ", From-Tag=f" + std::to_string(n) + ", To-Tag=, Msg-Hash=" + hash +
        ", Local-SessionID=, Remote-SessionID=";
    const unsigned kind = rng() % 12;
    out += tvcs(n, "network.sip", "INFO", addr + " Detail=\"" + detail + "\"");
    if (kind == 0) continue;  // INFO only: waits for a twin that never comes
    if (kind == 1) {
      for (int d = 0; d < 3; ++d) {
        out += tvcs(n, "developer.sip.leg", "DEBUG", "this=\"0x1\" Type=\"Outbound\"");
      }
    }
    if (kind == 8) {  // an event of its own between the summary and its twin
      out += tvcs(n, "network.tcp", "DEBUG",
                  "Src-ip=\"10.0.0.1\" Src-port=\"2\" Dst-ip=\"192.0.2.7\" Dst-port=\"5061\" "
                  "Detail=\"TCP Connecting\"");
    }
    const std::string header = tvcs(n, "network.sip", "DEBUG", addr + " Msg-Hash=\"" + hash + "\"");
    if (kind == 2) {  // flattened on one line
      out += header.substr(0, header.size() - 1) +
             " SIPMSG: |INVITE sip:bob@b.example SIP/2.0 Call-ID: " + call +
             " CSeq: 1 INVITE Content-Length: 0|\n";
      continue;
    }
    out += header;
    if (kind == 3) continue;  // no block after the header
    out +=
        " SIPMSG:\n |INVITE sip:bob@b.example SIP/2.0\n Via: SIP/2.0/TLS "
        "10.0.0.1:5061;branch=z9hG4bK" +
        std::to_string(n) + "\n Call-ID: " + call +
        "\n CSeq: 1 INVITE\n From: <sip:a@a.example>;tag=f" + std::to_string(n) +
        "\n To: <sip:bob@b.example>\n";
    if (kind == 4) {
      for (int h = 0; h < 80; ++h)
        out += " X-Padding-" + std::to_string(h) + ": " + std::string(40, 'p') + "\n";
    }
    out += " Content-Length: 0\n \n";
    if (kind != 5) out += " |\n\n";  // 5: not closed before the next record
    if (kind == 6) out += "  a noise line\n";
    if (kind == 7) {
      out += tvcs(n, "network.tcp", "DEBUG",
                  "Src-ip=\"10.0.0.1\" Src-port=\"1\" Dst-ip=\"192.0.2.7\" Dst-port=\"5061\" "
                  "Detail=\"TCP Connecting\"");
      out += tvcs(n, "network.tcp", "DEBUG",
                  "Src-ip=\"10.0.0.1\" Src-port=\"1\" Dst-ip=\"192.0.2.7\" Dst-port=\"5061\" "
                  "Detail=\"TCP Connection Failed\" Reason=\"certificate verify failed\"");
    }
    const unsigned dev = rng() % 4;
    for (unsigned d = 0; d < dev; ++d) {
      out += tvcs(n, "developer.sip.leg", "DEBUG", "this=\"0x556a\" Type=\"Outbound\"");
    }
  }
  return out;
}

std::string crlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

std::string repeated(const std::string& path, int times) {
  const std::string text = testing::read_file(path);
  std::string out;
  for (int i = 0; i < times; ++i) out += text;
  return out;
}

TEST(SplitParse, ExpresswayLogIsTheSameInPiecesAtEveryBoundary) {
  const std::string log = expressway_log(600, 1);
  EXPECT_GT(expect_same_when_split("expressway", log, LogFormat::Expressway), 100u);
}

TEST(SplitParse, SummariesWaitingPastTheHorizonAndAtTheEnd) {
  // ~26,000 lines: summaries without twin are let out at the 20,000-line horizon.
  const std::string log = expressway_log(2300, 2);
  EXPECT_GT(expect_same_when_split("expressway long", log, LogFormat::Expressway, {300, 65536}),
            10u);
}

TEST(SplitParse, CrlfNoTrailingNewlineLongLinesAndNulBytes) {
  std::string log = expressway_log(200, 3);
  // A line longer than a piece (and, with the smaller limit, cut at the length limit).
  const size_t at = log.find("\n", log.size() / 2) + 1;
  log.insert(at, tvcs(1, "developer.sip.leg", "DEBUG", "blob=\"" + std::string(9000, 'x') + "\""));
  const size_t nul = log.find("\n", log.size() / 3) + 1;
  log.insert(nul, tvcs(2, "developer.sip.leg", "DEBUG", std::string("a\0b", 3)));
  expect_same_when_split("long line", log, LogFormat::Expressway);
  expect_same_when_split("long line, 4 KiB limit", log, LogFormat::Expressway, {200, 5000}, 4096);
  expect_same_when_split("crlf", crlf(log), LogFormat::Expressway);
  std::string no_newline = log;
  while (!no_newline.empty() && no_newline.back() == '\n') no_newline.pop_back();
  expect_same_when_split("no trailing newline", no_newline, LogFormat::Expressway);
  // Ends inside a SIPMSG block.
  expect_same_when_split("cut in a block", log.substr(0, log.rfind(" CSeq: 1 INVITE")),
                         LogFormat::Expressway);
}

TEST(SplitParse, NoCutInSightIsParsedInPlace) {
  // A SIPMSG block of ~100 KB (no two record lines in a row in it) in the middle: past the
  // 64 KiB a piece may grow to, the rest of the file is read in place.
  std::string log = expressway_log(300, 4);
  const size_t at = log.find(" Content-Length: 0\n", log.size() / 2);
  std::string padding;
  for (int h = 0; h < 2000; ++h)
    padding += " X-Long-" + std::to_string(h) + ": " + std::string(40, 'q') + "\n";
  log.insert(at, padding);
  expect_same_when_split("long block", log, LogFormat::Expressway, {100, 3000});
}

TEST(SplitParse, TestdataLogsOfEveryFormat) {
  struct Case {
    std::string path;
    LogFormat format;
  };
  const std::vector<Case> cases = {
      {"/expressway/federation_504.log", LogFormat::Expressway},
      {"/expressway/seed_504_flattened.log", LogFormat::Expressway},
      {"/expressway/tls_failures.log", LogFormat::Expressway},
      {"/hostile/expressway_hostile.log", LogFormat::Expressway},
      {"/edge/ocs2007r2_edge.log", LogFormat::EdgeTrace},
      {"/edge/seed_flattened.log", LogFormat::EdgeTrace},
      {"/edge/sfvedge_client_call.log", LogFormat::EdgeTrace},
      {"/edge/sfvedge_federation.log", LogFormat::EdgeTrace},
      {"/edge/truncated.log", LogFormat::EdgeTrace},
      {"/hostile/edge_hostile.log", LogFormat::EdgeTrace},
      {"/client/Lync-UccApi-0.UccApiLog", LogFormat::ClientUccApi},
      {"/client/Lync-UccApi-1.UccApiLog", LogFormat::ClientUccApi},
      {"/hostile/client_hostile.UccApiLog", LogFormat::ClientUccApi},
  };
  for (const Case& c : cases) {
    const std::string text = repeated(kTestdata + c.path, 1);
    ASSERT_FALSE(text.empty()) << c.path;
    expect_same_when_split(c.path, text, c.format);
    // Many copies: many cuts, and records cut at the end of one copy.
    expect_same_when_split(c.path + " x8", repeated(kTestdata + c.path, 8), c.format);
    expect_same_when_split(c.path + " x8 crlf", crlf(repeated(kTestdata + c.path, 8)), c.format,
                           {300});
  }
  // The formats are actually cut.
  EXPECT_GT(
      read_text(repeated(kTestdata + "/edge/sfvedge_federation.log", 8), LogFormat::EdgeTrace, 300)
          .pieces,
      4u);
  EXPECT_GT(read_text(repeated(kTestdata + "/client/Lync-UccApi-0.UccApiLog", 8),
                      LogFormat::ClientUccApi, 300)
                .pieces,
            4u);
}

TEST(SplitParse, ReferenceLogs) {
  const std::string dir = std::string(FEDTRIAGE_SHARED_DIR) + "/reference-logs";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no " << dir;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string text = testing::read_file(entry.path().string());
    const SniffResult sniff = sniff_format(std::string_view(text).substr(0, 65536));
    if (sniff.format == LogFormat::Unknown) continue;
    expect_same_when_split(entry.path().filename().string(), text, sniff.format, {1, 500, 4096});
  }
}

// Through ingest: archives streamed member by member, sequence numbers, records.
TEST(SplitParse, IngestGivesTheSameEventsAndRecordsSplitOrNot) {
  for (const std::string& path : {kTestdata + "/bundles/federation-failure.tar.gz",
                                  kTestdata + "/expressway/federation_504.log"}) {
    IngestOptions whole_options, split_options;
    whole_options.split_bytes = 0;
    split_options.split_bytes = 100;
    testing::CollectingProblems p1, p2;
    const IngestResult whole = read_in_memory({path}, whole_options, p1);
    const IngestResult split = read_in_memory({path}, split_options, p2);
    ASSERT_EQ(whole.events.size(), split.events.size()) << path;
    for (size_t i = 0; i < whole.events.size(); ++i) {
      EXPECT_EQ(dump(whole.events[i]), dump(split.events[i])) << path << " event " << i;
    }
    ASSERT_EQ(whole.inputs.size(), split.inputs.size());
    for (size_t i = 0; i < whole.inputs.size(); ++i) {
      EXPECT_EQ(whole.inputs[i].lines, split.inputs[i].lines);
      EXPECT_EQ(whole.inputs[i].events, split.inputs[i].events);
      EXPECT_EQ(whole.inputs[i].sha256, split.inputs[i].sha256);
      EXPECT_EQ(whole.inputs[i].problems.size(), split.inputs[i].problems.size());
    }
    EXPECT_EQ(p1.problems.size(), p2.problems.size());
  }
}

// Through ingest, where pieces spool their events on their own threads and hand on only
// sketches (lib/ingest/spooling_events.h): every event, its number within its line
// (origin.seq) and its place in the spool, split at sizes that put every kind of event first
// in a piece, after a stitcher's marker, and on a line a marker named.
TEST(SplitParse, IngestSpoolsPiecesAsOneParserWould) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("fedtriage-split-ingest-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string log = (dir / "expressway.log").string();
  {
    std::ofstream out(log, std::ios::binary);
    out << expressway_log(2300, 5);  // summaries past the 20,000-line horizon too
  }
  IngestOptions whole_options;
  whole_options.split_bytes = 0;
  testing::CollectingProblems p0;
  const IngestResult whole = read_in_memory({log}, whole_options, p0);
  ASSERT_GT(whole.events.size(), 2000u);
  std::vector<size_t> sizes = {1, 4096, 65536};
  for (size_t size = 100; size < 1600; size += 47) sizes.push_back(size);
  for (size_t size : sizes) {
    SCOPED_TRACE("pieces of " + std::to_string(size) + " bytes");
    IngestOptions split_options;
    split_options.split_bytes = size;
    testing::CollectingProblems p1;
    const IngestResult split = read_in_memory({log}, split_options, p1);
    ASSERT_EQ(whole.events.size(), split.events.size());
    for (size_t i = 0; i < whole.events.size(); ++i) {
      ASSERT_EQ(dump(whole.events[i]), dump(split.events[i])) << "event " << i;
    }
    ASSERT_EQ(split.inputs.size(), 1u);
    EXPECT_EQ(whole.inputs[0].events, split.inputs[0].events);
    EXPECT_EQ(whole.inputs[0].lines, split.inputs[0].lines);
    EXPECT_EQ(p0.problems.size(), p1.problems.size());
  }
  std::filesystem::remove_all(dir);
}

// The binary: `events` and `analyze` print the same with splitting off and with tiny pieces.
TEST(SplitParse, BinaryOutputIsTheSameSplitOrNot) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("fedtriage-split-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string log = (dir / "expressway.log").string();
  {
    std::ofstream out(log, std::ios::binary);
    out << expressway_log(400, 7);
  }
  const std::string bundle = kTestdata + "/bundles/federation-failure.tar.gz";
  const std::vector<std::vector<std::string>> commands = {
      {"events", "--raw", log, bundle},
      {"events", log},
      {"analyze", "--no-db", "--format", "json", log, bundle},
      {"analyze", "--no-db", log, bundle},
  };
  for (const auto& args : commands) {
    setenv("FEDTRIAGE_SPLIT_BYTES", "0", 1);
    const testing::BinaryRun whole = testing::run_binary(args);
    setenv("FEDTRIAGE_SPLIT_BYTES", "150", 1);
    const testing::BinaryRun split = testing::run_binary(args);
    unsetenv("FEDTRIAGE_SPLIT_BYTES");
    EXPECT_EQ(whole.status, split.status) << args[0];
    EXPECT_FALSE(whole.out.empty()) << args[0];
    EXPECT_TRUE(whole.out == split.out) << args[0] << " " << args[1] << ": output differs";
    EXPECT_EQ(whole.err, split.err) << args[0];
  }
  // The database: events, calls and their links, findings, input problems.
  const std::string db_whole = (dir / "whole.db").string(), db_split = (dir / "split.db").string();
  setenv("FEDTRIAGE_SPLIT_BYTES", "0", 1);
  // One case at a time: the log and the bundle are two cases, and cases analysed at once
  // are stored in the order they finish, which would number their rows differently.
  const testing::BinaryRun stored_whole =
      testing::run_binary({"analyze", "--jobs", "1", "--db", db_whole, log, bundle});
  setenv("FEDTRIAGE_SPLIT_BYTES", "150", 1);
  const testing::BinaryRun stored_split =
      testing::run_binary({"analyze", "--jobs", "1", "--db", db_split, log, bundle});
  unsetenv("FEDTRIAGE_SPLIT_BYTES");
  EXPECT_EQ(stored_whole.status, stored_split.status);
  std::string split_out = stored_split.out;  // names its database
  if (const size_t at = split_out.find(db_split); at != std::string::npos) {
    split_out.replace(at, db_split.size(), db_whole);
  }
  EXPECT_EQ(stored_whole.out, split_out);
  for (const char* sql :
       {"SELECT id, input_id, seq, ts_ms, basis, source, kind, file, line, host, call_id, cseq, "
        "direction, local, remote, summary, fields, ms_diagnostics FROM events ORDER BY id",
        "SELECT id, call_id, first_ms, last_ms, failed, final_status, event_count, link_count, "
        "message_count FROM calls ORDER BY id",
        "SELECT call_row, event_id, ordinal, reason FROM call_links ORDER BY call_row, ordinal",
        "SELECT * FROM findings ORDER BY id",
        "SELECT input_id, ordinal, severity, file, line, message FROM input_problems ORDER BY "
        "id"}) {
    const std::vector<std::string> a = testing::query_rows(db_whole, sql);
    EXPECT_FALSE(a.empty() && std::string(sql).find("events") != std::string::npos);
    EXPECT_TRUE(a == testing::query_rows(db_split, sql)) << sql;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fedtriage
