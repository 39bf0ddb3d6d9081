#include "lib/store/postgresql/pg_connection.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <utility>

#include "lib/store/postgresql/pg_text.h"

namespace fedtriage::pg {
namespace {

PGconn* as_conn(void* p) {
  return static_cast<PGconn*>(p);
}
PGresult* as_res(void* p) {
  return static_cast<PGresult*>(p);
}

// libpq's messages end in a newline and may span lines: one line, trimmed.
std::string one_line(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (char& c : text) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  return text;
}

std::string scrub(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
    text.replace(at, secret.size(), "***");
  }
  return text;
}

}  // namespace

Params& Params::add(std::string_view v) {
  if (storable(v)) {
    values_.emplace_back(v);
  } else {
    values_.push_back(storable_copy(v));
  }
  nulls_.push_back(false);
  return *this;
}

Params& Params::add(int64_t v) {
  values_.push_back(std::to_string(v));
  nulls_.push_back(false);
  return *this;
}

Params& Params::add(std::optional<int64_t> v) {
  return v ? add(*v) : null();
}

Params& Params::null() {
  values_.emplace_back();
  nulls_.push_back(true);
  return *this;
}

Result::Result(void* res) : res_(res) {}
Result::~Result() {
  if (res_) PQclear(as_res(res_));
}
Result::Result(Result&& other) noexcept : res_(std::exchange(other.res_, nullptr)) {}
Result& Result::operator=(Result&& other) noexcept {
  if (this != &other) {
    if (res_) PQclear(as_res(res_));
    res_ = std::exchange(other.res_, nullptr);
  }
  return *this;
}

int Result::rows() const {
  return res_ ? PQntuples(as_res(res_)) : 0;
}

int Result::columns() const {
  return res_ ? PQnfields(as_res(res_)) : 0;
}

bool Result::is_null(int row, int col) const {
  return PQgetisnull(as_res(res_), row, col) != 0;
}

std::string Result::text(int row, int col) const {
  PGresult* r = as_res(res_);
  return std::string(PQgetvalue(r, row, col), static_cast<size_t>(PQgetlength(r, row, col)));
}

int64_t Result::int64(int row, int col) const {
  PGresult* r = as_res(res_);
  if (PQgetisnull(r, row, col)) return 0;
  const char* v = PQgetvalue(r, row, col);
  int64_t out = 0;
  std::from_chars(v, v + PQgetlength(r, row, col), out);
  return out;
}

uint64_t Result::affected() const {
  const char* n = res_ ? PQcmdTuples(as_res(res_)) : "";
  uint64_t out = 0;
  std::from_chars(n, n + std::char_traits<char>::length(n), out);
  return out;
}

Connection::Connection(const std::string& url, std::string shown) : shown_(std::move(shown)) {
  // The URL is expanded as the dbname; what it names wins over these defaults. A server that
  // does not answer fails within 10 s rather than TCP's minutes (PGCONNECT_TIMEOUT still rules).
  std::vector<const char*> keys{"application_name"};
  std::vector<const char*> values{"fedtriage"};
  if (!std::getenv("PGCONNECT_TIMEOUT")) {
    keys.push_back("connect_timeout");
    values.push_back("10");
  }
  keys.push_back("dbname");
  values.push_back(url.c_str());
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), 1);
  conn_ = conn;
  if (!conn) throw Error(shown_ + ": out of memory");
  if (const char* pw = PQpass(conn)) password_ = pw;
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = scrub(one_line(PQerrorMessage(conn)), password_);
    PQfinish(conn);
    conn_ = nullptr;
    throw Error("cannot connect to " + shown_ + ": " + message, "08001");
  }
  // Text in and out is UTF-8 whatever the environment says; messages in English for logs.
  PQsetClientEncoding(conn, "UTF8");
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);  // NOTICEs are not for users
}

Connection::~Connection() {
  if (conn_) PQfinish(as_conn(conn_));
}

void Connection::fail(const std::string& what, void* res) const {
  std::string message;
  std::string state;
  if (res) {
    // The server's primary message ("permission denied for table rules"), without libpq's
    // "ERROR:  " and the statement's context.
    const char* primary = PQresultErrorField(as_res(res), PG_DIAG_MESSAGE_PRIMARY);
    message = primary ? primary : PQresultErrorMessage(as_res(res));
    if (const char* s = PQresultErrorField(as_res(res), PG_DIAG_SQLSTATE)) state = s;
    PQclear(as_res(res));
  }
  if (message.empty()) message = PQerrorMessage(as_conn(conn_));
  if (PQstatus(as_conn(conn_)) == CONNECTION_BAD) {
    message = "connection lost: " + message;
    if (state.empty()) state = "08006";
  }
  throw Error(what + ": " + scrub(one_line(message), password_), state);
}

Result Connection::check(void* res, const char* what) {
  const ExecStatusType st = res ? PQresultStatus(as_res(res)) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_COPY_IN) return Result(res);
  fail(what, res);
}

Result Connection::exec(const std::string& sql) {
  return check(PQexec(as_conn(conn_), sql.c_str()), "query failed");
}

Result Connection::exec(const std::string& sql, const Params& params) {
  std::vector<const char*> values(params.size());
  std::vector<int> lengths(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    values[i] = params.is_null(i) ? nullptr : params.value(i).c_str();
    lengths[i] = static_cast<int>(params.value(i).size());
  }
  return check(PQexecParams(as_conn(conn_), sql.c_str(), static_cast<int>(params.size()), nullptr,
                            values.data(), lengths.data(), nullptr, 0),
               "query failed");
}

void Connection::exec_all(const std::vector<Statement>& statements) {
  if (statements.empty()) return;
  PGconn* c = as_conn(conn_);
  if (PQenterPipelineMode(c) != 1) fail("query failed", nullptr);
  std::string error, state;
  auto note_error = [&](PGresult* r) {
    if (!error.empty()) return;
    const char* primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    error = primary ? primary : r ? PQresultErrorMessage(r) : PQerrorMessage(c);
    if (error.empty()) error = PQerrorMessage(c);
    if (const char* s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr) state = s;
  };
  bool sent = true;
  for (const Statement& st : statements) {
    std::vector<const char*> values(st.params.size());
    std::vector<int> lengths(st.params.size());
    for (size_t i = 0; i < st.params.size(); ++i) {
      values[i] = st.params.is_null(i) ? nullptr : st.params.value(i).c_str();
      lengths[i] = static_cast<int>(st.params.value(i).size());
    }
    if (PQsendQueryParams(c, st.sql.c_str(), static_cast<int>(st.params.size()), nullptr,
                          values.data(), lengths.data(), nullptr, 0) != 1) {
      note_error(nullptr);
      sent = false;
      break;
    }
  }
  if (PQpipelineSync(c) != 1) {
    note_error(nullptr);
    sent = false;
  }
  // Every statement's result, each followed by a NULL, then the sync point.
  while (sent) {
    PGresult* r = PQgetResult(c);
    if (!r) {
      if (PQstatus(c) == CONNECTION_BAD) {
        note_error(nullptr);
        break;
      }
      continue;
    }
    const ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_PIPELINE_SYNC) {
      PQclear(r);
      break;
    }
    if (st == PGRES_FATAL_ERROR) note_error(r);
    PQclear(r);
  }
  PQexitPipelineMode(c);
  if (!error.empty() || !sent) {
    if (PQstatus(c) == CONNECTION_BAD) {
      error = "connection lost: " + error;
      if (state.empty()) state = "08006";
    }
    throw Error("query failed: " + scrub(one_line(error), password_), state);
  }
}

void Connection::copy_begin(const std::string& copy_sql) {
  Result r = check(PQexec(as_conn(conn_), copy_sql.c_str()), "COPY failed");
}

void Connection::copy_put(std::string_view data) {
  if (data.empty()) return;
  if (PQputCopyData(as_conn(conn_), data.data(), static_cast<int>(data.size())) != 1) {
    fail("COPY failed", nullptr);
  }
}

Result Connection::copy_end() {
  if (PQputCopyEnd(as_conn(conn_), nullptr) != 1) fail("COPY failed", nullptr);
  // The COPY's own result, then those of the statements after it in the same query string;
  // the last one is returned. Drained to the end before throwing: the connection must be idle.
  Result last;
  std::string message, state;
  while (PGresult* res = PQgetResult(as_conn(conn_))) {
    const ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
      last = Result(res);
      continue;
    }
    if (message.empty()) {
      const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
      message = primary ? primary : PQresultErrorMessage(res);
      if (const char* s = PQresultErrorField(res, PG_DIAG_SQLSTATE)) state = s;
      if (message.empty()) message = PQerrorMessage(as_conn(conn_));
    }
    PQclear(res);
  }
  if (!message.empty()) {
    if (PQstatus(as_conn(conn_)) == CONNECTION_BAD) message = "connection lost: " + message;
    throw Error("COPY failed: " + scrub(one_line(message), password_), state);
  }
  return last;
}

bool Connection::in_transaction() const {
  const PGTransactionStatusType t = PQtransactionStatus(as_conn(conn_));
  return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

bool Connection::lost() const {
  return !conn_ || PQstatus(as_conn(conn_)) == CONNECTION_BAD;
}

void Connection::reconnect() {
  PQreset(as_conn(conn_));
  if (PQstatus(as_conn(conn_)) != CONNECTION_OK) {
    throw Error("cannot connect to " + shown_ + ": " +
                    scrub(one_line(PQerrorMessage(as_conn(conn_))), password_),
                "08001");
  }
  PQsetClientEncoding(as_conn(conn_), "UTF8");
}

void Connection::rollback_quietly() noexcept {
  if (!conn_ || PQstatus(as_conn(conn_)) != CONNECTION_OK || !in_transaction()) return;
  if (PGresult* r = PQexec(as_conn(conn_), "ROLLBACK")) PQclear(r);
}

}  // namespace fedtriage::pg
