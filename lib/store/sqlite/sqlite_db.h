// Thin RAII layer over the SQLite C API, private to lib/store. Errors are exceptions here so
// that transaction code stays linear; the public store API turns them into error strings.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace fedtriage::sql {

class Error : public std::runtime_error {
 public:
  Error(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }  // primary SQLite result code
  bool busy() const;                  // SQLITE_BUSY or SQLITE_LOCKED: worth a retry

 private:
  int code_;
};

class Stmt {
 public:
  Stmt(sqlite3* db, std::string_view sql);  // throws Error
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Positions are 1-based, as in SQLite.
  Stmt& bind(int pos, int64_t value);
  Stmt& bind(int pos, int value) { return bind(pos, static_cast<int64_t>(value)); }
  Stmt& bind(int pos, uint64_t value);  // throws when above INT64_MAX
  Stmt& bind(int pos, std::string_view value);
  Stmt& bind(int pos, const std::string& value) { return bind(pos, std::string_view(value)); }
  Stmt& bind(int pos, const char* value) { return bind(pos, std::string_view(value)); }
  Stmt& bind(int pos, std::nullptr_t);
  Stmt& bind_blob(int pos, std::string_view bytes);
  // Binds text without copying it: the caller keeps the bytes alive and unchanged until the
  // statement has run (the hot path of storing events binds an event's own strings).
  Stmt& bind_unowned(int pos, std::string_view value);
  Stmt& bind(int pos, std::optional<int64_t> value);

  // Binds every argument in order from position 1.
  template <typename... Args>
  Stmt& bind_all(const Args&... args) {
    int pos = 0;
    (bind(++pos, args), ...);
    return *this;
  }

  bool step();   // true: a row is ready; false: done. Throws Error.
  void run();    // steps to completion, ignoring rows
  void reset();  // ready for new bindings
  // Ready to run again with the same bindings, some of which the caller then replaces: for a
  // statement whose every parameter is bound again each time.
  void rewind();

  bool is_null(int col) const;
  int64_t int64(int col) const;
  std::string text(int col) const;  // exact bytes, embedded NULs included
  std::string blob(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Db {
 public:
  enum class Mode {
    ReadWrite,  // an existing file
    Create,     // created when missing
    ReadOnly,   // never written; still sees other connections' commits (needs the -shm file)
    Immutable,  // read as a file nobody changes: no locks, no -shm (a read-only folder)
  };
  // Opens the file. Throws Error.
  Db(const std::string& path, Mode mode);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(const char* sql);  // one or more statements without parameters
  // A statement prepared once per connection, reset and with bindings cleared.
  Stmt& prepare(const char* sql);
  int64_t scalar_int(const char* sql);  // first column of the first row, 0 when no row
  bool in_transaction() const;
  bool read_only() const;  // opened read-only, or the file could not be opened for writing
  int64_t last_insert_rowid() const;
  void rollback_quietly();  // never throws; no-op outside a transaction
  // Writes the cache's dirty pages out (to the WAL, still inside the transaction) and frees
  // the cache. Never throws: at worst the memory stays held.
  void release_memory();

  // Runs `body` inside BEGIN IMMEDIATE .. COMMIT. Takes the write lock up front so that a
  // waiting writer queues on busy_timeout instead of failing on a lock upgrade; on SQLITE_BUSY
  // the whole body is retried. Any exception rolls back and propagates.
  template <typename F>
  void write_transaction(F&& body) {
    for (int attempt = 0;; ++attempt) {
      try {
        exec("BEGIN IMMEDIATE");
        body();
        exec("COMMIT");
        return;
      } catch (const Error& e) {
        rollback_quietly();
        if (!e.busy() || attempt >= kBusyRetries) throw;
        backoff(attempt);
      } catch (...) {
        rollback_quietly();
        throw;
      }
    }
  }

  // Runs `body` again (after a short wait) while it fails with SQLITE_BUSY: readers can meet
  // it too, e.g. while another connection switches a fresh file to WAL or recovers it.
  template <typename F>
  void retry_busy(F&& body) {
    for (int attempt = 0;; ++attempt) {
      try {
        body();
        return;
      } catch (const Error& e) {
        rollback_quietly();
        if (!e.busy() || attempt >= kBusyRetries) throw;
        backoff(attempt);
      }
    }
  }

  sqlite3* handle() const { return db_; }

 private:
  static constexpr int kBusyRetries = 5;
  static void backoff(int attempt);

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<Stmt>> cache_;
};

// Throws Error built from the connection's last message when rc is not OK/ROW/DONE.
void check(sqlite3* db, int rc, std::string_view what);

}  // namespace fedtriage::sql
