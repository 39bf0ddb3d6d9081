// Inputs that used to be lost or misreported, on the real binary (#20): a rotated client log
// that starts mid-message, an archive of encrypted members only, a full temporary folder; and a
// stored bundle analysed again (#18).
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "tests/support/collecting_sinks.h"
#include "tests/support/run_binary.h"
#include "tests/support/temp_dir.h"

namespace fedtriage {
namespace {

using testing::run_binary;

const std::string kTestdata = FEDTRIAGE_TESTDATA_DIR;

// More than 64 KiB of one large message's continuation lines, then a whole client log.
std::string rotated_client_log() {
  std::string text;
  for (int i = 0; i < 1200; ++i) {
    text += "<line" + std::to_string(i) + ">continuation of a large XML body " +
            std::string(40, 'x') + "</line" + std::to_string(i) + ">\n";
  }
  return text +
         testing::read_file(kTestdata + "/scenarios/srv-record-missing/Lync-UccApi-0.UccApiLog");
}

TEST(InputRecognition, RotatedClientLogIsReadByItsName) {
  testing::TempDir dir;
  const std::string text = rotated_client_log();
  ASSERT_GT(text.find("UccApi"), size_t{64} << 10);  // nothing to recognise in the head
  const std::string rotated = dir.write("Lync-UccApi-1.UccApilog", text);
  const testing::BinaryRun r = run_binary({"analyze", "--no-db", "-v", rotated});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("srv-record-missing"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("named like a client log"), std::string::npos) << r.err;
  // The same bytes under a name no product uses: nothing to recognise, a note (-v).
  const std::string other = dir.write("notes.txt", text);
  const testing::BinaryRun o = run_binary({"analyze", "--no-db", "-v", other});
  EXPECT_EQ(o.status, 1);
  EXPECT_NE(o.err.find("skipped: no Expressway tvcs lines"), std::string::npos) << o.err;
}

// SIP messages in a layout no parser knows are not dropped with a note alone.
TEST(InputRecognition, SipInAnUnknownLayoutIsAWarning) {
  testing::TempDir dir;
  const std::string sip =
      dir.write("capture.txt",
                "INVITE sip:bob@fabrikam.com SIP/2.0\nCall-ID: 1234@host\nCSeq: 1 INVITE\n\n"
                "SIP/2.0 504 Server time-out\nCall-ID: 1234@host\nCSeq: 1 INVITE\n\n");
  const std::string good = kTestdata + "/scenarios/tls-failure/loggingsnapshot_expe_2019-06-13.txt";
  const testing::BinaryRun r = run_binary({"analyze", "--no-db", sip, good});  // one case
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.err.find("warning: " + sip + ": skipped: no Expressway tvcs lines"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("(it holds SIP messages: a log in a layout fedtriage does not know?)"),
            std::string::npos)
      << r.err;
  // A file without SIP (a README) stays a note: status 0.
  const std::string readme = dir.write("README.txt", "Collected logs for ticket 123.\n");
  const testing::BinaryRun plain = run_binary({"analyze", "--no-db", readme, good});
  EXPECT_EQ(plain.status, 0) << plain.err;
}

la_ssize_t append(struct archive*, void* out, const void* buf, size_t n) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(buf), n);
  return static_cast<la_ssize_t>(n);
}

TEST(InputRecognition, ArchiveOfEncryptedMembersOnlySaysSo) {
  std::string zip;
  struct archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  if (archive_write_set_options(a, "zip:encryption=zipcrypt") != ARCHIVE_OK ||
      archive_write_set_passphrase(a, "secret") != ARCHIVE_OK) {
    archive_write_free(a);
    GTEST_SKIP() << "this libarchive cannot write encrypted zip members";
  }
  ASSERT_EQ(archive_write_open(a, &zip, nullptr, append, nullptr), ARCHIVE_OK);
  const std::string log = testing::read_file(kTestdata + "/expressway/federation_504.log");
  struct archive_entry* e = archive_entry_new();
  archive_entry_set_pathname(e, "expressway.log");
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_perm(e, 0644);
  archive_entry_set_size(e, static_cast<la_int64_t>(log.size()));
  ASSERT_EQ(archive_write_header(a, e), ARCHIVE_OK) << archive_error_string(a);
  archive_write_data(a, log.data(), log.size());
  archive_entry_free(e);
  archive_write_close(a);
  archive_write_free(a);

  testing::TempDir dir;
  const std::string path = dir.write("bundle.zip", zip);
  const testing::BinaryRun r = run_binary({"analyze", "--no-db", path});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("every file in the archive is encrypted (1)"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("holds no files"), std::string::npos) << r.err;
}

TEST(InputRecognition, StoredBundleAnalysedAgainPrintsItsStoredReport) {
  testing::TempDir dir;
  const std::string db = dir.path() + "/t.db";
  const std::string bundle = kTestdata + "/scenarios/tls-failure";
  ASSERT_EQ(run_binary({"analyze", "--db", db, bundle}).status, 0);
  const testing::BinaryRun again = run_binary({"analyze", "--db", db, bundle});
  EXPECT_EQ(again.status, 0) << again.err;
  EXPECT_NE(again.out.find("already stored"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("Read from the database"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("9a8b7c6d-1111-2222-3333-444455556666"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("Root cause: "), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("[tls-negotiation-failure]"), std::string::npos) << again.out;
  // The same to-do as the first analysis: one TLS item for the peer.
  EXPECT_NE(again.out.find("To do for this case (1 item)\n  1. [tls] Fix TLS between the "
                           "Expressway and 198.51.100.5"),
            std::string::npos)
      << again.out;
}

// A full temporary folder is named as such, not taken for the database's disk.
TEST(InputRecognition, FullTemporaryFolderIsNamed) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to mount a small tmpfs";
  testing::TempDir dir;
  const std::string small = dir.path() + "/small-tmp";
  ::mkdir(small.c_str(), 0700);
  if (::mount("tmpfs", small.c_str(), "tmpfs", 0, "size=64k") != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs here (no CAP_SYS_ADMIN)";
  }
  std::string big;  // a few MB of events: more than the 64 KiB temporary folder holds
  const std::string log = testing::read_file(kTestdata + "/expressway/federation_504.log");
  while (big.size() < (4u << 20)) big += log;
  const std::string input = dir.write("expressway.log", big);
  const testing::BinaryRun r =
      testing::run_shell("TMPDIR=" + small + " \"" FEDTRIAGE_BINARY "\" analyze --db " +
                         dir.path() + "/t.db " + input);
  const std::string& out = r.out;
  ::umount(small.c_str());
  EXPECT_NE(r.status, 0) << out;
  EXPECT_TRUE(out.find("$TMPDIR") != std::string::npos ||
              out.find("temporary folder " + small) != std::string::npos)
      << out;
}

// A read command run where there is no database says where it looked and how to name one.
TEST(InputRecognition, ReadCommandWithoutDatabaseHintsAtDb) {
  testing::TempDir dir;
  const testing::BinaryRun r = testing::run_shell(
      "cd " + dir.path() + " && env -u FEDTRIAGE_DB \"" FEDTRIAGE_BINARY "\" show abc");
  const std::string& out = r.out;
  EXPECT_EQ(r.status, 1) << out;
  EXPECT_NE(out.find("no --db given: fedtriage looked for fedtriage.db in this folder; give --db "
                     "PATH, or set FEDTRIAGE_DB"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace fedtriage
