#include "native/common/sqlite.hpp"

#include <cstring>

namespace objector::native {

Error db_error(sqlite3* db, const std::string& what) {
  return make_error(errc::storage_error, what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

Result<Database> Database::open(const std::filesystem::path& file, bool create, std::span<const char* const> migrations,
                                std::string_view program) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(file.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    auto e = db_error(db, "cannot open " + file.string());
    sqlite3_close(db);
    return e;
  }
  Database d(db);
  sqlite3_busy_timeout(db, 10000);
  // secure_delete: deleted personal data (reasons past their retention) is
  // overwritten in the file, not just unlinked. cache_size: 16 MB a
  // connection (the default 2 MB held a few thousand entries' index pages:
  // past that every insert read one back from the OS).
  for (const char* sql : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON",
                          "PRAGMA secure_delete=ON", "PRAGMA cache_size=-16384"}) {
    OBJECTOR_RETURN_IF_ERROR(d.exec(sql));
  }
  OBJECTOR_RETURN_IF_ERROR(d.migrate(file, migrations, program));
  return d;
}

Status Database::exec(const char* sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    std::string m = msg ? msg : "unknown error";
    sqlite3_free(msg);
    return make_error(errc::storage_error, m);
  }
  return Ok{};
}

Result<int> Database::schema_version() {
  Stmt s(db_, "PRAGMA user_version");
  if (s.step() != SQLITE_ROW) return db_error(db_, "cannot read the schema version");
  return static_cast<int>(s.integer(0));
}

Status Database::migrate(const std::filesystem::path& file, std::span<const char* const> migrations,
                         std::string_view program) {
  const auto latest = static_cast<int>(migrations.size());
  OBJECTOR_TRY(auto tx, Transaction::begin(*this));
  OBJECTOR_TRY(auto version, schema_version());
  if (version > latest) {
    return make_error(errc::storage_error, file.string() + ": schema version " + std::to_string(version) +
                                               " is newer than this " + std::string(program) + " knows (" +
                                               std::to_string(latest) + "; hint: run a newer release)");
  }
  for (int v = version; v < latest; ++v) {
    auto step = exec(migrations[static_cast<std::size_t>(v)]);
    if (step) step = exec(("PRAGMA user_version = " + std::to_string(v + 1)).c_str());
    if (!step) {
      return make_error(errc::storage_error, file.string() + ": migration to schema " + std::to_string(v + 1) +
                                                 " failed: " + step.error().message);
    }
  }
  return tx.commit();
}

Result<Transaction> Transaction::begin(Database& db) {
  OBJECTOR_RETURN_IF_ERROR(db.exec("BEGIN IMMEDIATE"));
  return Transaction(&db);
}

Result<ReadScope> ReadScope::begin(Database& db) {
  if (sqlite3_get_autocommit(db.get()) == 0) return ReadScope(nullptr);
  OBJECTOR_RETURN_IF_ERROR(db.exec("BEGIN"));
  return ReadScope(&db);
}

Status Transaction::commit() {
  auto* db = std::exchange(db_, nullptr);
  if (auto ok = db->exec("COMMIT"); !ok) {
    (void)db->exec("ROLLBACK");
    return ok;
  }
  return Ok{};
}

std::string Stmt::text(int col) {
  auto* p = sqlite3_column_text(s_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s_, col)))
           : std::string();
}

Bytes Stmt::blob(int col) {
  auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(s_, col));
  return p ? Bytes(p, p + sqlite3_column_bytes(s_, col)) : Bytes();
}

bool Stmt::hash(int col, Hash& out) {
  auto b = blob(col);
  if (b.size() != out.size()) return false;
  std::memcpy(out.data(), b.data(), out.size());
  return true;
}

}  // namespace objector::native
