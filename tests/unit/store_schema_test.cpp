#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "lib/store/open_store.h"

namespace fedtriage {
namespace {

// A file as version 1 wrote it: no source_files (v2), no conversations (v3), no cases.origin
// nor runs.owner (v4), no compressed raw text (v5), no calls.outcome (v6).
const char* const kBackToVersion1 =
    "DROP TABLE source_files; DROP TABLE conversations; DROP TABLE conversation_links; "
    "ALTER TABLE cases DROP COLUMN origin; ALTER TABLE runs DROP COLUMN owner; "
    "DROP TABLE raw_dicts; ALTER TABLE events DROP COLUMN raw_zstd; "
    "ALTER TABLE events DROP COLUMN raw_dict; CREATE INDEX events_file_line ON events(file, "
    "line); ALTER TABLE calls DROP COLUMN outcome; DROP TABLE event_texts; "
    "ALTER TABLE events DROP COLUMN text_id; ALTER TABLE events DROP COLUMN text_at; "
    "ALTER TABLE events DROP COLUMN raw_len; CREATE INDEX events_call_id ON events(call_id); "
    "UPDATE meta SET value = '1' WHERE key = 'schema_version';";

namespace fs = std::filesystem;

class StoreSchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("fedtriage_schema_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(dir_);
    path_ = (dir_ / "analysis.db").string();
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void exec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* message = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
        << (message ? message : "");
    sqlite3_free(message);
    sqlite3_close(db);
  }

  std::string contents() {
    std::ifstream in(path_, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(StoreSchemaTest, CreatesAndReopens) {
  std::string error;
  ASSERT_TRUE(open_store(path_, &error)) << error;
  auto again = fedtriage::open_store(path_, &error);
  ASSERT_TRUE(again) << error;
  auto summary = again->summary("", &error);
  ASSERT_TRUE(summary) << error;
  EXPECT_EQ(summary->calls, 0u);
}

TEST_F(StoreSchemaTest, AnEmptyFileBecomesADatabase) {
  std::ofstream(path_).close();
  std::string error;
  EXPECT_TRUE(open_store(path_, &error)) << error;
}

TEST_F(StoreSchemaTest, RefusesAFileThatIsNotSqlite) {
  const std::string text =
      "2017-03-02T07:10:46.240+00:00 vcse01 tvcs: UTCTime=\"2017-03-02 07:10:46,240\" "
      "Module=\"network.sip\" Level=\"INFO\" Action=\"Received\"\n";
  std::string big;
  for (int i = 0; i < 50; ++i) big += text;
  std::ofstream(path_, std::ios::binary) << big;
  std::string error;
  EXPECT_FALSE(open_store(path_, &error));
  EXPECT_NE(error.find("is not an SQLite database"), std::string::npos) << error;
  EXPECT_NE(error.find(path_), std::string::npos) << error;
  EXPECT_EQ(contents(), big);  // left exactly as it was
}

TEST_F(StoreSchemaTest, RefusesAnotherApplicationsDatabase) {
  exec("CREATE TABLE calls(x); INSERT INTO calls VALUES(1);");
  std::string before = contents();
  std::string error;
  EXPECT_FALSE(open_store(path_, &error));
  EXPECT_NE(error.find("another application"), std::string::npos) << error;
  EXPECT_EQ(contents(), before);
}

TEST_F(StoreSchemaTest, RefusesANewerSchema) {
  std::string error;
  ASSERT_TRUE(open_store(path_, &error)) << error;
  exec("UPDATE meta SET value = '" + std::to_string(Store::schema_version() + 1) +
       "' WHERE key = 'schema_version'");
  EXPECT_FALSE(open_store(path_, &error));
  EXPECT_NE(error.find("newer than this fedtriage supports"), std::string::npos) << error;
}

// A version 1 file (before source_files) is migrated in place, its data kept.
TEST_F(StoreSchemaTest, MigratesAnOlderSchema) {
  ASSERT_GE(Store::schema_version(), 2);
  std::string error;
  {
    auto store = fedtriage::open_store(path_, &error);
    ASSERT_TRUE(store) << error;
    ASSERT_TRUE(store->write_analysis("old", {}, {}, {}, {}, {}, &error)) << error;
  }
  exec(kBackToVersion1);
  auto store = fedtriage::open_store(path_, &error);
  ASSERT_TRUE(store) << error;
  ASSERT_EQ(store->list_cases(&error).size(), 1u) << error;
  EXPECT_FALSE(store->has_source(std::string(64, 'a'), "", &error));
  EXPECT_EQ(error, "");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &stmt,
                               nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))),
            std::to_string(Store::schema_version()));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(StoreSchemaTest, RefusesADamagedSchemaVersion) {
  std::string error;
  ASSERT_TRUE(open_store(path_, &error)) << error;
  exec("DELETE FROM meta WHERE key = 'schema_version'");
  EXPECT_FALSE(open_store(path_, &error));
  EXPECT_NE(error.find("schema_version is missing or damaged"), std::string::npos) << error;
}

// A read command of a newer build on an older file it may write migrates it; the data stays.
TEST_F(StoreSchemaTest, ReadCommandMigratesAnOlderFileItMayWrite) {
  std::string error;
  {
    auto store = fedtriage::open_store(path_, &error);
    ASSERT_TRUE(store) << error;
    ASSERT_TRUE(store->write_analysis("old", {}, {}, {}, {}, {}, &error)) << error;
  }
  exec(kBackToVersion1);
  StoreOptions reading;
  reading.read_only = true;
  auto store = fedtriage::open_store(path_, reading, &error);
  ASSERT_TRUE(store) << error;
  ASSERT_EQ(store->list_cases(&error).size(), 1u) << error;
  // Still a reader: it writes nothing else.
  EXPECT_EQ(store->begin_run({"x"}, &error), 0);
  EXPECT_NE(error.find("readonly"), std::string::npos) << error;
}

TEST_F(StoreSchemaTest, MustExistWhenNotCreating) {
  StoreOptions options;
  options.create = false;
  std::string error;
  EXPECT_FALSE(open_store(path_, options, &error));
  EXPECT_NE(error.find("No such file or directory (analyze creates the database)"),
            std::string::npos)
      << error;
  EXPECT_FALSE(fs::exists(path_));
  options.read_only = true;  // read commands: the same
  EXPECT_FALSE(open_store(path_, options, &error));
  EXPECT_NE(error.find("No such file"), std::string::npos) << error;
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(StoreSchemaTest, ADirectoryIsNoDatabase) {
  std::string error;
  EXPECT_FALSE(open_store(dir_.string(), &error));
  EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace fedtriage
