#include "native/intake/log/store_sqlite.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace objector::intake {

using native::db_error;
using native::each_row;
using native::Stmt;

namespace {

// The schema, as migrations (schema/sqlite/NNN_*.sql, in order): migration v
// takes a store from version v to v + 1 (PRAGMA user_version). Each runs in
// one transaction with its version bump, so a crash leaves a store at one
// version or the next.
constexpr const char* kMigrations[] = {
#include "native/intake/log/schema_sqlite.inc"
};

// What a row the store could not have written asks of its operator (SQLite's
// own message would only say the statement had a row).
constexpr std::string_view kRestoreHint = "log.sqlite was changed outside objector-intake; restore it from a backup";

}  // namespace

Result<std::unique_ptr<Store>> SqliteStore::open(const std::filesystem::path& file, bool create) {
  OBJECTOR_TRY(auto db, native::Database::open(file, create, kMigrations, "objector-intake"));
  return std::unique_ptr<Store>(new SqliteStore(std::move(db), KeyIndex::of(file)));
}

Result<int> SqliteStore::schema_version() { return database_.schema_version(); }

Result<std::size_t> SqliteStore::delete_reasons(std::int64_t received_before) {
  Stmt s(db_, "UPDATE openings SET reason = NULL WHERE reason IS NOT NULL AND received < ?");
  s.bind(1, received_before);
  if (s.step() != SQLITE_DONE) return db_error(db_, "cannot delete expired reasons");
  auto deleted = static_cast<std::size_t>(sqlite3_changes(db_));
  if (deleted == 0) return deleted;
  // The deleted text is still in the WAL and, until a checkpoint copies the
  // cleared pages back, in log.sqlite's old pages: a file-level backup would
  // keep it. Copy them back now and empty the WAL.
  Stmt checkpoint(db_, "PRAGMA wal_checkpoint(TRUNCATE)");
  if (checkpoint.step() != SQLITE_ROW) return db_error(db_, "cannot checkpoint the WAL after deleting reasons");
  if (checkpoint.integer(0) != 0) {
    return make_error(errc::storage_error,
                      "reasons deleted, but a reader kept the WAL checkpoint from finishing (hint: the next "
                      "retention run tries again)");
  }
  return deleted;
}

SqliteStore::~SqliteStore() { sqlite3_finalize(node_stmt_); }

Status SqliteStore::exec(const char* sql) { return database_.exec(sql); }

Status SqliteStore::commit(const Batch& batch) {
  OBJECTOR_TRY(auto tx, native::Transaction::begin(database_));
  // The compare-and-swap: the writer lock is held, so the latest checkpoint cannot move.
  OBJECTOR_TRY(auto latest, latest_checkpoint());
  if ((latest ? std::optional(latest->size) : std::nullopt) != batch.previous_size) {
    return make_error(errc::stale_sequencer, "another sequencer extended the log first");
  }
  OBJECTOR_RETURN_IF_ERROR(lookups_.refuse_duplicates(batch));
  OBJECTOR_RETURN_IF_ERROR(write_batch(batch));
  OBJECTOR_RETURN_IF_ERROR(tx.commit());
  lookups_.logged(batch);
  return Ok{};
}

Status SqliteStore::write_batch(const Batch& batch) {
  auto fail = [&](const std::string& what) { return db_error(db_, what); };
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
  return write_cosigned(batch.cosigned);
}

Result<std::optional<StoredCheckpoint>> SqliteStore::latest_checkpoint() {
  Stmt s(db_, "SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1");
  int rc = s.step();
  if (rc == SQLITE_DONE) return std::optional<StoredCheckpoint>();
  if (rc != SQLITE_ROW) return db_error(db_, "cannot read checkpoint");
  return std::optional<StoredCheckpoint>(StoredCheckpoint{static_cast<std::uint64_t>(s.integer(0)), s.text(1)});
}

Result<std::vector<StoredCheckpoint>> SqliteStore::checkpoints() {
  Stmt s(db_, "SELECT size, note FROM checkpoints ORDER BY size");
  std::vector<StoredCheckpoint> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back({static_cast<std::uint64_t>(s.integer(0)), s.text(1)});
  if (rc != SQLITE_DONE) return db_error(db_, "cannot read checkpoints");
  return out;
}

// An entry's keys, with its index: read_row_keys() reads the columns.
#define OBJECTOR_ROW_KEYS \
  "SELECT e.idx, e.leaf, e.device_key, o.account FROM entries e LEFT JOIN openings o ON o.idx = e.idx "

Status SqliteStore::read_row_keys(Stmt& s, RowKeys& k) {
  k.index = static_cast<std::uint64_t>(s.integer(0));
  k.account = s.text(3);
  if (!s.hash(1, k.leaf) || !s.hash(2, k.device_key)) return corrupt_entry(k.index, kRestoreHint);
  return Ok{};
}

Result<std::vector<RowKeys>> SqliteStore::rows_from(std::uint64_t start, std::uint64_t most) {
  if (!rows_from_stmt_)
    rows_from_stmt_ = std::make_unique<Stmt>(db_, OBJECTOR_ROW_KEYS "WHERE e.idx >= ? ORDER BY e.idx LIMIT ?");
  auto& s = *rows_from_stmt_;
  struct ResetOnReturn {
    Stmt& s;
    ~ResetOnReturn() { s.reset(); }  // an unfinished statement would keep its snapshot open
  } reset_on_return{s};
  s.bind(1, static_cast<std::int64_t>(start));
  s.bind(2, most > INT64_MAX ? -1 : static_cast<std::int64_t>(most));  // -1: no limit
  std::vector<RowKeys> out;
  OBJECTOR_RETURN_IF_ERROR(each_row(s, "entries", [&]() { return read_row_keys(s, out.emplace_back()); }));
  return out;
}

Result<std::vector<RowKeys>> SqliteStore::rows_at(std::span<const std::uint64_t> indices) {
  if (!row_at_stmt_) row_at_stmt_ = std::make_unique<Stmt>(db_, OBJECTOR_ROW_KEYS "WHERE e.idx = ?");
  auto& s = *row_at_stmt_;
  std::vector<RowKeys> out;
  for (auto index : indices) {
    s.bind(1, static_cast<std::int64_t>(index));
    RowKeys k;
    int rc = s.step();
    auto read = rc == SQLITE_ROW ? read_row_keys(s, k) : Status(Ok{});
    s.reset();
    OBJECTOR_RETURN_IF_ERROR(read);
    if (rc == SQLITE_ROW) {
      out.push_back(std::move(k));
    } else if (rc != SQLITE_DONE) {
      return db_error(db_, "cannot read an entry's keys");
    }  // SQLITE_DONE: added by a newer snapshot than this connection's
  }
  return out;
}
#undef OBJECTOR_ROW_KEYS

Status SqliteStore::warm_up(const std::stop_token& stop) {
  // In turns, each in its own read transaction, so no snapshot is held for the whole read.
  constexpr std::uint64_t kRowsPerTurn = 65536;
  while (!stop.stop_requested()) {
    OBJECTOR_TRY(auto scope, native::ReadScope::begin(database_));
    OBJECTOR_TRY(auto read, lookups_.catch_up(kRowsPerTurn));
    if (read < kRowsPerTurn) break;
  }
  return Ok{};
}

// Each look-up reads the index and its rows in one snapshot.
Result<std::optional<std::uint64_t>> SqliteStore::find_leaf(const Hash& leaf) {
  OBJECTOR_TRY(auto scope, native::ReadScope::begin(database_));
  return lookups_.find_leaf(leaf);
}

Result<std::vector<Known>> SqliteStore::lookup(std::span<const Submission* const> submissions) {
  OBJECTOR_TRY(auto scope, native::ReadScope::begin(database_));
  return lookups_.lookup(submissions);
}

// In process, a point lookup per hash costs what one query for all would (in one read transaction).
Result<std::vector<Hash>> SqliteStore::read_hashes(std::span<const NodeId> ids) {
  if (node_stmt_ == nullptr && sqlite3_prepare_v2(db_, "SELECT hash FROM nodes WHERE level = ? AND idx = ?", -1,
                                                  &node_stmt_, nullptr) != SQLITE_OK) {
    return db_error(db_, "cannot read tree node");
  }
  OBJECTOR_TRY(auto scope, native::ReadScope::begin(database_));
  std::vector<Hash> out(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    sqlite3_bind_int(node_stmt_, 1, ids[i].level);
    sqlite3_bind_int64(node_stmt_, 2, static_cast<std::int64_t>(ids[i].index));
    int rc = sqlite3_step(node_stmt_);
    bool found = rc == SQLITE_ROW && sqlite3_column_bytes(node_stmt_, 0) == static_cast<int>(out[i].size());
    if (found) std::memcpy(out[i].data(), sqlite3_column_blob(node_stmt_, 0), out[i].size());
    sqlite3_reset(node_stmt_);
    if (found) continue;
    if (rc == SQLITE_DONE) return missing_node(ids[i]);
    return db_error(db_, "cannot read tree node");
  }
  return out;
}

Result<Bytes> SqliteStore::nodes(int level, std::uint64_t start, std::uint64_t count) {
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

Result<std::vector<StoredEntry>> SqliteStore::entries(std::uint64_t start, std::uint64_t count) {
  Stmt s(db_, "SELECT idx, leaf, device_key, entry FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx");
  s.bind(1, static_cast<std::int64_t>(start)).bind(2, static_cast<std::int64_t>(start + count));
  std::vector<StoredEntry> out;
  OBJECTOR_RETURN_IF_ERROR(each_row(s, "entries", [&]() -> Status {
    StoredEntry e;
    e.index = static_cast<std::uint64_t>(s.integer(0));
    if (!s.hash(1, e.leaf) || !s.hash(2, e.device_key)) return corrupt_entry(e.index, kRestoreHint);
    e.bytes = s.text(3);
    out.push_back(std::move(e));
    return Ok{};
  }));
  return out;
}

Result<std::vector<StoredOpening>> SqliteStore::openings(std::uint64_t start, std::uint64_t count) {
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

Result<std::vector<std::uint64_t>> SqliteStore::indices_of(std::string_view account) {
  OBJECTOR_TRY(auto scope, native::ReadScope::begin(database_));
  return lookups_.indices_of(account);
}

Status SqliteStore::begin_snapshot() {
  OBJECTOR_RETURN_IF_ERROR(exec("BEGIN"));
  // A deferred transaction takes its snapshot at the first read.
  return exec("SELECT 1 FROM checkpoints LIMIT 1");
}

void SqliteStore::end_snapshot() { (void)exec("COMMIT"); }

Status SqliteStore::add_cosigned(std::span<const Cosigned> cosigned) {
  OBJECTOR_TRY(auto tx, native::Transaction::begin(database_));
  OBJECTOR_RETURN_IF_ERROR(write_cosigned(cosigned));
  return tx.commit();
}

// A note replaces one with no more signatures (a shorter note): cosignatures
// that arrive out of order never remove one.
Status SqliteStore::write_cosigned(std::span<const Cosigned> cosigned) {
  Stmt note(db_, "UPDATE checkpoints SET note = ?1 WHERE size = ?2 AND length(note) <= length(?1)");
  Stmt known(db_, "INSERT OR REPLACE INTO witness_sizes(witness, size) VALUES(?, ?)");
  for (const auto& c : cosigned) {
    note.bind_text(1, c.note).bind(2, static_cast<std::int64_t>(c.size));
    if (note.step() != SQLITE_DONE) return db_error(db_, "cannot store the cosignature");
    note.reset();
    known.bind_text(1, c.witness).bind(2, static_cast<std::int64_t>(c.size));
    if (known.step() != SQLITE_DONE) return db_error(db_, "cannot store the witness's size");
    known.reset();
  }
  return Ok{};
}

Result<std::uint64_t> SqliteStore::witness_size(std::string_view witness) {
  Stmt s(db_, "SELECT size FROM witness_sizes WHERE witness = ?");
  s.bind_text(1, witness);
  int rc = s.step();
  if (rc == SQLITE_DONE) return std::uint64_t{0};
  if (rc != SQLITE_ROW) return db_error(db_, "cannot read the witness's size");
  return static_cast<std::uint64_t>(s.integer(0));
}

Status SqliteStore::set_witness_size(std::string_view witness, std::uint64_t size) {
  Stmt s(db_, "INSERT OR REPLACE INTO witness_sizes(witness, size) VALUES(?, ?)");
  s.bind_text(1, witness).bind(2, static_cast<std::int64_t>(size));
  if (s.step() != SQLITE_DONE) return db_error(db_, "cannot store the witness's size");
  return Ok{};
}

}  // namespace objector::intake

namespace objector::intake {

// The writer lock (BEGIN IMMEDIATE) holds every address at once.
Status SqliteStore::with_codes(ByteView address_key, const std::function<Status(std::vector<ContactCodeRow>&)>& body) {
  OBJECTOR_TRY(auto tx, native::Transaction::begin(database_));
  std::vector<ContactCodeRow> rows;
  {
    Stmt s(db_,
           "SELECT id, sent, expires, code_hash, state, attempts FROM contact_codes WHERE address_key = ? ORDER BY id");
    s.bind(1, address_key);
    OBJECTOR_RETURN_IF_ERROR(each_row(s, "contact codes", [&]() -> Status {
      rows.push_back({.id = s.integer(0),
                      .sent = s.integer(1),
                      .expires = s.integer(2),
                      .code_hash = s.blob(3),
                      .state = static_cast<ContactCodeRow::State>(s.integer(4)),
                      .attempts = s.integer(5)});
      return Ok{};
    }));
  }
  OBJECTOR_RETURN_IF_ERROR(body(rows));
  Stmt insert(db_,
              "INSERT INTO contact_codes(address_key, sent, expires, code_hash, state, attempts) VALUES(?,?,?,?,?,?)");
  Stmt update(db_, "UPDATE contact_codes SET code_hash = ?, state = ?, attempts = ? WHERE id = ?");
  Stmt erase(db_, "DELETE FROM contact_codes WHERE id = ?");
  for (const auto& row : rows) {
    Stmt* s = nullptr;
    auto hash_or_null = [&](Stmt& st, int i) -> Stmt& {
      return row.code_hash.empty() ? st.bind_null(i) : st.bind(i, ByteView(row.code_hash));
    };
    if (row.gone) {
      if (row.id == 0) continue;
      s = &erase.bind(1, row.id);
    } else if (row.id == 0) {
      s = &hash_or_null(insert.bind(1, address_key).bind(2, row.sent).bind(3, row.expires), 4)
               .bind(5, static_cast<std::int64_t>(row.state))
               .bind(6, row.attempts);
    } else if (row.changed) {
      s = &hash_or_null(update, 1).bind(2, static_cast<std::int64_t>(row.state)).bind(3, row.attempts).bind(4, row.id);
    } else {
      continue;
    }
    if (s->step() != SQLITE_DONE) return db_error(db_, "cannot save a contact code");
    s->reset();
  }
  return tx.commit();
}

Result<std::size_t> SqliteStore::delete_stale_codes(std::int64_t now) {
  OBJECTOR_TRY(auto tx, native::Transaction::begin(database_));
  Stmt expire(db_, "UPDATE contact_codes SET code_hash = NULL, state = ? WHERE state = ? AND expires <= ?");
  expire.bind(1, static_cast<std::int64_t>(ContactCodeRow::State::expired))
      .bind(2, static_cast<std::int64_t>(ContactCodeRow::State::live))
      .bind(3, now);
  if (expire.step() != SQLITE_DONE) return db_error(db_, "cannot expire contact codes");
  Stmt erase(db_, "DELETE FROM contact_codes WHERE sent <= ? AND code_hash IS NULL");
  erase.bind(1, now - 3600);
  if (erase.step() != SQLITE_DONE) return db_error(db_, "cannot delete old contact codes");
  auto deleted = static_cast<std::size_t>(sqlite3_changes(db_));
  OBJECTOR_RETURN_IF_ERROR(tx.commit());
  return deleted;
}

}  // namespace objector::intake
