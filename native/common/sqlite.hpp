// What every SQLite file of Objector shares: a connection opened the durable
// way (WAL, synchronous=FULL, secure_delete), a schema kept as numbered
// migrations (PRAGMA user_version; a newer file is refused), and prepared
// statements that finalize themselves. Used by the intake's store and the
// witness's state.
// Thread safety: a Database and its statements belong to one thread at a time.
#pragma once

#include <sqlite3.h>

#include <filesystem>
#include <span>
#include <utility>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace objector::native {

Error db_error(sqlite3* db, const std::string& what);

class Database {
 public:
  // Opens (or with `create`, creates) `file` and brings its schema up to
  // date: migrations[v] takes the schema from version v to v + 1, each in one
  // transaction with its version bump. `program` names who refuses a newer schema.
  static Result<Database> open(const std::filesystem::path& file, bool create, std::span<const char* const> migrations,
                               std::string_view program);
  Database(Database&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
  Database& operator=(Database&&) = delete;
  Database(const Database&) = delete;
  ~Database() { sqlite3_close(db_); }

  sqlite3* get() const { return db_; }
  Status exec(const char* sql);
  Result<int> schema_version();

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  Status migrate(const std::filesystem::path& file, std::span<const char* const> migrations, std::string_view program);
  sqlite3* db_;
};

// The one way a write is made atomic: BEGIN IMMEDIATE (the writer lock, so
// what is read inside cannot change), commit() or, when the guard goes
// without one, ROLLBACK. Used by every SQLite user: the store's batches and
// cosignatures, migrations, the witness's decisions.
class Transaction {
 public:
  static Result<Transaction> begin(Database& db);
  Transaction(Transaction&& o) noexcept : db_(std::exchange(o.db_, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction() {
    if (db_ != nullptr) (void)db_->exec("ROLLBACK");
  }
  Status commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;
};

// Many reads as one: a deferred transaction, so they share one snapshot and
// SQLite takes and drops its file locks (system calls) once, not at every
// statement. Inside a transaction already open it does nothing.
class ReadScope {
 public:
  static Result<ReadScope> begin(Database& db);
  ReadScope(ReadScope&& o) noexcept : db_(std::exchange(o.db_, nullptr)) {}
  ReadScope& operator=(ReadScope&&) = delete;
  ReadScope(const ReadScope&) = delete;
  ~ReadScope() {
    if (db_ != nullptr) (void)db_->exec("COMMIT");
  }

 private:
  explicit ReadScope(Database* db) : db_(db) {}
  Database* db_;  // null when nested
};

// A prepared statement that finalizes itself; bind errors surface at step().
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) { ok_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) == SQLITE_OK; }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  bool ok() const { return ok_; }
  Stmt& bind(int i, std::int64_t v) {
    ok_ = ok_ && sqlite3_bind_int64(s_, i, v) == SQLITE_OK;
    return *this;
  }
  Stmt& bind(int i, ByteView b) {
    ok_ = ok_ && sqlite3_bind_blob(s_, i, b.data(), static_cast<int>(b.size()), SQLITE_STATIC) == SQLITE_OK;
    return *this;
  }
  Stmt& bind_text(int i, std::string_view t) {
    ok_ = ok_ && sqlite3_bind_text(s_, i, t.data(), static_cast<int>(t.size()), SQLITE_STATIC) == SQLITE_OK;
    return *this;
  }
  Stmt& bind_null(int i) {
    ok_ = ok_ && sqlite3_bind_null(s_, i) == SQLITE_OK;
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return ok_ ? sqlite3_step(s_) : SQLITE_ERROR; }
  void reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  std::int64_t integer(int col) { return sqlite3_column_int64(s_, col); }
  std::string text(int col);
  Bytes blob(int col);
  bool hash(int col, Hash& out);
  sqlite3* db() const { return db_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
  bool ok_;
};

// Calls `row` for every row of `s`; `what` names the read in errors.
template <class F>
Status each_row(Stmt& s, const char* what, F&& row) {
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    if (auto ok = row(); !ok) return ok;
  }
  if (rc != SQLITE_DONE) return db_error(s.db(), std::string("cannot read ") + what);
  return Ok{};
}

}  // namespace objector::native
