// Test helper: runs one query with a plain sqlite3 connection, as a support engineer would,
// and returns the rows as "a|b|c" strings (NULL as "NULL").
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

namespace fedtriage::testing {

inline std::vector<std::string> query_rows(const std::string& path, const std::string& sql,
                                           int open_flags = SQLITE_OPEN_READWRITE) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, open_flags, nullptr), SQLITE_OK);
  std::vector<std::string> rows;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
  EXPECT_EQ(rc, SQLITE_OK) << sqlite3_errmsg(db) << "\n" << sql;
  while (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      if (i) row += '|';
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      row += text ? std::string(text, sqlite3_column_bytes(stmt, i)) : "NULL";
    }
    rows.push_back(row);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

}  // namespace fedtriage::testing
