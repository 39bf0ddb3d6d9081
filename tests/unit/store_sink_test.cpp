#include "lib/batch/store_sink.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "lib/analysis/analyzer.h"
#include "lib/rules/rule_set.h"
#include "lib/store/open_store.h"
#include "tests/support/collecting_sinks.h"
#include "tests/support/temp_dir.h"

namespace fedtriage {
namespace {

std::string data(const std::string& rel) {
  return std::string(FEDTRIAGE_TESTDATA_DIR) + "/" + rel;
}

const RuleSet& rules() {
  static const RuleSet set = RuleSet::embedded();
  return set;
}

// The StoreSink without prepare_call: every call's text is packed on the storing thread.
class UnpreparedSink : public AnalysisSink {
 public:
  explicit UnpreparedSink(StoreSink& s) : sink(s) {}
  bool on_inputs(const std::vector<InputRecord>& inputs, std::string* error) override {
    return sink.on_inputs(inputs, error);
  }
  bool on_call(const std::vector<Event>& events, const std::vector<size_t>& positions,
               const Call& call, const std::vector<Finding>& findings, Prepared* prepared,
               std::string* error) override {
    EXPECT_FALSE(prepared);
    return sink.on_call(events, positions, call, findings, nullptr, error);
  }
  void on_calls_done() override { sink.on_calls_done(); }
  bool on_conversations(const ConversationSet& c, std::string* error) override {
    return sink.on_conversations(c, error);
  }
  bool on_unattached(const std::vector<Event>& events, std::string* error) override {
    return sink.on_unattached(events, error);
  }
  StoreSink& sink;
};

// Rows of a query, one string per row.
std::vector<std::string> rows(const std::string& db, const std::string& sql) {
  sqlite3* h = nullptr;
  std::vector<std::string> out;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << db;
    sqlite3_close(h);
    return out;
  }
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(h, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sql;
  while (s && sqlite3_step(s) == SQLITE_ROW) {
    std::string row;
    for (int c = 0; c < sqlite3_column_count(s); ++c) {
      const unsigned char* t = sqlite3_column_text(s, c);
      row += (t ? reinterpret_cast<const char*>(t) : "NULL") + std::string("|");
    }
    out.push_back(row);
  }
  sqlite3_finalize(s);
  sqlite3_close(h);
  return out;
}

std::string analyse_into(const std::string& db, const std::string& input, bool prepared) {
  std::string error;
  auto store = open_store(db, &error);
  if (!store) return error;
  StoreSink sink(*store, "case", {}, WriteOptions{});
  UnpreparedSink unprepared(sink);
  testing::CollectingProblems problems;
  Analysis a;
  AnalysisSink* s = prepared ? static_cast<AnalysisSink*>(&sink) : &unprepared;
  if (!analyze({input}, IngestOptions{}, rules(), problems, s, a, &error)) return error;
  if (!sink.commit(&error)) return error;
  return "";
}

// Events without a Call-ID tied to several calls (TLS lines here) are written once, with the
// first call, whether their text was packed ahead on the explaining thread or not; the rows are
// the same either way.
TEST(StoreSink, PackingAheadStoresWhatPackingInlineStores) {
  testing::TempDir dir;
  const std::string input = data("scenarios/expressway-outbound-tls");
  const std::string ahead = dir.path() + "/ahead.db", inline_db = dir.path() + "/inline.db";
  ASSERT_EQ(analyse_into(ahead, input, true), "");
  ASSERT_EQ(analyse_into(inline_db, input, false), "");
  const std::string shared =
      "SELECT count(*) FROM (SELECT event_id FROM call_links GROUP BY event_id "
      "HAVING count(*) > 1)";
  ASSERT_NE(rows(ahead, shared), std::vector<std::string>{"0|"}) << "no shared event to test";
  for (const char* sql :
       {"SELECT id, input_id, line, kind, seq, call_id, text_id, text_at, raw_len FROM events "
        "ORDER BY id",
        "SELECT call_row, event_id, ordinal, reason FROM call_links ORDER BY 1, 2",
        "SELECT id, dict, hex(zstd) FROM event_texts ORDER BY id",
        "SELECT id, hex(dict) FROM raw_dicts ORDER BY id",
        "SELECT id, call_id, event_count, link_count, failed FROM calls ORDER BY id"}) {
    EXPECT_EQ(rows(ahead, sql), rows(inline_db, sql)) << sql;
  }
  const std::vector<std::string> events = rows(ahead, "SELECT count(*) FROM events");
  EXPECT_NE(events, std::vector<std::string>{"0|"});
}

}  // namespace
}  // namespace fedtriage
