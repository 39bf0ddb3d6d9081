// Log content on its way out, through the real binary on testdata/hostile/: display names,
// diagnostics and member names carrying terminal escape sequences (OSC 52 clipboard writes,
// screen clears, C1 CSI), HTML and SQL. The terminal never receives a control sequence the
// tool did not write itself, JSON is always valid, the database stores the text verbatim.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "lib/store/open_store.h"
#include "tests/support/collecting_sinks.h"
#include "tests/support/run_binary.h"

namespace fedtriage {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kHostile = std::string(FEDTRIAGE_TESTDATA_DIR) + "/hostile";
const std::string kScript = "<script>alert(1)</script>";
const std::string kSql = "'; DROP TABLE calls; --";

struct Outcome {
  int status = -1;
  std::string out, err;
};

Outcome run(const std::vector<std::string>& args, const std::string& dir) {
  const std::string out_path = dir + "/.stdout", err_path = dir + "/.stderr";
  const pid_t pid = testing::start_binary(args, out_path, err_path);
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, testing::read_file(out_path),
          testing::read_file(err_path)};
}

// The first thing a terminal would act on: a C0 control other than newline, DEL, a C1 control
// (U+0080..U+009F) or a byte that is not valid UTF-8 (terminals read some as C1). "" if none.
// `sgr_allowed`: the colour sequences the tool writes itself (ESC [ digits ; m) are allowed.
std::string first_control(const std::string& text, bool sgr_allowed) {
  auto at = [&](size_t i) { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0; };
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = at(i);
    size_t len = 1;
    uint32_t cp = c;
    if (c == 0x1b && sgr_allowed && at(i + 1) == '[') {
      size_t j = i + 2;
      while (std::isdigit(at(j)) || at(j) == ';') ++j;
      if (at(j) == 'm') {
        i = j + 1;
        continue;
      }
    }
    if (c >= 0x80) {
      len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
      bool valid = len > 0 && c < 0xf5 && i + len <= text.size();
      cp = valid ? c & (0x7f >> len) : 0;
      for (size_t k = 1; valid && k < len; ++k) {
        valid = (at(i + k) & 0xc0) == 0x80;
        cp = (cp << 6) | (at(i + k) & 0x3f);
      }
      if (!valid) cp = 0x80;  // reported below as a control
    }
    if (cp != '\n' && (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))) {
      std::ostringstream where;
      where << "byte 0x" << std::hex << static_cast<int>(c) << " at offset " << std::dec << i
            << " near: " << text.substr(i > 40 ? i - 40 : 0, 80);
      return where.str();
    }
    i += len;
  }
  return "";
}

class OutputSafety : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "fedtriage-output-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string dir_;
};

TEST_F(OutputSafety, FixturesReallyCarryTheHostileText) {
  for (const char* f : {"expressway_hostile.log", "edge_hostile.log", "client_hostile.UccApiLog"}) {
    const std::string text = testing::read_file(kHostile + "/" + f);
    EXPECT_NE(text.find(kScript), std::string::npos) << f;
    EXPECT_NE(text.find("\x1b]52;c;"), std::string::npos) << f;
    EXPECT_NE(text.find(kSql), std::string::npos) << f;
  }
}

TEST_F(OutputSafety, TextReportAndMessagesCarryNoEscapeSequences) {
  for (const char* color : {"never", "always"}) {
    const Outcome r =
        run({"-v", "analyze", "--no-db", "--all-calls", "--color", color, kHostile}, dir_);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(first_control(r.out, std::string(color) == "always"), "") << color;
    EXPECT_EQ(first_control(r.err, false), "");
    // The hostile display name is there, made visible rather than dropped.
    EXPECT_NE(r.out.find("<script>alert(1)</script>\\x1b]52;c;"), std::string::npos) << r.out;
  }
}

// A file whose name carries escapes: named safely in messages and reports.
TEST_F(OutputSafety, HostileFileNamesAreShownSafely) {
  const std::string name = dir_ + "/\x1b]0;title\x07vcse.log";
  fs::copy_file(kHostile + "/expressway_hostile.log", name);
  const std::string bad = dir_ + "/\x1b[31mbad.gz";
  std::ofstream(bad) << "\x1f\x8b\x08\x00garbage that is no gzip stream";
  const Outcome r = run({"-v", "analyze", "--no-db", "--all-calls", name, bad}, dir_);
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_EQ(first_control(r.out, false), "");
  EXPECT_EQ(first_control(r.err, false), "");
  EXPECT_NE(r.err.find("bad.gz"), std::string::npos) << r.err;
}

TEST_F(OutputSafety, EventsAndJsonReportAreValidJsonAndKeepTheText) {
  const Outcome events = run({"events", "--raw", kHostile}, dir_);
  EXPECT_EQ(events.status, 0) << events.err;
  std::istringstream lines(events.out);
  std::string line;
  int n = 0;
  bool saw_script = false;
  while (std::getline(lines, line)) {
    ++n;
    const json e = json::parse(line, nullptr, false);
    ASSERT_FALSE(e.is_discarded()) << line;
    if (e.dump().find(kScript) != std::string::npos) saw_script = true;
    EXPECT_EQ(first_control(line, false), "") << "raw control bytes in a JSON line";
  }
  EXPECT_GT(n, 10);
  EXPECT_TRUE(saw_script);

  const Outcome report = run({"analyze", "--no-db", "--format", "json", kHostile}, dir_);
  EXPECT_EQ(report.status, 0) << report.err;
  const json j = json::parse(report.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << report.out.substr(0, 300);
  EXPECT_NE(j.dump().find(kScript), std::string::npos);
}

// Values are bound, never spliced into SQL: the hostile text is stored verbatim and every
// table is still there.
TEST_F(OutputSafety, DatabaseStoresHostileTextVerbatim) {
  const std::string db = dir_ + "/h.db";
  const Outcome r = run({"analyze", "-q", "--db", db, kHostile}, dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  auto count = [&](const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    int64_t n = -1;
    if (sqlite3_prepare_v2(h, sql.c_str(), -1, &s, nullptr) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
      n = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    return n;
  };
  EXPECT_GE(count("SELECT count(*) FROM calls"), 3);
  EXPECT_GE(count("SELECT count(*) FROM findings"), 3);
  // The display name with its escape and SQL is somewhere in the stored events, byte for byte
  // (the raw text is compressed: read back through the store, as `fedtriage db message`).
  const int64_t events = count("SELECT count(*) FROM events");
  sqlite3_close(h);
  std::string error;
  auto store = open_store(db, &error);
  ASSERT_TRUE(store) << error;
  const std::string needle = kScript + "\x1b]52;c;";
  int64_t found = 0;
  for (int64_t id = 1; id <= events; ++id) {
    const auto raw = store->event_raw(id, &error);
    ASSERT_TRUE(raw) << id << " " << error;
    found += raw->find(needle) != std::string::npos;
  }
  EXPECT_GT(found, 0);
}

// `show` prints stored log text: the same rules as the report. Skipped until it exists.
TEST_F(OutputSafety, ShowCarriesNoEscapeSequences) {
  const std::string db = dir_ + "/h.db";
  ASSERT_EQ(run({"analyze", "-q", "--db", db, kHostile}, dir_).status, 0);
  const Outcome r = run({"show", "f1b3ad5d-183b-4632-b210-c2f9bec71960", "--db", db}, dir_);
  if (r.status == 2 && r.out.empty()) GTEST_SKIP() << "`fedtriage show` is not implemented yet";
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("<script>"), std::string::npos);
  EXPECT_EQ(first_control(r.out, false), "");
  EXPECT_EQ(first_control(r.err, false), "");
}

}  // namespace
}  // namespace fedtriage

namespace fedtriage {
namespace {

size_t count_of(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = 0; (pos = hay.find(needle, pos)) != std::string::npos; pos += needle.size()) {
    ++n;
  }
  return n;
}

// The HTML report: log text may be anywhere (table cells, attributes, the JSON the page's
// script reads) but never as markup. Skipped until `fedtriage report` exists.
TEST_F(OutputSafety, HtmlReportEscapesLogText) {
  if (run({"report", "--help"}, dir_).status != 0) {
    GTEST_SKIP() << "`fedtriage report` is not implemented yet";
  }
  const std::string db = dir_ + "/h.db";
  ASSERT_EQ(run({"analyze", "-q", "--db", db, kHostile}, dir_).status, 0);
  const std::string html_path = dir_ + "/report.html";
  const Outcome r = run({"report", "--db", db, "-o", html_path}, dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string html = testing::read_file(html_path);
  ASSERT_NE(html.find("alert(1)"), std::string::npos) << "the hostile text should be shown";
  EXPECT_EQ(html.find(kScript), std::string::npos) << "log text became markup";
  EXPECT_EQ(html.find("<img src=x"), std::string::npos) << "log text became markup";
  // Every script element is the page's own: as many closing tags as opening ones.
  EXPECT_EQ(count_of(html, "</script"), count_of(html, "<script"));
  EXPECT_EQ(html.find('\x1b'), std::string::npos);
}

}  // namespace
}  // namespace fedtriage
