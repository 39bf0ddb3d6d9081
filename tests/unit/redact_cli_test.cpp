// `fedtriage redact` end to end on the real binary: for every scenario in testdata/, the
// redacted copy gives the same findings as the original, and none of the originals the map
// lists (domains, hosts, addresses, users, names) nor any secret remains in it, archives
// included. Also: the refusals of the command line and the reuse of a map.
#include <gtest/gtest.h>

#include <archive.h>
#include <archive_entry.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "lib/input/input_walker.h"
#include "tests/support/collecting_sinks.h"
#include "tests/support/run_binary.h"

namespace fedtriage {
namespace {

namespace fs = std::filesystem;

struct RunResult {
  int status = -1;
  std::string out, err;
};

RunResult run(const std::vector<std::string>& args, const fs::path& dir) {
  const std::string out = (dir / "stdout").string(), err = (dir / "stderr").string();
  const pid_t pid = testing::start_binary(args, out, err);
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, testing::read_file(out),
          testing::read_file(err)};
}

// What must not change: summary counts, per call the times, status and findings (rule and
// `relation`), per input its format and counts. Names and Call-IDs may change (redacted).
std::string diagnosis(const std::string& json_text) {
  const nlohmann::json j = nlohmann::json::parse(json_text);
  std::ostringstream out;
  nlohmann::json summary = j["summary"];
  out << summary.dump() << "\n";
  std::vector<std::string> calls;
  for (const auto& c : j["calls"]) {
    std::vector<std::string> findings;
    for (const auto& f : c["findings"]) {
      std::string relation = "-";
      if (f.contains("fields") && f["fields"].contains("relation")) {
        relation = f["fields"]["relation"].dump();
      }
      findings.push_back(f["rule"].get<std::string>() + "/" + relation);
    }
    std::sort(findings.begin(), findings.end());
    std::ostringstream line;
    line << c["first"].dump() << " " << c["last"].dump() << " " << c["final_status"].dump() << " "
         << c["method"].dump() << " events=" << c["events"] << " sip=" << c["sip_messages"]
         << " sources=" << c["sources"].dump() << " findings=";
    for (const auto& f : findings) line << f << ",";
    calls.push_back(line.str());
  }
  std::sort(calls.begin(), calls.end());
  for (const auto& c : calls) out << c << "\n";
  std::vector<std::string> inputs;
  for (const auto& i : j["inputs"]) {
    inputs.push_back(i["format"].dump() + " events=" + i["events"].dump() +
                     " lines=" + i["lines"].dump() + " skipped=" + i["skipped"].dump() +
                     " problems=" + std::to_string(i["problems"].size()));
  }
  std::sort(inputs.begin(), inputs.end());
  for (const auto& i : inputs) out << i << "\n";
  return out.str();
}

// Every plain file under `root`, archives expanded by the project's own input layer
// (libarchive), with its display name; and the archive types met on the way.
struct Contents : LeafHandler {
  std::vector<std::pair<std::string, std::string>> files;
  std::map<std::string, std::pair<std::vector<int>, int>> archives;
  void on_leaf(const std::string& name, ByteSource& source) override {
    std::string data;
    char buf[65536];
    for (ssize_t n; (n = source.read(buf, sizeof buf)) > 0;) data.append(buf, n);
    files.emplace_back(name, std::move(data));
  }
  void on_archive_begin(const std::string& name, const std::vector<int>& filters,
                        int format) override {
    archives[name] = {filters, format & ARCHIVE_FORMAT_BASE_MASK};
  }
};

Contents read_all(const fs::path& root) {
  Contents c;
  testing::CollectingProblems problems;
  walk_inputs({root.string()}, WalkOptions{}, c, problems);
  return c;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// Occurrences of `needle` in `hay` that stand as a whole token (a longer word or number that
// merely contains it does not count), for the given kind of identifier.
bool occurs(const std::string& hay, const std::string& needle, const std::string& kind) {
  if (needle.empty()) return false;
  for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) {
    const char before = p > 0 ? hay[p - 1] : ' ';
    const size_t e = p + needle.size();
    const char after = e < hay.size() ? hay[e] : ' ';
    if (kind == "domain" &&
        (is_alnum(before) || before == '-' || is_alnum(after) || after == '-')) {
      continue;
    }
    if ((kind == "ip4" || kind == "phone") &&
        (std::isdigit(static_cast<unsigned char>(before)) || before == '.' ||
         std::isdigit(static_cast<unsigned char>(after)) ||
         (after == '.' && e + 1 < hay.size() &&
          std::isdigit(static_cast<unsigned char>(hay[e + 1]))))) {
      continue;
    }
    if (kind == "ip6" && (std::isxdigit(static_cast<unsigned char>(before)) || before == ':' ||
                          std::isxdigit(static_cast<unsigned char>(after)) || after == ':')) {
      continue;
    }
    if (kind == "user" && (is_alnum(before) || before == '.' || before == '-' || before == '_')) {
      continue;
    }
    return true;
  }
  return false;
}

struct MapEntry {
  std::string kind, original, pseudonym;
};

std::vector<MapEntry> read_map(const fs::path& path) {
  std::vector<MapEntry> entries;
  std::istringstream in(testing::read_file(path.string()));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    size_t a = line.find('\t'), b = line.find('\t', a + 1);
    if (b == std::string::npos) continue;
    entries.push_back({line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1)});
  }
  return entries;
}

// The leaks, as "kind original in file" lines. Users are searched as "user@" (where they
// identify someone: a bare word such as "partner" also appears in reason phrases).
std::vector<std::string> leaks(const fs::path& out_dir, const std::vector<MapEntry>& map,
                               const std::vector<std::string>& secrets) {
  std::vector<std::string> found;
  const Contents contents = read_all(out_dir);
  for (const auto& [name, data] : contents.files) {
    const std::string text = name + "\n" + data;
    const std::string low = lower(text);
    for (const MapEntry& e : map) {
      if (e.kind == "keep" || e.kind == "ip4net" || e.original.find('\\') != std::string::npos) {
        continue;
      }
      bool hit = false;
      if (e.kind == "domain") {
        hit = occurs(low, lower(e.original), "domain");
      } else if (e.kind == "user") {
        hit = occurs(text, e.original + "@", "user");
      } else {
        hit = occurs(text, e.original, e.kind);
      }
      if (hit) found.push_back(e.kind + " " + e.original + " in " + name);
    }
    for (const std::string& s : secrets) {
      if (text.find(s) != std::string::npos) found.push_back("secret " + s + " in " + name);
    }
  }
  return found;
}

class RedactCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("fedtriage-redact-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Redacts `input` into a fresh folder; returns the folder.
  fs::path redact(const fs::path& input, const std::string& name,
                  std::vector<std::string> extra = {}) {
    const fs::path out = dir_ / name;
    std::vector<std::string> args = {"-q", "redact", input.string(), "-o", out.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    const RunResult r = run(args, dir_);
    EXPECT_EQ(r.status, 0) << input << "\n" << r.err;
    return out;
  }

  void expect_same_diagnosis(const fs::path& original, const fs::path& copy) {
    const RunResult a = run({"analyze", "--no-db", "--format", "json", original.string()}, dir_);
    const RunResult b = run({"analyze", "--no-db", "--format", "json", copy.string()}, dir_);
    EXPECT_EQ(a.status, b.status) << original;
    ASSERT_FALSE(a.out.empty()) << a.err;
    ASSERT_FALSE(b.out.empty()) << b.err;
    EXPECT_EQ(diagnosis(a.out), diagnosis(b.out)) << original;
  }

  fs::path dir_;
};

std::vector<fs::path> scenarios() {
  const fs::path data = FEDTRIAGE_TESTDATA_DIR;
  std::vector<fs::path> out;
  for (const char* group : {"bundles", "scenarios"}) {
    for (const auto& e : fs::directory_iterator(data / group)) out.push_back(e.path());
  }
  // The per-product folders are real-world layouts too.
  for (const char* folder : {"expressway", "edge", "client", "hostile", "report"}) {
    out.push_back(data / folder);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST_F(RedactCli, EveryScenarioKeepsItsDiagnosisAndLeaksNothing) {
  int n = 0;
  for (const fs::path& scenario : scenarios()) {
    SCOPED_TRACE(scenario.string());
    const std::string name = "out" + std::to_string(++n);
    const fs::path out = redact(scenario, name);
    ASSERT_TRUE(fs::exists(out / scenario.filename().string()) || !fs::is_empty(out));
    const fs::path copy = out / fs::directory_iterator(out)->path().filename();
    expect_same_diagnosis(scenario, copy);
    const fs::path map = dir_ / (name + ".map.tsv");
    ASSERT_TRUE(fs::exists(map));
    const std::vector<MapEntry> entries = read_map(map);
    EXPECT_GT(entries.size(), 11u);  // more than the kept vendor domains
    const std::vector<std::string> found = leaks(out, entries, {});
    EXPECT_TRUE(found.empty()) << ::testing::PrintToString(found);
    // The search itself works: it finds the originals in the original.
    EXPECT_FALSE(leaks(scenario, entries, {}).empty());
  }
}

// The verdicts of the SRV rule (subdomain vs different domain) survive, explicitly.
TEST_F(RedactCli, SrvDomainRelationsSurvive) {
  const fs::path bundle = fs::path(FEDTRIAGE_TESTDATA_DIR) / "bundles/federation-failure.tar.gz";
  const fs::path out = redact(bundle, "out");
  const RunResult r =
      run({"analyze", "--no-db", "--format", "json", (out / "federation-failure.tar.gz").string()},
          dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  std::vector<std::string> relations;
  const nlohmann::json report = nlohmann::json::parse(r.out);
  for (const auto& c : report["calls"]) {
    for (const auto& f : c["findings"]) {
      if (f["rule"] == "srv-domain-mismatch") relations.push_back(f["fields"]["relation"]);
    }
  }
  std::sort(relations.begin(), relations.end());
  EXPECT_EQ(relations, (std::vector<std::string>{"different-domain", "subdomain"}));
}

// Writes an archive of `format` with `filters`: each (name, data) member.
void write_archive(const fs::path& path, int format, int filter,
                   const std::vector<std::pair<std::string, std::string>>& members) {
  struct archive* a = archive_write_new();
  if (filter != ARCHIVE_FILTER_NONE) archive_write_add_filter(a, filter);
  archive_write_set_format(a, format);
  ASSERT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK);
  for (const auto& [name, data] : members) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
    archive_write_header(a, e);
    archive_write_data(a, data.data(), data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
}

// Secrets inside a zip inside a tar.gz: removed; the archive types are kept; the diagnosis too.
TEST_F(RedactCli, SecretsAreRemovedInsideNestedArchives) {
  const fs::path data = FEDTRIAGE_TESTDATA_DIR;
  std::string client =
      testing::read_file((data / "scenarios/ms-diag-1034/Lync-UccApi-0.UccApiLog").string());
  const std::vector<std::string> secrets = {
      "TlRMTVNTUAADAAAAGAAYAHgAAAA", "3B8AF2C1", "9f8e7d6c5b4a", "hunter2",
      "YIIFzwYJKoZIhvcSAQICAQBuggW", "5f4e3d2c"};
  const std::string headers =
      "Proxy-Authorization: NTLM qop=\"auth\", realm=\"SIP Communications Service\", "
      "opaque=\"3B8AF2C1\", targetname=\"sip/edge.contoso.com\", "
      "gssapi-data=\"TlRMTVNTUAADAAAAGAAYAHgAAAA=\", version=4\n"
      "Authorization: Kerberos gssapi-data=\"YIIFzwYJKoZIhvcSAQICAQBuggW+\"\n"
      "Authentication-Info: TLS-DSK qop=\"auth\", opaque=\"9f8e7d6c5b4a\", srand=\"1A2B\", "
      "snum=\"12\", rspauth=\"5f4e3d2c\", targetname=\"sip.contoso.com\"\n";
  for (size_t p = client.find("\nCSeq: "); p != std::string::npos;
       p = client.find("\nCSeq: ", p + headers.size() + 2)) {
    client.insert(client.find('\n', p + 1) + 1, headers);
  }
  std::string expressway =
      testing::read_file((data / "scenarios/unexplained-504/vcse_diagnostic_log.txt").string());
  expressway +=
      "2017-03-02T08:12:00.000+01:00 vcse tvcs: UTCTime=\"2017-03-02 07:12:00,000\" "
      "Module=\"developer.config\" Level=\"INFO\": Detail=\"ldap bind\" Password=\"hunter2\"\n";
  const fs::path in = dir_ / "in";
  fs::create_directories(in);
  const fs::path zip = dir_ / "client-logs.zip";
  write_archive(zip, ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE,
                {{"Lync-UccApi-0.UccApiLog", client}});
  write_archive(in / "case-4711.tar.gz", ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_GZIP,
                {{"case/client/client-logs.zip", testing::read_file(zip.string())},
                 {"case/expressway/vcse_diagnostic_log.txt", expressway}});

  const fs::path out = redact(in / "case-4711.tar.gz", "out");
  const fs::path copy = out / "case-4711.tar.gz";
  ASSERT_TRUE(fs::exists(copy));
  expect_same_diagnosis(in / "case-4711.tar.gz", copy);
  const std::vector<MapEntry> entries = read_map(dir_ / "out.map.tsv");
  const std::vector<std::string> found = leaks(out, entries, secrets);
  EXPECT_TRUE(found.empty()) << ::testing::PrintToString(found);
  EXPECT_GE(leaks(in, {}, secrets).size(), secrets.size());  // they were there to begin with

  // Re-packed as the same types: gzip + tar outside, zip inside.
  const Contents c = read_all(out);
  ASSERT_EQ(c.archives.size(), 2u);
  for (const auto& [name, kind] : c.archives) {
    if (name.ends_with(".zip")) {
      EXPECT_EQ(kind.second, ARCHIVE_FORMAT_ZIP) << name;
    } else {
      EXPECT_EQ(kind.first, std::vector<int>{ARCHIVE_FILTER_GZIP}) << name;
      EXPECT_EQ(kind.second, ARCHIVE_FORMAT_TAR) << name;
    }
  }
  EXPECT_EQ(c.files.size(), 2u);
}

TEST_F(RedactCli, MapIsReusedSoThatBundlesRedactAlike) {
  const fs::path data = FEDTRIAGE_TESTDATA_DIR;
  const fs::path map = dir_ / "customer.map.tsv";
  redact(data / "scenarios/tls-failure", "first", {"--map", map.string()});
  const std::string first_map = testing::read_file(map.string());
  redact(data / "scenarios/tls-failure", "second", {"--map", map.string()});
  EXPECT_EQ(testing::read_file(map.string()), first_map);  // nothing new to map
  const Contents a = read_all(dir_ / "first"), b = read_all(dir_ / "second");
  ASSERT_EQ(a.files.size(), 1u);
  ASSERT_EQ(b.files.size(), 1u);
  EXPECT_EQ(a.files[0].second, b.files[0].second);
  EXPECT_NE(a.files[0].second.find("Module=\"network.sip\""), std::string::npos);
}

TEST_F(RedactCli, KeptDomainsStay) {
  const fs::path data = FEDTRIAGE_TESTDATA_DIR;
  const fs::path out =
      redact(data / "scenarios/tls-failure", "out", {"--keep", "example.net,fabrikam.com"});
  const Contents c = read_all(out);
  ASSERT_EQ(c.files.size(), 1u);
  // The domain stays; its users are still pseudonymised.
  EXPECT_NE(c.files[0].second.find("@fabrikam.com"), std::string::npos);
  EXPECT_EQ(c.files[0].second.find("dana@"), std::string::npos);
}

TEST_F(RedactCli, RefusesUnsafeOutputsAndReportsBadInputs) {
  const fs::path data = FEDTRIAGE_TESTDATA_DIR;
  const fs::path scenario = data / "scenarios/tls-failure";
  // A non-empty output folder.
  fs::create_directories(dir_ / "full");
  std::ofstream(dir_ / "full/x") << "x";
  EXPECT_EQ(run({"redact", scenario.string(), "-o", (dir_ / "full").string()}, dir_).status, 2);
  // An output folder inside an input.
  const fs::path in = dir_ / "in";
  fs::create_directories(in);
  fs::copy(scenario, in);
  EXPECT_EQ(run({"redact", in.string(), "-o", (in / "copy").string()}, dir_).status, 2);
  EXPECT_FALSE(fs::exists(in / "copy"));
  // The map inside the output folder.
  EXPECT_EQ(run({"redact", scenario.string(), "-o", (dir_ / "o").string(), "--map",
                 (dir_ / "o/map.tsv").string()},
                dir_)
                .status,
            2);
  // An unreadable input is reported with its name; the others are written; status 3.
  const RunResult r = run({"redact", (dir_ / "missing.log").string(), scenario.string(), "-o",
                           (dir_ / "partial").string()},
                          dir_);
  EXPECT_EQ(r.status, 3);
  EXPECT_NE(r.err.find("missing.log"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(dir_ / "partial/tls-failure"));
  EXPECT_TRUE(fs::exists(dir_ / "partial.map.tsv"));
}

}  // namespace
}  // namespace fedtriage
