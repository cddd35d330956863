#include "native/intake/store.hpp"

#include <bit>
#include <cstring>

namespace objector::intake {
namespace {

Error db_error(sqlite3* db, const std::string& what) {
  return make_error(errc::storage_error, what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

// A prepared statement that finalizes itself.
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
  std::string text(int col) {
    auto* p = sqlite3_column_text(s_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s_, col)))
             : std::string();
  }
  Bytes blob(int col) {
    auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(s_, col));
    return p ? Bytes(p, p + sqlite3_column_bytes(s_, col)) : Bytes();
  }
  bool hash(int col, Hash& out) {
    auto b = blob(col);
    if (b.size() != out.size()) return false;
    std::memcpy(out.data(), b.data(), out.size());
    return true;
  }
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

// The schema, as migrations: kMigrations[v] takes a store from version v to
// v + 1 (PRAGMA user_version). Each runs in one transaction with its version
// bump, so a crash leaves a store at one version or the next.
constexpr const char* kMigrations[] = {
    // 1: the first schema (version 0 = an empty file, or a store from before versions).
    R"(
CREATE TABLE IF NOT EXISTS entries(
  idx INTEGER PRIMARY KEY, leaf BLOB NOT NULL UNIQUE, device_key BLOB NOT NULL UNIQUE, entry TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS openings(
  idx INTEGER PRIMARY KEY REFERENCES entries(idx), account TEXT NOT NULL, r BLOB NOT NULL,
  contact TEXT, reason TEXT, received INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS nodes(
  level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY(level, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints(size INTEGER PRIMARY KEY, note TEXT NOT NULL);
)",
    // 2: e-mail contacts were collected without a purpose (the receipt is the
    // confirmation): delete them and the column. Reasons expire (retention.reason_days).
    R"(
UPDATE openings SET contact = NULL;
ALTER TABLE openings DROP COLUMN contact;
CREATE INDEX IF NOT EXISTS openings_with_reason ON openings(received) WHERE reason IS NOT NULL;
)",
};
constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));

}  // namespace

Result<Store> Store::open(const std::filesystem::path& file, bool create) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(file.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    auto e = db_error(db, "cannot open " + file.string());
    sqlite3_close(db);
    return e;
  }
  Store s(db);
  sqlite3_busy_timeout(db, 10000);
  // secure_delete: deleted personal data (reasons past their retention, the
  // contacts of migration 2) is overwritten in the file, not just unlinked.
  for (const char* sql :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON", "PRAGMA secure_delete=ON"}) {
    OBJECTOR_RETURN_IF_ERROR(s.exec(sql));
  }
  OBJECTOR_RETURN_IF_ERROR(s.migrate(file));
  return s;
}

Result<int> Store::schema_version() {
  Stmt s(db_, "PRAGMA user_version");
  if (s.step() != SQLITE_ROW) return db_error(db_, "cannot read the schema version");
  return static_cast<int>(s.integer(0));
}

Status Store::migrate(const std::filesystem::path& file) {
  OBJECTOR_RETURN_IF_ERROR(exec("BEGIN IMMEDIATE"));
  auto version = schema_version();
  if (!version || *version > kSchemaVersion) {
    (void)exec("ROLLBACK");
    if (!version) return std::move(version).error();
    return make_error(errc::storage_error, file.string() + ": schema version " + std::to_string(*version) +
                                               " is newer than this objector-intake knows (" +
                                               std::to_string(kSchemaVersion) + "; hint: run a newer release)");
  }
  for (int v = *version; v < kSchemaVersion; ++v) {
    auto step = exec(kMigrations[v]);
    if (step) step = exec(("PRAGMA user_version = " + std::to_string(v + 1)).c_str());
    if (!step) {
      (void)exec("ROLLBACK");
      return make_error(errc::storage_error, file.string() + ": migration to schema " + std::to_string(v + 1) +
                                                 " failed: " + step.error().message);
    }
  }
  return exec("COMMIT");
}

Result<std::size_t> Store::delete_reasons(std::int64_t received_before) {
  Stmt s(db_, "UPDATE openings SET reason = NULL WHERE reason IS NOT NULL AND received < ?");
  s.bind(1, received_before);
  if (s.step() != SQLITE_DONE) return db_error(db_, "cannot delete expired reasons");
  return static_cast<std::size_t>(sqlite3_changes(db_));
}

Store::~Store() {
  sqlite3_finalize(node_stmt_);
  sqlite3_close(db_);
}

Status Store::exec(const char* sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    std::string m = msg ? msg : "unknown error";
    sqlite3_free(msg);
    return make_error(errc::storage_error, m);
  }
  return Ok{};
}

Status Store::commit(const Batch& batch) {
  OBJECTOR_RETURN_IF_ERROR(exec("BEGIN IMMEDIATE"));
  auto fail = [&](const std::string& what) {
    auto e = db_error(db_, what);
    (void)exec("ROLLBACK");
    return e;
  };
  {
    Stmt ins(db_, "INSERT INTO entries(idx, leaf, device_key, entry) VALUES(?,?,?,?)");
    for (const auto& e : batch.entries) {
      ins.bind(1, static_cast<std::int64_t>(e.index)).bind(2, e.leaf).bind(3, e.device_key).bind_text(4, e.bytes);
      if (ins.step() != SQLITE_DONE) return fail("cannot store entry");
      ins.reset();
    }
    Stmt open(db_, "INSERT INTO openings(idx, account, r, reason, received) VALUES(?,?,?,?,?)");
    for (const auto& o : batch.openings) {
      open.bind(1, static_cast<std::int64_t>(o.index)).bind_text(2, o.account).bind(3, o.r.view());
      if (o.reason.empty())
        open.bind_null(4);
      else
        open.bind_text(4, o.reason);
      open.bind(5, o.received);
      if (open.step() != SQLITE_DONE) return fail("cannot store opening");
      open.reset();
    }
    Stmt node(db_, "INSERT INTO nodes(level, idx, hash) VALUES(?,?,?)");
    for (const auto& n : batch.nodes) {
      node.bind(1, n.level).bind(2, static_cast<std::int64_t>(n.index)).bind(3, n.hash);
      if (node.step() != SQLITE_DONE) return fail("cannot store tree node");
      node.reset();
    }
    Stmt cp(db_, "INSERT INTO checkpoints(size, note) VALUES(?,?)");
    cp.bind(1, static_cast<std::int64_t>(batch.checkpoint.size)).bind_text(2, batch.checkpoint.note);
    if (cp.step() != SQLITE_DONE) return fail("cannot store checkpoint");
  }
  if (auto ok = exec("COMMIT"); !ok) {
    (void)exec("ROLLBACK");
    return ok;
  }
  return Ok{};
}

Result<std::optional<StoredCheckpoint>> Store::latest_checkpoint() {
  Stmt s(db_, "SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1");
  int rc = s.step();
  if (rc == SQLITE_DONE) return std::optional<StoredCheckpoint>();
  if (rc != SQLITE_ROW) return db_error(db_, "cannot read checkpoint");
  return std::optional<StoredCheckpoint>(StoredCheckpoint{static_cast<std::uint64_t>(s.integer(0)), s.text(1)});
}

Result<std::vector<StoredCheckpoint>> Store::checkpoints() {
  Stmt s(db_, "SELECT size, note FROM checkpoints ORDER BY size");
  std::vector<StoredCheckpoint> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back({static_cast<std::uint64_t>(s.integer(0)), s.text(1)});
  if (rc != SQLITE_DONE) return db_error(db_, "cannot read checkpoints");
  return out;
}

Result<std::optional<std::uint64_t>> Store::find_leaf(const Hash& leaf) {
  Stmt s(db_, "SELECT idx FROM entries WHERE leaf = ?");
  s.bind(1, leaf);
  int rc = s.step();
  if (rc == SQLITE_DONE) return std::optional<std::uint64_t>();
  if (rc != SQLITE_ROW) return db_error(db_, "cannot look up entry");
  return std::optional<std::uint64_t>(static_cast<std::uint64_t>(s.integer(0)));
}

Result<std::optional<Hash>> Store::find_device_key_leaf(const Hash& device_key) {
  Stmt s(db_, "SELECT leaf FROM entries WHERE device_key = ?");
  s.bind(1, device_key);
  int rc = s.step();
  if (rc == SQLITE_DONE) return std::optional<Hash>();
  Hash h{};
  if (rc != SQLITE_ROW || !s.hash(0, h)) return db_error(db_, "cannot look up device key");
  return std::optional<Hash>(h);
}

Result<Hash> Store::node(int level, std::uint64_t index) {
  if (node_stmt_ == nullptr && sqlite3_prepare_v2(db_, "SELECT hash FROM nodes WHERE level = ? AND idx = ?", -1,
                                                  &node_stmt_, nullptr) != SQLITE_OK) {
    return db_error(db_, "cannot read tree node");
  }
  sqlite3_bind_int(node_stmt_, 1, level);
  sqlite3_bind_int64(node_stmt_, 2, static_cast<std::int64_t>(index));
  int rc = sqlite3_step(node_stmt_);
  Hash h{};
  bool found = rc == SQLITE_ROW && sqlite3_column_bytes(node_stmt_, 0) == static_cast<int>(h.size());
  if (found) std::memcpy(h.data(), sqlite3_column_blob(node_stmt_, 0), h.size());
  sqlite3_reset(node_stmt_);
  if (found) return h;
  if (rc == SQLITE_DONE) {
    return make_error(errc::missing_node,
                      "no tree node at level " + std::to_string(level) + " index " + std::to_string(index));
  }
  return db_error(db_, "cannot read tree node");
}

Result<Bytes> Store::nodes(int level, std::uint64_t start, std::uint64_t count) {
  Stmt s(db_, "SELECT hash FROM nodes WHERE level = ? AND idx >= ? AND idx < ? ORDER BY idx");
  s.bind(1, level).bind(2, static_cast<std::int64_t>(start)).bind(3, static_cast<std::int64_t>(start + count));
  Bytes out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    auto b = s.blob(0);
    out.insert(out.end(), b.begin(), b.end());
  }
  if (rc != SQLITE_DONE) return db_error(db_, "cannot read tree nodes");
  return out;
}

Result<std::vector<StoredEntry>> Store::entries(std::uint64_t start, std::uint64_t count) {
  Stmt s(db_, "SELECT idx, leaf, device_key, entry FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx");
  s.bind(1, static_cast<std::int64_t>(start)).bind(2, static_cast<std::int64_t>(start + count));
  std::vector<StoredEntry> out;
  OBJECTOR_RETURN_IF_ERROR(each_row(s, "entries", [&]() -> Status {
    StoredEntry e;
    e.index = static_cast<std::uint64_t>(s.integer(0));
    if (!s.hash(1, e.leaf) || !s.hash(2, e.device_key)) return db_error(db_, "corrupt entry row");
    e.bytes = s.text(3);
    out.push_back(std::move(e));
    return Ok{};
  }));
  return out;
}

Result<std::vector<StoredOpening>> Store::openings(std::uint64_t start, std::uint64_t count) {
  Stmt s(db_, "SELECT idx, account, r, reason, received FROM openings WHERE idx >= ? AND idx < ? ORDER BY idx");
  s.bind(1, static_cast<std::int64_t>(start)).bind(2, static_cast<std::int64_t>(start + count));
  std::vector<StoredOpening> out;
  OBJECTOR_RETURN_IF_ERROR(each_row(s, "openings", [&]() -> Status {
    auto r = s.blob(2);
    out.push_back({static_cast<std::uint64_t>(s.integer(0)), s.text(1), SecretBytes(r), s.text(3), s.integer(4)});
    wipe(r.data(), r.size());
    return Ok{};
  }));
  return out;
}

Result<Store::Snapshot> Store::read_snapshot() {
  OBJECTOR_RETURN_IF_ERROR(exec("BEGIN"));
  // A deferred transaction takes its snapshot at the first read.
  OBJECTOR_RETURN_IF_ERROR(exec("SELECT 1 FROM checkpoints LIMIT 1"));
  return Snapshot(this);
}

NodeReader Store::reader() {
  return [this](int level, std::uint64_t index) { return node(level, index); };
}

}  // namespace objector::intake
