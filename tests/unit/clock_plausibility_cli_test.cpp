// Client clock offsets through the real binary (#20): an offset inferred beyond ±14 h is not
// applied; the note names the client file, the server file and the rejected offset. The same
// client log with its real clock is still aligned (+01:00).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/run_binary.h"
#include "tests/support/temp_dir.h"

namespace fedtriage {
namespace {

std::string testdata(const std::string& name) {
  std::ifstream in(std::string(FEDTRIAGE_TESTDATA_DIR) + "/" + name, std::ios::binary);
  std::ostringstream all;
  all << in.rdbuf();
  return all.str();
}

// Every "03/02/2017|08:" timestamp of the client log moved to 23:00 (+15 h: UTC+16:00).
std::string shifted_client() {
  std::string text = testdata("client/Lync-UccApi-0.UccApiLog");
  const std::string from = "03/02/2017|08:", to = "03/02/2017|23:";
  for (size_t p = 0; (p = text.find(from, p)) != std::string::npos; p += to.size()) {
    text.replace(p, from.size(), to);
  }
  return text;
}

TEST(ClockPlausibilityCli, ImplausibleOffsetIsNotAppliedAndNamed) {
  testing::TempDir dir;
  const std::string edge = dir.write("edge.log", testdata("edge/sfvedge_client_call.log"));
  const std::string good = dir.write("good.UccApiLog", testdata("client/Lync-UccApi-0.UccApiLog"));
  const auto ok = testing::run_binary({"analyze", "--no-db", "--format", "json", edge, good});
  ASSERT_EQ(ok.status, 0) << ok.err;
  EXPECT_NE((ok.out + ok.err).find("good.UccApiLog: client clock inferred as UTC+01:00"),
            std::string::npos)
      << ok.out << ok.err;

  testing::TempDir dir2;
  const std::string edge2 = dir2.write("edge.log", testdata("edge/sfvedge_client_call.log"));
  const std::string bad = dir2.write("bad.UccApiLog", shifted_client());
  const auto r = testing::run_binary({"analyze", "--no-db", "--format", "json", edge2, bad});
  ASSERT_NE(r.status, 1) << r.err;
  ASSERT_NE(r.status, 2) << r.err;
  const std::string all = r.out + r.err;
  EXPECT_NE(all.find("bad.UccApiLog: client clock offset UTC+16:00 inferred against"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("edge.log is implausible"), std::string::npos) << all;
  EXPECT_EQ(all.find("client clock inferred as"), std::string::npos) << all;
}

}  // namespace
}  // namespace fedtriage
