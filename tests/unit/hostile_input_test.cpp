// Hostile and broken input through the real binary: every case must give a clear message on
// stderr naming the file (and line or member), leave the rest of the input analysed, and end
// with the documented exit status. Inputs are built in a temporary directory at test time.
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/collecting_sinks.h"
#include "tests/support/run_binary.h"

namespace fedtriage {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kTestdata = FEDTRIAGE_TESTDATA_DIR;
const std::string kExpressway = kTestdata + "/expressway/federation_504.log";
const std::string kEdge = kTestdata + "/edge/sfvedge_federation.log";
const std::string kClient = kTestdata + "/client/Lync-UccApi-0.UccApiLog";

struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
  long max_rss_kb = 0;
};

// Runs the fedtriage binary with `args`, stdout and stderr captured in files.
Outcome run(const std::vector<std::string>& args, const std::string& scratch) {
  const std::string out_path = scratch + "/.stdout", err_path = scratch + "/.stderr";
  const pid_t pid = testing::start_binary(args, out_path, err_path);
  Outcome r;
  int status = 0;
  struct rusage usage {};
  EXPECT_EQ(wait4(pid, &status, 0, &usage), pid);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.max_rss_kb = usage.ru_maxrss;
  r.out = testing::read_file(out_path);
  r.err = testing::read_file(err_path);
  return r;
}

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

la_ssize_t append_to_string(struct archive*, void* out, const void* buf, size_t n) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(buf), n);
  return static_cast<la_ssize_t>(n);
}

enum class Kind { kTar, kTarGz, kZip, kGz };

// An archive made with libarchive's writer; kGz takes exactly one member (its data).
std::string archive(Kind kind, const std::vector<std::pair<std::string, std::string>>& members) {
  struct archive* a = archive_write_new();
  if (kind == Kind::kZip) {
    archive_write_set_format_zip(a);
  } else if (kind == Kind::kGz) {
    archive_write_set_format_raw(a);
  } else {
    archive_write_set_format_pax_restricted(a);
  }
  if (kind == Kind::kTarGz || kind == Kind::kGz) archive_write_add_filter_gzip(a);
  archive_write_set_bytes_in_last_block(a, 1);
  std::string out;
  EXPECT_EQ(archive_write_open(a, &out, nullptr, append_to_string, nullptr), ARCHIVE_OK);
  for (const auto& [name, data] : members) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
    EXPECT_EQ(archive_write_header(a, e), ARCHIVE_OK) << archive_error_string(a);
    EXPECT_EQ(archive_write_data(a, data.data(), data.size()),
              static_cast<la_ssize_t>(data.size()));
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

// A zip whose one member is `head` followed by `newlines` line ends, written in chunks: the
// test process never holds the expanded data (its memory would count in the child's peak).
std::string zip_bomb(const std::string& head, size_t newlines) {
  struct archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  std::string out;
  EXPECT_EQ(archive_write_open(a, &out, nullptr, append_to_string, nullptr), ARCHIVE_OK);
  struct archive_entry* e = archive_entry_new();
  archive_entry_set_pathname(e, "vcse.log");
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_perm(e, 0644);
  archive_entry_set_size(e, static_cast<la_int64_t>(head.size() + newlines));
  EXPECT_EQ(archive_write_header(a, e), ARCHIVE_OK) << archive_error_string(a);
  archive_write_data(a, head.data(), head.size());
  const std::string chunk(1 << 20, '\n');
  for (size_t left = newlines; left > 0;) {
    const size_t n = std::min(left, chunk.size());
    archive_write_data(a, chunk.data(), n);
    left -= n;
  }
  archive_entry_free(e);
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

class HostileInput : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "fedtriage-hostile-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    for (const auto& p : restore_) fs::permissions(p, fs::perms::owner_all, ec);
    fs::remove_all(dir_, ec);
  }

  std::string write(const std::string& name, const std::string& data) {
    const std::string path = dir_ + "/" + name;
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << data;
    return path;
  }

  Outcome fedtriage(const std::vector<std::string>& args) { return run(args, dir_); }

  // `analyze --no-db --format json` over the inputs, all in one case; the parsed report.
  json analyze(const std::vector<std::string>& inputs, Outcome* r,
               const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"analyze", "--no-db", "--format", "json", "--case", "h"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.insert(args.end(), inputs.begin(), inputs.end());
    *r = fedtriage(args);
    json report = json::parse(r->out, nullptr, false);
    EXPECT_FALSE(report.is_discarded()) << r->out.substr(0, 500) << r->err;
    return report;
  }

  // The input record of `file` in a JSON report, or null.
  static json input_of(const json& report, const std::string& file) {
    if (!report.contains("inputs")) return nullptr;
    for (const json& in : report["inputs"]) {
      if (in["file"] == file) return in;
    }
    return nullptr;
  }

  // The good Edge trace given next to the bad input was read in full, with no problem.
  static void expect_good_input_analysed(const json& report) {
    const json in = input_of(report, kEdge);
    ASSERT_FALSE(in.is_null()) << "the good input is missing from the report";
    EXPECT_FALSE(in["skipped"].get<bool>());
    EXPECT_GT(in["events"].get<int>(), 0);
    EXPECT_TRUE(in["problems"].empty()) << in["problems"].dump();
  }

  // Events of one file through `fedtriage events`, origin dropped (compared across encodings).
  std::vector<std::string> events_of(const std::string& path) {
    const Outcome r = fedtriage({"events", path});
    std::vector<std::string> out;
    std::istringstream lines(r.out);
    std::string line;
    while (std::getline(lines, line)) {
      json e = json::parse(line, nullptr, false);
      EXPECT_FALSE(e.is_discarded()) << line;
      if (e.is_discarded()) continue;
      e.erase("origin");
      if (e.contains("fields")) e["fields"].erase("summary_line");  // a line number
      out.push_back(e.dump());
    }
    return out;
  }

  std::string dir_;
  std::vector<std::string> restore_;
};

// The text of `path` cut after its first line that contains `marker`, plus `extra_lines`.
std::string cut_after(const std::string& text, const std::string& marker, int extra_lines) {
  size_t pos = text.find(marker);
  EXPECT_NE(pos, std::string::npos) << marker;
  pos = text.find('\n', pos);
  for (int i = 0; i < extra_lines && pos != std::string::npos; ++i) pos = text.find('\n', pos + 1);
  return text.substr(0, pos + 1);
}

uint64_t line_of(const std::string& text, size_t offset) {
  return 1 + static_cast<uint64_t>(std::count(text.begin(), text.begin() + offset, '\n'));
}

TEST_F(HostileInput, SipmsgBlockCutAtEndOfFileIsReportedWithItsLine) {
  const std::string full = testing::read_file(kExpressway);
  const std::string cut = cut_after(full, "SIPMSG:", 3);
  const std::string bad = write("cut.log", cut);
  Outcome r;
  const json report = analyze({bad, kEdge}, &r);
  EXPECT_EQ(r.status, 3) << r.err;
  // The record's first line: the log line that the "SIPMSG:" block continues.
  const uint64_t line = line_of(cut, cut.rfind('\n', cut.rfind("SIPMSG:")));
  EXPECT_TRUE(contains(r.err, bad + ":" + std::to_string(line) + ": SIPMSG block truncated"))
      << r.err;
  expect_good_input_analysed(report);
}

TEST_F(HostileInput, EdgeRecordWithoutEndRecordIsReported) {
  std::string text = testing::read_file(kEdge);
  const size_t end = text.find("$$end_record", text.find("TF_DIAG"));
  ASSERT_NE(end, std::string::npos);
  text.erase(end, text.find('\n', end) + 1 - end);
  const std::string bad = write("no_end.log", text);
  Outcome r;
  const json report = analyze({bad, kExpressway}, &r);
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(contains(r.err, bad + ":")) << r.err;
  EXPECT_TRUE(contains(r.err, "no $$end_record")) << r.err;
  const json in = input_of(report, bad);
  ASSERT_FALSE(in.is_null());
  EXPECT_GT(in["events"].get<int>(), 0);  // the records around it are still read
  EXPECT_GT(input_of(report, kExpressway)["events"].get<int>(), 0);
}

TEST_F(HostileInput, EdgeRecordCutAtEndOfFileIsReported) {
  const std::string full = testing::read_file(kEdge);
  const std::string cut = cut_after(full, "TF_DIAG", 2);
  const std::string bad = write("cut_edge.log", cut);
  Outcome r;
  const json report = analyze({bad, kExpressway}, &r);
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(contains(r.err, bad + ":")) << r.err;
  EXPECT_TRUE(contains(r.err, "truncated at end of file")) << r.err;
  EXPECT_GT(input_of(report, kExpressway)["events"].get<int>(), 0);
}

TEST_F(HostileInput, ClientPacketCutAtEndOfFileIsReported) {
  const std::string full = testing::read_file(kClient);
  const size_t last = full.rfind(":: Sending Packet");
  const size_t last_in = full.rfind(":: Data Received");
  const size_t at =
      std::max(last == std::string::npos ? 0 : last, last_in == std::string::npos ? 0 : last_in);
  ASSERT_GT(at, 0u);
  size_t pos = full.find('\n', at);
  for (int i = 0; i < 3; ++i) pos = full.find('\n', pos + 1);
  const std::string bad = write("cut.UccApiLog", full.substr(0, pos + 1));
  Outcome r;
  const json report = analyze({bad, kEdge}, &r);
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(contains(r.err, bad + ":" + std::to_string(line_of(full, at)) +
                                  ": SIP message truncated at end of file"))
      << r.err;
  expect_good_input_analysed(report);
}

// #20: a $$begin_record inside an open record ends the open record (reported with its file:line)
// and each record keeps its own Call-ID; a stray $$end_record is reported with its line.
std::vector<std::string> event_call_ids(const std::string& jsonl) {
  std::vector<std::string> ids;
  std::istringstream in(jsonl);
  for (std::string line; std::getline(in, line);) {
    const json e = json::parse(line, nullptr, false);
    if (e.is_object() && e.contains("call_id")) ids.push_back(e["call_id"].get<std::string>());
  }
  return ids;
}

TEST_F(HostileInput, EdgeBeginRecordInsideAnOpenRecordEndsIt) {
  const std::string good = testing::read_file(kEdge);
  // The TF_PROTOCOL record (an INVITE with its Call-ID) loses its $$end_record: the next line
  // is the TF_DIAG record's $$begin_record header.
  const size_t start = good.find("TL_INFO(TF_PROTOCOL)");
  const size_t end = good.find("$$end_record", start);
  ASSERT_NE(end, std::string::npos);
  std::string text = good;
  text.erase(end, good.find('\n', end) + 1 - end);
  const std::string bad = write("nested.log", text);
  Outcome r;
  const json report = analyze({bad, kExpressway}, &r);
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(contains(r.err, bad + ":" + std::to_string(line_of(good, start)) +
                                  ": record not closed before the next $$begin_record"))
      << r.err;
  EXPECT_GT(input_of(report, kExpressway)["events"].get<int>(), 0);
  // Every record keeps its own Call-ID: the events carry the same Call-IDs, in the same order,
  // as those of the intact trace.
  const Outcome g = fedtriage({"events", kEdge});
  const Outcome b = fedtriage({"events", bad});
  ASSERT_EQ(g.status, 0) << g.err;
  EXPECT_FALSE(event_call_ids(g.out).empty());
  EXPECT_EQ(event_call_ids(b.out), event_call_ids(g.out));

  // A $$begin_record whose header cannot be read ends the open record too; its lines (and
  // Call-ID) are not taken into the open record.
  std::string unreadable = good;
  const size_t call_id = unreadable.find("CALL-ID:", start);
  ASSERT_NE(call_id, std::string::npos);
  unreadable.insert(call_id, "TL_?? garbled $$begin_record\nCall-ID: not-this-one\n");
  const std::string bad2 = write("unreadable.log", unreadable);
  const Outcome u = fedtriage({"events", bad2});
  EXPECT_EQ(u.status, 3) << u.err;
  EXPECT_TRUE(contains(u.err, bad2 + ":" + std::to_string(line_of(good, start)) +
                                  ": record not closed before the next $$begin_record"))
      << u.err;
  EXPECT_FALSE(contains(u.out, "not-this-one"));
}

TEST_F(HostileInput, EdgeStrayEndRecordIsReportedWithItsLine) {
  const std::string good = testing::read_file(kEdge);
  const size_t first_end = good.find("$$end_record");
  ASSERT_NE(first_end, std::string::npos);
  const size_t after = good.find('\n', first_end) + 1;
  std::string text = good;
  text.insert(after, "$$end_record\n");
  const std::string bad = write("stray.log", text);
  Outcome r;
  const json report = analyze({bad, kExpressway}, &r);
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(
      contains(r.err, bad + ":" + std::to_string(line_of(text, after)) + ": stray $$end_record"))
      << r.err;
  const json in = input_of(report, bad);
  ASSERT_FALSE(in.is_null());
  EXPECT_EQ(in["events"], input_of(analyze({kEdge}, &r), kEdge)["events"]);
  EXPECT_EQ(r.status, 0) << r.err;  // the intact trace: no problem
}

// A file that is no log at all (a pcap, an image in a bundle) is skipped with a note, as
// documented: it is not damage, and does not change the exit status.
TEST_F(HostileInput, BinaryGarbageFileIsSkippedWithANote) {
  std::string garbage;
  uint32_t x = 12345;
  for (int i = 0; i < 64 * 1024; ++i) {
    x = x * 1103515245 + 12345;
    garbage.push_back(static_cast<char>(x >> 16));
  }
  const std::string bad = write("capture.pcap", garbage);
  Outcome r;
  const json report = analyze({bad, kEdge}, &r, {"-v"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.err, bad + ": skipped: ")) << r.err;
  EXPECT_TRUE(input_of(report, bad)["skipped"].get<bool>());
  expect_good_input_analysed(report);
}

// Binary garbage and NUL bytes inside a log (a file partly overwritten, zero-filled after a
// crash): the records around them are read and the damage is reported with its line.
TEST_F(HostileInput, NulBytesAndGarbageInsideALogAreReportedAndTheRestRead) {
  const std::string clean = testing::read_file(kExpressway);
  std::string text = clean;
  const size_t at = text.find('\n', text.size() / 2) + 1;
  text.insert(at, std::string("\x01\x02\xff\xfe garbage \x7f\x80\n") + std::string(4096, '\0'));
  const std::string bad = write("zeroed.log", text);
  const std::string clean_path = write("clean.log", clean);
  Outcome r;
  const json report = analyze({bad, kEdge}, &r);
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(contains(r.err, bad + ":" + std::to_string(line_of(text, at) + 1) + ": ")) << r.err;
  EXPECT_TRUE(contains(r.err, "NUL")) << r.err;
  EXPECT_EQ(events_of(bad), events_of(clean_path));
  expect_good_input_analysed(report);
}

// 100 MB in one line: read in bounded memory (LineReader's 1 MiB cap), cut and reported.
TEST_F(HostileInput, HundredMegabyteLineIsCutInBoundedMemory) {
  const std::string clean = testing::read_file(kExpressway);
  const size_t at = clean.find('\n', clean.size() / 2) + 1;
  const std::string path = dir_ + "/huge_line.log";
  {
    std::ofstream out(path, std::ios::binary);
    out << clean.substr(0, at);
    const std::string chunk(1 << 20, 'A');
    for (int i = 0; i < 100; ++i) out << chunk;
    out << "\n" << clean.substr(at);
  }
  // The same log with a short line instead: what the process needs anyway (sanitizers, threads).
  const std::string small =
      write("small_line.log", clean.substr(0, at) + "AAAA\n" + clean.substr(at));
  Outcome baseline;
  analyze({small, kEdge}, &baseline);
  Outcome r;
  const json report = analyze({path, kEdge}, &r);
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(contains(
      r.err, path + ":" + std::to_string(line_of(clean, at)) + ": line longer than 1048576 bytes"))
      << r.err;
  // A few line buffers more than the baseline, far below the line's 100 MB.
  EXPECT_LT(r.max_rss_kb, baseline.max_rss_kb + 24 * 1024)
      << "peak RSS " << r.max_rss_kb << " KiB, " << baseline.max_rss_kb << " KiB with a short line";
  const json in = input_of(report, path);
  ASSERT_FALSE(in.is_null());
  EXPECT_GT(in["events"].get<int>(), 3);
  expect_good_input_analysed(report);
}

// Invalid UTF-8 is kept as it is and never breaks the JSON output.
TEST_F(HostileInput, InvalidUtf8IsReadAndJsonStaysValid) {
  std::string text = testing::read_file(kExpressway);
  size_t pos = 0;
  while ((pos = text.find("DX70 Steven", pos)) != std::string::npos) {
    text.replace(pos, 4, "\xff\xfe\xc3(");
    pos += 4;
  }
  const std::string bad = write("latin.log", text);
  Outcome r;
  const json report = analyze({bad}, &r);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_GT(input_of(report, bad)["events"].get<int>(), 3);
  const std::vector<std::string> events = events_of(bad);  // each line parsed as JSON
  EXPECT_EQ(events.size(), events_of(kExpressway).size());
}

TEST_F(HostileInput, Utf16LeWithBomIsDecoded) {
  const std::string utf8 = testing::read_file(kExpressway);
  std::string utf16 = "\xff\xfe";
  for (char c : utf8) {  // the fixture is ASCII
    utf16.push_back(c);
    utf16.push_back('\0');
  }
  const std::string path = write("utf16.log", utf16);
  EXPECT_EQ(events_of(path), events_of(kExpressway));
  const Outcome r = fedtriage({"analyze", "--no-db", path});
  EXPECT_EQ(r.status, 0) << r.err;
}

TEST_F(HostileInput, CrlfAndMixedLineEndingsGiveTheSameEvents) {
  const std::string lf = testing::read_file(kExpressway);
  std::string crlf, mixed;
  int n = 0;
  for (char c : lf) {
    if (c == '\n') {
      crlf += "\r\n";
      mixed += (n++ % 2) ? "\r\n" : "\n";
    } else {
      crlf += c;
      mixed += c;
    }
  }
  const auto expected = events_of(kExpressway);
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(events_of(write("crlf.log", crlf)), expected);
  EXPECT_EQ(events_of(write("mixed.log", mixed)), expected);
  const Outcome r = fedtriage({"analyze", "--no-db", dir_ + "/mixed.log"});
  EXPECT_EQ(r.status, 0) << r.err;
}

TEST_F(HostileInput, EmptyFileIsSkippedAndAloneIsFatal) {
  const std::string empty = write("empty.log", "");
  Outcome r;
  const json report = analyze({empty, kEdge}, &r, {"-v"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.err, empty + ": skipped: empty file")) << r.err;
  expect_good_input_analysed(report);
  const Outcome alone = fedtriage({"analyze", "--no-db", empty});  // its own case
  EXPECT_EQ(alone.status, 1) << alone.err;
  EXPECT_TRUE(contains(alone.err, "no input could be analysed")) << alone.err;
}

// Root ignores file modes, so unreadability is made real by other means: a directory entry
// whose reads fail (a link to /proc/self/mem: open works, read gives EIO) and a dangling link.
TEST_F(HostileInput, UnreadableFilesAreErrorsAndTheRestIsRead) {
  const std::string bundle = dir_ + "/bundle";
  fs::create_directories(bundle);
  fs::copy_file(kEdge, bundle + "/edge.log");
  fs::create_symlink("/proc/self/mem", bundle + "/eio.log");
  fs::create_symlink(bundle + "/gone.log", bundle + "/dangling.log");
  const std::string locked = write("bundle/locked.log", testing::read_file(kExpressway));
  chmod(locked.c_str(), 0);
  restore_.push_back(locked);
  const bool modes_apply = access(locked.c_str(), R_OK) != 0;

  Outcome r;
  const json report = analyze({bundle}, &r);
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(contains(r.err, bundle + "/eio.log: read error: Input/output error")) << r.err;
  EXPECT_TRUE(contains(r.err, bundle + "/dangling.log: broken symbolic link")) << r.err;
  if (modes_apply) {
    EXPECT_TRUE(contains(r.err, locked + ": cannot open: Permission denied")) << r.err;
  }
  const json good = input_of(report, bundle + "/edge.log");
  ASSERT_FALSE(good.is_null());
  EXPECT_GT(good["events"].get<int>(), 0);
  if (!modes_apply) GTEST_LOG_(INFO) << "root: the chmod 000 case is not checked";
}

// A link back to an ancestor: the walk ends, every file is read once, the loop is noted.
TEST_F(HostileInput, DirectorySymlinkLoopEndsAndReadsEachFileOnce) {
  const std::string bundle = dir_ + "/bundle";
  fs::create_directories(bundle + "/sub");
  fs::copy_file(kEdge, bundle + "/sub/edge.log");
  fs::create_directory_symlink("..", bundle + "/sub/up");
  fs::create_directory_symlink(bundle, bundle + "/sub/again");
  Outcome r;
  const json report = analyze({bundle}, &r, {"-v"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.err, bundle + "/sub/up: directory already visited")) << r.err;
  int read = 0;
  for (const json& in : report["inputs"]) read += in["skipped"].get<bool>() ? 0 : 1;
  EXPECT_EQ(read, 1) << report["inputs"].dump();
  EXPECT_EQ(report["summary"]["events"], input_of(report, bundle + "/sub/edge.log")["events"]);
}

TEST_F(HostileInput, CorruptGzipIsAnErrorAndTheRestIsRead) {
  std::string gz = archive(Kind::kGz, {{"x", testing::read_file(kExpressway)}});
  for (size_t i = 12; i < 40 && i < gz.size(); ++i) gz[i] = static_cast<char>(0xff);
  const std::string bad = write("corrupt.log.gz", gz);
  Outcome r;
  const json report = analyze({bad, kEdge}, &r);
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "error: " + bad)) << r.err;
  expect_good_input_analysed(report);
}

// A tarball cut short: the members before the cut are analysed, the cut is reported.
TEST_F(HostileInput, TruncatedTarGzKeepsTheMembersBeforeTheCut) {
  // Incompressible padding members make the archive large enough for a cut well past the
  // first member.
  std::string noise;
  uint32_t x = 7;
  for (int i = 0; i < 512 * 1024; ++i) {
    x = x * 1103515245 + 12345;
    noise.push_back(static_cast<char>('a' + (x >> 16) % 26));
  }
  const std::string tgz =
      archive(Kind::kTarGz, {{"logs/edge.log", testing::read_file(kEdge)},
                             {"logs/noise.txt", noise},
                             {"logs/vcse.log", testing::read_file(kExpressway)}});
  const std::string bad = write("bundle.tar.gz", tgz.substr(0, tgz.size() * 2 / 3));
  Outcome r;
  const json report = analyze({bad}, &r);
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(contains(r.err, bad)) << r.err;
  EXPECT_TRUE(contains(r.err, "truncated")) << r.err;
  const json first = input_of(report, bad + "!/logs/edge.log");
  ASSERT_FALSE(first.is_null()) << report["inputs"].dump();
  EXPECT_GT(first["events"].get<int>(), 0);
}

// 200 MB of zeros in a small zip: stopped at --max-expanded-mb, in bounded time and memory.
TEST_F(HostileInput, ZipBombStopsAtTheExpansionLimit) {
  const std::string bomb = zip_bomb(testing::read_file(kExpressway), size_t{200} << 20);
  ASSERT_LT(bomb.size(), 2u << 20);
  const std::string bad = write("bomb.zip", bomb);
  Outcome baseline;
  analyze({kExpressway, kEdge}, &baseline);
  Outcome r;
  const json report = analyze({bad, kEdge}, &r, {"--max-expanded-mb", "4"});
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(
      contains(r.err, bad + "!/vcse.log: decompressed size limit of 4194304 bytes exceeded"))
      << r.err;
  EXPECT_LT(r.max_rss_kb, baseline.max_rss_kb + 32 * 1024)
      << "peak RSS " << r.max_rss_kb << " KiB, " << baseline.max_rss_kb << " KiB without the bomb";
  expect_good_input_analysed(report);
}

// Member names that climb out, are absolute or carry escapes: nothing is written to disk, the
// names are shown as they are with control characters made visible.
TEST_F(HostileInput, HostileMemberNamesAreShownSafelyAndNothingIsWritten) {
  const std::string log = testing::read_file(kExpressway);
  const std::string sub = dir_ + "/a/b";
  fs::create_directories(sub);
  const std::string bad = sub + "/evil.tar";
  std::ofstream(bad, std::ios::binary) << archive(
      Kind::kTar,
      {{"../../escaped.log", log}, {"/tmp-absolute.log", log}, {"x/\x1b[2Jclear.log", log}});
  const auto before = std::distance(fs::recursive_directory_iterator(dir_), {});
  const Outcome text = run({"analyze", "--no-db", "--all-calls", "-v", bad}, sub);
  Outcome r;
  const json report = analyze({bad}, &r);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_FALSE(fs::exists(dir_ + "/escaped.log"));
  EXPECT_FALSE(fs::exists("/tmp-absolute.log"));
  // Only the capture files of the runs are new.
  EXPECT_LE(std::distance(fs::recursive_directory_iterator(dir_), {}), before + 4);
  EXPECT_FALSE(input_of(report, bad + "!/../../escaped.log").is_null());
  EXPECT_FALSE(input_of(report, bad + "!/x/?[2Jclear.log").is_null()) << report["inputs"].dump();
  EXPECT_EQ(text.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.err.find('\x1b'), std::string::npos);
  EXPECT_TRUE(contains(text.out, "x/?[2Jclear.log")) << text.out;
}

TEST_F(HostileInput, ArchivesNestedTooDeeplyAreReported) {
  std::string data = testing::read_file(kExpressway);
  std::string name = "vcse.log";
  for (int i = 0; i < 10; ++i) {
    data = archive(i % 2 ? Kind::kZip : Kind::kTarGz, {{name, data}});
    name = "level" + std::to_string(i) + (i % 2 ? ".zip" : ".tar.gz");
  }
  const std::string bad = write(name, data);
  Outcome r;
  const json report = analyze({bad, kEdge}, &r);
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(contains(r.err, bad + "!/")) << r.err;
  EXPECT_TRUE(contains(r.err, "nested deeper than 8 levels")) << r.err;
  expect_good_input_analysed(report);
}

}  // namespace
}  // namespace fedtriage
