// Exports of log- and user-derived text (#20), through the real binary: `summary --format csv`
// neutralises spreadsheet formulas (a leading single quote, OWASP's CSV-injection advice) and
// escapes control characters as the terminal output does; `summary --format json` escapes C1
// controls such as U+009B like every JSON writer; analyze's "Stored in" line is terminal-safe.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/run_binary.h"
#include "tests/support/temp_dir.h"

namespace fedtriage {
namespace {

const std::string kBundle =
    std::string(FEDTRIAGE_TESTDATA_DIR) + "/bundles/federation-failure.tar.gz";

// A case name that is a formula, carries an OSC 52 clipboard write and a C1 CSI.
const std::string kHostileCase =
    "=HYPERLINK(\"http://x\")\x1b]52;c;Y2FsYw==\x07\xc2\x9b"
    "2J";

bool has_raw_control(const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7f) return true;
    if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(s[i + 1]) <= 0x9f) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

TEST(SummaryExportSafety, CsvJsonAndStoredLineAreSafe) {
  testing::TempDir dir;
  const std::string db = dir.path() + "/s.db";
  // The good input under its own name, and the same bundle under a hostile case name.
  const auto good = testing::run_binary({"analyze", "--color", "never", "--db", db, kBundle});
  ASSERT_EQ(good.status, 0) << good.err;
  const auto a = testing::run_binary(
      {"analyze", "--color", "never", "--db", db, "--case", kHostileCase, kBundle});
  ASSERT_EQ(a.status, 0) << a.err;
  EXPECT_FALSE(has_raw_control(a.out)) << a.out;
  EXPECT_NE(a.out.find("(case =HYPERLINK(\"http://x\")\\x1b]52;c;Y2FsYw==\\x07\\xc2\\x9b2J)."),
            std::string::npos)
      << a.out;

  const auto csv = testing::run_binary({"summary", "--db", db, "--format", "csv"});
  ASSERT_EQ(csv.status, 0) << csv.err;
  EXPECT_FALSE(has_raw_control(csv.out));
  bool good_case = false, hostile_case = false;
  for (const std::string& line : lines_of(csv.out)) {
    if (line.starts_with("case,,,,federation-failure,")) good_case = true;
    if (line.starts_with("case,,,,")) {
      // No cell of a case row may start a formula.
      EXPECT_FALSE(line.substr(8).starts_with("=")) << line;
      EXPECT_FALSE(line.substr(8).starts_with("\"=")) << line;
    }
    if (line.starts_with(
            "case,,,,\"'=HYPERLINK(\"\"http://x\"\")\\x1b]52;c;Y2FsYw==\\x07\\xc2\\x9b2J\",")) {
      hostile_case = true;
    }
  }
  EXPECT_TRUE(good_case) << csv.out;
  EXPECT_TRUE(hostile_case) << csv.out;

  const auto js = testing::run_binary({"summary", "--db", db, "--format", "json"});
  ASSERT_EQ(js.status, 0) << js.err;
  EXPECT_FALSE(has_raw_control(js.out));
  EXPECT_NE(js.out.find("\\u009b"), std::string::npos);
  const auto parsed = nlohmann::json::parse(js.out, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded());
  bool found = false;
  for (const auto& c : parsed["per_case"])
    found |= c.dump().find("federation-failure") != std::string::npos;
  EXPECT_TRUE(found) << js.out;
  bool verbatim = false;  // the name itself is kept, only its JSON text is escaped
  for (const auto& c : parsed["per_case"]) verbatim |= c["case"] == kHostileCase;
  EXPECT_TRUE(verbatim) << js.out;
}

}  // namespace
}  // namespace fedtriage
