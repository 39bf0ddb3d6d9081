// A libpq connection for the PostgreSQL store: RAII over PGconn and PGresult, statements with
// text parameters, COPY. Private to lib/store/postgresql; libpq-fe.h stays in the .cpp.
//
// Every failure throws pg::Error saying what the server answered, never the password; a failed
// connection names the server (as displayable_db() shows it), a failed statement leaves that
// to the caller, which says what it was doing and where.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fedtriage::pg {

class Error : public std::runtime_error {
 public:
  Error(const std::string& message, std::string sqlstate = {})
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }  // "" when not from the server

 private:
  std::string sqlstate_;
};

// Text parameters ($1, $2, ...) of one statement; nullopt is SQL NULL.
class Params {
 public:
  Params& add(std::string_view v);
  Params& add(const std::string& v) { return add(std::string_view(v)); }
  Params& add(const char* v) { return add(std::string_view(v)); }
  Params& add(int64_t v);
  Params& add(uint64_t v) { return add(static_cast<int64_t>(v)); }
  Params& add(int v) { return add(static_cast<int64_t>(v)); }
  Params& add(std::optional<int64_t> v);
  Params& null();
  size_t size() const { return values_.size(); }
  const std::string& value(size_t i) const { return values_[i]; }
  bool is_null(size_t i) const { return nulls_[i]; }

 private:
  std::vector<std::string> values_;
  std::vector<bool> nulls_;
};

// One statement's rows; empty for commands.
class Result {
 public:
  Result() = default;
  explicit Result(void* res);  // takes a PGresult*
  ~Result();
  Result(Result&& other) noexcept;
  Result& operator=(Result&& other) noexcept;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;

  int rows() const;
  int columns() const;
  bool is_null(int row, int col) const;
  std::string text(int row, int col) const;  // "" for NULL
  int64_t int64(int row, int col) const;     // 0 for NULL
  uint64_t affected() const;                 // rows a command touched

 private:
  void* res_ = nullptr;
};

class Connection {
 public:
  // Connects with `url` (a postgresql:// URL; libpq adds PGHOST, PGPASSWORD, ~/.pgpass, ...).
  // `shown` is how messages name the server.
  Connection(const std::string& url, std::string shown);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const std::string& shown() const { return shown_; }

  Result exec(const std::string& sql);
  Result exec(const std::string& sql, const Params& params);

  // Statements sent together and answered together (libpq's pipeline mode): one round trip
  // for all of them. They must not need each other's results; the first error throws.
  struct Statement {
    std::string sql;
    Params params;
  };
  void exec_all(const std::vector<Statement>& statements);

  // COPY ... FROM STDIN (the last statement of `copy_sql`; earlier ones run first): begin, then put
  // rows (already in COPY text format), then end.
  void copy_begin(const std::string& copy_sql);
  void copy_put(std::string_view data);
  // Ends the COPY; returns the result of the last statement after it in `copy_sql`'s string.
  Result copy_end();

  bool in_transaction() const;
  // True once the server is gone (killed, restarted, the session terminated).
  bool lost() const;
  // Connects again with the same parameters; throws pg::Error when that fails.
  void reconnect();
  // ROLLBACK when a transaction is open; never throws (a lost connection has none left).
  void rollback_quietly() noexcept;

 private:
  [[noreturn]] void fail(const std::string& what, void* res) const;
  Result check(void* res, const char* what);

  void* conn_ = nullptr;
  std::string shown_;
  std::string password_;  // to scrub from the server's messages, should one ever echo it
};

}  // namespace fedtriage::pg
