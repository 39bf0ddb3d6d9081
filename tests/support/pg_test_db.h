// Test helper: a database of its own for each test on the PostgreSQL server that
// scripts/pg-test-server.sh started (its URL in $FEDTRIAGE_TEST_PG; scripts/run-tests.sh
// starts it around ctest). Tests skip when it is unset. Own databases let ctest -j run them
// in parallel.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "lib/store/postgresql/pg_connection.h"

namespace fedtriage::testing {

inline const char* pg_test_server() {
  const char* url = std::getenv("FEDTRIAGE_TEST_PG");
  return url && *url ? url : nullptr;
}

#define FEDTRIAGE_NEED_PG()                                                                 \
  do {                                                                                      \
    if (!::fedtriage::testing::pg_test_server())                                            \
      GTEST_SKIP() << "FEDTRIAGE_TEST_PG is not set: no PostgreSQL test server (start one " \
                      "with scripts/pg-test-server.sh, or run scripts/run-tests.sh)";       \
  } while (0)

// `url` naming database `name` instead (postgresql://USER:PW@HOST:PORT/DB[?...]).
inline std::string with_database(const std::string& url, const std::string& name) {
  const size_t host = url.find("://") + 3;
  const size_t slash = url.find('/', host);
  const size_t query = url.find('?', host);
  std::string out = url.substr(0, slash == std::string::npos ? query : slash) + "/" + name;
  if (query != std::string::npos) out += url.substr(query);
  return out;
}

// Rows as "a|b|c" (NULL as "NULL").
inline std::vector<std::string> pg_rows(const std::string& url, const std::string& sql) {
  pg::Connection db(url, "test server");
  pg::Result r = db.exec(sql);
  std::vector<std::string> rows;
  for (int i = 0; i < r.rows(); ++i) {
    std::string row;
    for (int c = 0; c < r.columns(); ++c) {
      if (c) row += '|';
      row += r.is_null(i, c) ? std::string("NULL") : r.text(i, c);
    }
    rows.push_back(row);
  }
  return rows;
}

// A fresh, empty database, dropped at the end.
class PgTestDb {
 public:
  PgTestDb() {
    static std::atomic<int> counter{0};
    std::random_device rd;
    name_ = "ft_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
            std::to_string(rd() % 100000);
    admin_ = pg_test_server();
    pg::Connection(admin_, "test server").exec("CREATE DATABASE " + name_);
    url_ = with_database(admin_, name_);
  }
  ~PgTestDb() {
    try {
      pg::Connection(admin_, "test server")
          .exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
    }
  }
  PgTestDb(const PgTestDb&) = delete;
  PgTestDb& operator=(const PgTestDb&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }
  const std::string& admin_url() const { return admin_; }

 private:
  std::string admin_, name_, url_;
};

}  // namespace fedtriage::testing
