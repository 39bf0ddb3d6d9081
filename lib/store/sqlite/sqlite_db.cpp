#include "lib/store/sqlite/sqlite_db.h"

#include <sqlite3.h>
#include <sys/statvfs.h>

#include <chrono>
#include <cstdlib>
#include <limits>
#include <thread>

namespace fedtriage::sql {

bool Error::busy() const {
  return code_ == SQLITE_BUSY || code_ == SQLITE_LOCKED;
}

namespace {

// Which disk is full: SQLite says "database or disk is full" also when its temporary files
// (sorts, temp tables) find $TMPDIR full while the database's own disk has room.
std::string full_disk_hint(sqlite3* db) {
  const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
  if (file == nullptr || *file == '\0') return "";
  std::string folder = file;
  const size_t slash = folder.rfind('/');
  folder = slash == std::string::npos ? "." : slash == 0 ? "/" : folder.substr(0, slash);
  auto free_bytes = [](const std::string& path) -> int64_t {
    struct statvfs st {};
    if (::statvfs(path.c_str(), &st) != 0) return -1;
    return static_cast<int64_t>(st.f_bavail) * static_cast<int64_t>(st.f_frsize);
  };
  const char* env = std::getenv("SQLITE_TMPDIR");
  if (env == nullptr || *env == '\0') env = std::getenv("TMPDIR");
  const std::string temp = env != nullptr && *env != '\0' ? env : "/tmp";
  const int64_t db_free = free_bytes(folder), temp_free = free_bytes(temp);
  if (db_free > (int64_t{64} << 20) && temp_free >= 0 && temp_free < (int64_t{64} << 20)) {
    return " (the database's disk has room; the temporary folder " + temp + " is full: free " +
           "space there or set TMPDIR to a folder with room)";
  }
  return "";
}

}  // namespace

void check(sqlite3* db, int rc, std::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
  std::string message(what);
  message += ": ";
  message += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if ((rc & 0xff) == SQLITE_FULL) message += full_disk_hint(db);
  throw Error(rc & 0xff, message);
}

Stmt::Stmt(sqlite3* db, std::string_view sql) : db_(db) {
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  check(db, rc, "prepare");
}

Stmt::~Stmt() {
  sqlite3_finalize(stmt_);
}

Stmt& Stmt::bind(int pos, int64_t value) {
  check(db_, sqlite3_bind_int64(stmt_, pos, value), "bind");
  return *this;
}

Stmt& Stmt::bind(int pos, uint64_t value) {
  if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    throw Error(SQLITE_RANGE, "bind: integer too large for SQLite");
  }
  return bind(pos, static_cast<int64_t>(value));
}

Stmt& Stmt::bind(int pos, std::string_view value) {
  // An empty view may have a null data(): SQLite would store NULL, we want ''.
  const char* data = value.data() ? value.data() : "";
  check(db_, sqlite3_bind_text64(stmt_, pos, data, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
        "bind");
  return *this;
}

Stmt& Stmt::bind_unowned(int pos, std::string_view value) {
  const char* data = value.data() ? value.data() : "";
  check(db_, sqlite3_bind_text64(stmt_, pos, data, value.size(), SQLITE_STATIC, SQLITE_UTF8),
        "bind");
  return *this;
}

Stmt& Stmt::bind_blob(int pos, std::string_view bytes) {
  const char* data = bytes.data() ? bytes.data() : "";
  check(db_, sqlite3_bind_blob64(stmt_, pos, data, bytes.size(), SQLITE_TRANSIENT), "bind");
  return *this;
}

Stmt& Stmt::bind(int pos, std::nullptr_t) {
  check(db_, sqlite3_bind_null(stmt_, pos), "bind");
  return *this;
}

Stmt& Stmt::bind(int pos, std::optional<int64_t> value) {
  return value ? bind(pos, *value) : bind(pos, nullptr);
}

bool Stmt::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  check(db_, rc, "step");
  return false;
}

void Stmt::run() {
  while (step()) {
  }
}

void Stmt::rewind() {
  sqlite3_reset(stmt_);
}

void Stmt::reset() {
  sqlite3_reset(stmt_);  // its result repeats the last step's error, already reported
  sqlite3_clear_bindings(stmt_);
}

bool Stmt::is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

int64_t Stmt::int64(int col) const {
  return sqlite3_column_int64(stmt_, col);
}

std::string Stmt::text(int col) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  int size = sqlite3_column_bytes(stmt_, col);
  return data ? std::string(data, static_cast<size_t>(size)) : std::string();
}

std::string Stmt::blob(int col) const {
  const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  int size = sqlite3_column_bytes(stmt_, col);
  return data ? std::string(data, static_cast<size_t>(size)) : std::string();
}

namespace {

// "file:" URI of a path: %, ? and # would otherwise end or change the path.
std::string file_uri(const std::string& path, const char* query) {
  std::string out = "file:";
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      static const char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[(static_cast<unsigned char>(c) >> 4) & 15];
      out += kHex[static_cast<unsigned char>(c) & 15];
    } else {
      out += c;
    }
  }
  return out + query;
}

// Once per process, before SQLite initialises: no memory statistics. They take a global mutex
// on every sqlite3_malloc and free, 6 % of the storing thread's time on a dense bundle; nothing
// here reads them. SQLITE_MISUSE when something else initialised SQLite first: then it stays.
void configure_sqlite_once() {
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)configured;
}

}  // namespace

Db::Db(const std::string& path, Mode mode) {
  configure_sqlite_once();
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  std::string name = path;
  switch (mode) {
    case Mode::ReadWrite:
      flags |= SQLITE_OPEN_READWRITE;
      break;
    case Mode::Create:
      flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
      break;
    case Mode::ReadOnly:
      flags |= SQLITE_OPEN_READONLY;
      break;
    case Mode::Immutable:
      flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
      name = file_uri(path, "?immutable=1");
      break;
  }
  int rc = sqlite3_open_v2(name.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw Error(rc & 0xff, message);
  }
}

Db::~Db() {
  cache_.clear();  // statements before the connection
  sqlite3_close_v2(db_);
}

void Db::exec(const char* sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    if ((rc & 0xff) == SQLITE_FULL) text += full_disk_hint(db_);
    throw Error(rc & 0xff, text);
  }
}

void Db::release_memory() {
  sqlite3_db_cacheflush(db_);
  sqlite3_db_release_memory(db_);
}

Stmt& Db::prepare(const char* sql) {
  auto& slot = cache_[sql];
  if (!slot) {
    slot = std::make_unique<Stmt>(db_, sql);
  } else {
    slot->reset();
  }
  return *slot;
}

int64_t Db::scalar_int(const char* sql) {
  Stmt& s = prepare(sql);
  int64_t value = s.step() ? s.int64(0) : 0;
  s.reset();
  return value;
}

bool Db::read_only() const {
  return sqlite3_db_readonly(db_, "main") == 1;
}

bool Db::in_transaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

int64_t Db::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}

void Db::rollback_quietly() {
  // Some errors (SQLITE_FULL, SQLITE_IOERR) already rolled back: ROLLBACK would then fail.
  if (in_transaction()) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Db::backoff(int attempt) {
  std::this_thread::sleep_for(std::chrono::milliseconds(50 << attempt));
}

}  // namespace fedtriage::sql
