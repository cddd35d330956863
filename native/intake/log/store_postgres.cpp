#include "native/intake/log/store_postgres.hpp"

#include <algorithm>

#include "core/encoding/decimal.hpp"

namespace objector::intake {

using native::pg::Params;
using native::pg::Rows;

namespace {

// The schema, as migrations: kMigrations[v] takes a store from version v to
// v + 1 (objector_schema.version), each in the transaction of its version bump.
// They are schema/postgresql/NNN_*.sql, in order.
constexpr const char* kMigrations[] = {
#include "native/intake/log/schema_postgresql.inc"
};

constexpr std::int64_t kMigrationLock = 0x6f626a6d69677261;  // "objmigra"
constexpr std::int64_t kSequencerLock = 0x6f626a7365717565;  // "objseque"
constexpr std::string_view kQueued = "queued ";              // add_pending's notification: "queued <n>"
// What a row the store could not have written asks of its operator.
constexpr std::string_view kRestoreHint =
    "the entries table was changed outside objector-intake; restore the database from a backup";

ByteView view(const Hash& h) { return {h.data(), h.size()}; }

}  // namespace

Result<std::unique_ptr<Store>> PostgresStore::open(const std::string& uri, bool create) {
  OBJECTOR_TRY(auto c, native::pg::Connection::open(uri));
  std::unique_ptr<PostgresStore> store(new PostgresStore(uri, std::move(c)));
  OBJECTOR_RETURN_IF_ERROR(store->migrate(create));
  return std::unique_ptr<Store>(std::move(store));
}

Result<native::pg::Connection*> PostgresStore::session() {
  if (c_.alive()) return &c_;
  // Never a new session inside a transaction: what followed would run outside it, without its compare-and-swap.
  if (in_transaction_) {
    return make_error(errc::store_unavailable,
                      "the database session ended during a transaction (hint: it is rolled "
                      "back; the next one opens a new session)");
  }
  leading_ = false;
  OBJECTOR_TRY(c_, native::pg::Connection::open(uri_));
  if (listening_) OBJECTOR_RETURN_IF_ERROR(c_.exec("LISTEN objector_log", "cannot listen to the log's changes"));
  return &c_;
}

// A read. A session the server ended (a restart) fails its next query: the
// read runs once more, on a new session, unless it belongs to a snapshot,
// whose reads must all see one state, or to a transaction.
Result<Rows> PostgresStore::read(const char* sql, const Params& params, const char* what) {
  OBJECTOR_TRY(auto* c, session());
  auto rows = c->query(sql, params, what);
  if (rows || c->alive() || in_snapshot_ || in_transaction_) return rows;
  OBJECTOR_TRY(c, session());
  return c->query(sql, params, what);
}

Status PostgresStore::in_transaction(const std::function<Status()>& body) {
  OBJECTOR_TRY(auto* c, session());
  OBJECTOR_RETURN_IF_ERROR(c->exec("BEGIN", "cannot start a transaction"));
  in_transaction_ = true;
  auto done = body();
  in_transaction_ = false;
  if (done) done = c->exec("COMMIT", "cannot commit");
  if (!done && c->alive()) (void)c->exec("ROLLBACK", "cannot roll back");
  return done;
}

Status PostgresStore::migrate(bool create) {
  const auto latest = static_cast<std::int64_t>(std::size(kMigrations));
  return in_transaction([&]() -> Status {
    OBJECTOR_RETURN_IF_ERROR(
        c_.query("SELECT pg_advisory_xact_lock($1)", Params().int8(kMigrationLock), "cannot lock the schema"));
    OBJECTOR_TRY(auto exists, c_.query("SELECT to_regclass('objector_schema') IS NOT NULL", "cannot read the schema"));
    if (exists.text(0, 0) != std::string(1, '\1')) {
      if (!create) {
        return make_error(errc::storage_error,
                          "the PostgreSQL store has no Objector schema (hint: objector-intake init --store URI --dir "
                          "DIR creates it)");
      }
      OBJECTOR_RETURN_IF_ERROR(
          c_.exec("CREATE TABLE objector_schema(version bigint NOT NULL); INSERT INTO objector_schema VALUES (0)",
                  "cannot create the schema"));
    }
    OBJECTOR_TRY(auto version, schema_version());
    if (version > latest) {
      return make_error(errc::storage_error, "the PostgreSQL store's schema version " + std::to_string(version) +
                                                 " is newer than this objector-intake knows (" +
                                                 std::to_string(latest) + "; hint: run a newer release)");
    }
    for (auto v = static_cast<std::int64_t>(version); v < latest; ++v) {
      if (auto step = c_.exec(kMigrations[v], "migration failed"); !step) {
        return std::move(step).error().at("schema version " + std::to_string(v + 1));
      }
    }
    OBJECTOR_RETURN_IF_ERROR(
        c_.query("UPDATE objector_schema SET version = $1", Params().int8(latest), "cannot record the schema version"));
    return Ok{};
  });
}

Result<int> PostgresStore::schema_version() {
  OBJECTOR_TRY(auto rows, read("SELECT version FROM objector_schema", "cannot read the schema version"));
  if (rows.size() != 1) return make_error(errc::storage_error, "objector_schema holds no version");
  return static_cast<int>(rows.int8(0, 0));
}

Status PostgresStore::commit(const Batch& batch) {
  OBJECTOR_RETURN_IF_ERROR(in_transaction([&]() -> Status {
    Params cas;
    cas.int8(static_cast<std::int64_t>(batch.checkpoint.size));
    const char* swap = "UPDATE log_head SET size = $1 WHERE size IS NULL";
    if (batch.previous_size) {
      cas.int8(static_cast<std::int64_t>(*batch.previous_size));
      swap = "UPDATE log_head SET size = $1 WHERE size = $2";
    }
    OBJECTOR_TRY(auto swapped, c_.query(swap, cas, "cannot update the log's head"));
    if (swapped.affected() != 1) return make_error(errc::stale_sequencer, "another sequencer extended the log first");
    // After the swap, which waits for any other commit: the index sees every entry logged before this batch.
    OBJECTOR_RETURN_IF_ERROR(lookups_.refuse_duplicates(batch));
    if (!batch.entries.empty()) {
      std::vector<std::int64_t> idx;
      std::vector<ByteView> leaf, device_key, r;
      std::vector<std::optional<std::string_view>> entry, account, reason;
      std::vector<std::int64_t> received;
      for (const auto& e : batch.entries) {
        idx.push_back(static_cast<std::int64_t>(e.index));
        leaf.push_back(view(e.leaf));
        device_key.push_back(view(e.device_key));
        entry.emplace_back(e.bytes);
      }
      OBJECTOR_RETURN_IF_ERROR(
          c_.query("INSERT INTO entries(idx, leaf, device_key, entry) SELECT * FROM unnest($1::int8[], $2::bytea[], "
                   "$3::bytea[], $4::text[])",
                   Params().int8_array(idx).bytea_array(leaf).bytea_array(device_key).text_array(entry),
                   "cannot store entries"));
      idx.clear();
      for (const auto& o : batch.openings) {
        idx.push_back(static_cast<std::int64_t>(o.index));
        account.emplace_back(o.account);
        r.push_back(o.r.view());
        reason.push_back(o.reason.empty() ? std::nullopt : std::optional<std::string_view>(o.reason));
        received.push_back(o.received);
      }
      OBJECTOR_RETURN_IF_ERROR(c_.query(
          "INSERT INTO openings(idx, account, r, reason, received) SELECT * FROM unnest($1::int8[], $2::text[], "
          "$3::bytea[], $4::text[], $5::int8[])",
          Params().int8_array(idx).text_array(account).bytea_array(r).text_array(reason).int8_array(received),
          "cannot store openings"));
    }
    if (!batch.nodes.empty()) {
      std::vector<std::int64_t> level, idx;
      std::vector<ByteView> hash;
      for (const auto& n : batch.nodes) {
        level.push_back(n.level);
        idx.push_back(static_cast<std::int64_t>(n.index));
        hash.push_back(view(n.hash));
      }
      OBJECTOR_RETURN_IF_ERROR(
          c_.query("INSERT INTO nodes(level, idx, hash) SELECT * FROM unnest($1::int8[], $2::int8[], $3::bytea[])",
                   Params().int8_array(level).int8_array(idx).bytea_array(hash), "cannot store tree nodes"));
    }
    OBJECTOR_RETURN_IF_ERROR(
        c_.query("INSERT INTO checkpoints(size, note) VALUES ($1, $2)",
                 Params().int8(static_cast<std::int64_t>(batch.checkpoint.size)).text(batch.checkpoint.note),
                 "cannot store the checkpoint"));
    OBJECTOR_RETURN_IF_ERROR(write_cosigned(batch.cosigned));
    OBJECTOR_RETURN_IF_ERROR(settle(batch.taken));
    return c_.exec("NOTIFY objector_log, 'checkpoint'", "cannot announce the checkpoint");
  }));
  lookups_.logged(batch);
  return Ok{};
}

Result<std::size_t> PostgresStore::delete_reasons(std::int64_t received_before) {
  OBJECTOR_TRY(auto* c, session());
  OBJECTOR_TRY(auto rows, c->query("UPDATE openings SET reason = NULL WHERE reason IS NOT NULL AND received < $1",
                                   Params().int8(received_before), "cannot delete expired reasons"));
  return static_cast<std::size_t>(rows.affected());
}

namespace {
std::vector<StoredCheckpoint> checkpoints_of(const Rows& rows) {
  std::vector<StoredCheckpoint> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back({static_cast<std::uint64_t>(rows.int8(i, 0)), rows.text(i, 1)});
  return out;
}
}  // namespace

Result<std::optional<StoredCheckpoint>> PostgresStore::latest_checkpoint() {
  OBJECTOR_TRY(auto rows,
               read("SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1", "cannot read checkpoint"));
  auto all = checkpoints_of(rows);
  if (all.empty()) return std::optional<StoredCheckpoint>();
  return std::optional<StoredCheckpoint>(std::move(all.front()));
}

Result<std::vector<StoredCheckpoint>> PostgresStore::checkpoints() {
  OBJECTOR_TRY(auto rows, read("SELECT size, note FROM checkpoints ORDER BY size", "cannot read checkpoints"));
  return checkpoints_of(rows);
}

Result<std::optional<std::uint64_t>> PostgresStore::find_leaf(const Hash& leaf) { return lookups_.find_leaf(leaf); }

Result<std::vector<Known>> PostgresStore::lookup(std::span<const Submission* const> submissions) {
  return lookups_.lookup(submissions);
}

// An entry's keys, with its index.
#define OBJECTOR_ROW_KEYS \
  "SELECT e.idx, e.leaf, e.device_key, o.account FROM entries e LEFT JOIN openings o ON o.idx = e.idx "

namespace {
Result<std::vector<RowKeys>> row_keys_of(const Rows& rows) {
  std::vector<RowKeys> out(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    auto& k = out[static_cast<std::size_t>(i)];
    k.index = static_cast<std::uint64_t>(rows.int8(i, 0));
    if (!rows.hash(i, 1, k.leaf) || !rows.hash(i, 2, k.device_key)) {
      return corrupt_entry(k.index, kRestoreHint);
    }
    if (!rows.null(i, 3)) k.account = rows.text(i, 3);
  }
  return out;
}
}  // namespace

Result<std::vector<RowKeys>> PostgresStore::rows_from(std::uint64_t start, std::uint64_t most) {
  // The range on both tables lets the planner merge their primary keys from `start` (with it on entries only, it
  // read openings from 0, or hashed all of it).
  OBJECTOR_TRY(auto rows, read(OBJECTOR_ROW_KEYS "AND o.idx >= $1 WHERE e.idx >= $1 ORDER BY e.idx LIMIT $2",
                               Params()
                                   .int8(static_cast<std::int64_t>(start))
                                   .int8(static_cast<std::int64_t>(std::min<std::uint64_t>(most, INT64_MAX))),
                               "cannot read entries' keys"));
  return row_keys_of(rows);
}

Result<std::vector<RowKeys>> PostgresStore::rows_at(std::span<const std::uint64_t> indices) {
  std::vector<std::int64_t> idx(indices.begin(), indices.end());
  // As in rows_from(): without the condition on openings, the planner hashed the whole table.
  OBJECTOR_TRY(auto rows,
               read(OBJECTOR_ROW_KEYS "AND o.idx = ANY($1::int8[]) WHERE e.idx = ANY($1::int8[]) ORDER BY e.idx",
                    Params().int8_array(idx), "cannot read entries' keys"));
  return row_keys_of(rows);
}
#undef OBJECTOR_ROW_KEYS

Status PostgresStore::warm_up(const std::stop_token& stop) {
  constexpr std::uint64_t kRowsPerTurn = 65536;
  while (!stop.stop_requested()) {
    OBJECTOR_TRY(auto read, lookups_.catch_up(kRowsPerTurn));
    if (read < kRowsPerTurn) break;
  }
  return Ok{};
}

Result<std::vector<Hash>> PostgresStore::read_hashes(std::span<const NodeId> ids) {
  std::vector<std::int64_t> levels, indices;
  for (const auto& id : ids) {
    levels.push_back(id.level);
    indices.push_back(static_cast<std::int64_t>(id.index));
  }
  // One primary-key probe per id (the LATERAL ... LIMIT 1 keeps the planner from hashing the whole table: on a
  // young log it preferred a sequential scan of every node, 20x slower at 20,000 nodes).
  OBJECTOR_TRY(auto rows, read("SELECT w.i, n.hash FROM unnest($1::int8[], $2::int8[]) WITH ORDINALITY AS "
                               "w(level, idx, i) JOIN LATERAL (SELECT hash FROM nodes WHERE level = w.level AND "
                               "idx = w.idx LIMIT 1) n ON true",
                               Params().int8_array(levels).int8_array(indices), "cannot read tree nodes"));
  std::vector<Hash> out(ids.size());
  std::vector<bool> found(ids.size());
  for (int row = 0; row < rows.size(); ++row) {
    auto i = static_cast<std::size_t>(rows.int8(row, 0) - 1);
    if (i >= out.size() || !rows.hash(row, 1, out[i])) return make_error(errc::storage_error, "corrupt tree node row");
    found[i] = true;
  }
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (!found[i]) return missing_node(ids[i]);
  }
  return out;
}

Result<Bytes> PostgresStore::nodes(int level, std::uint64_t start, std::uint64_t count) {
  OBJECTOR_TRY(
      auto rows,
      read("SELECT hash FROM nodes WHERE level = $1 AND idx >= $2 AND idx < $3 ORDER BY idx",
           Params().int8(level).int8(static_cast<std::int64_t>(start)).int8(static_cast<std::int64_t>(start + count)),
           "cannot read tree nodes"));
  Bytes out;
  for (int i = 0; i < rows.size(); ++i) {
    auto b = rows.bytes(i, 0);
    out.insert(out.end(), b.begin(), b.end());
  }
  return out;
}

Result<Rows> PostgresStore::range(const char* sql, std::uint64_t start, std::uint64_t count, const char* what) {
  return read(sql, Params().int8(static_cast<std::int64_t>(start)).int8(static_cast<std::int64_t>(start + count)),
              what);
}

Result<std::vector<StoredEntry>> PostgresStore::entries(std::uint64_t start, std::uint64_t count) {
  OBJECTOR_TRY(auto rows, range("SELECT idx, leaf, device_key, entry FROM entries WHERE idx >= $1 AND idx < $2 "
                                "ORDER BY idx",
                                start, count, "cannot read entries"));
  std::vector<StoredEntry> out(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    auto& e = out[static_cast<std::size_t>(i)];
    e.index = static_cast<std::uint64_t>(rows.int8(i, 0));
    if (!rows.hash(i, 1, e.leaf) || !rows.hash(i, 2, e.device_key)) {
      return corrupt_entry(e.index, kRestoreHint);
    }
    e.bytes = rows.text(i, 3);
  }
  return out;
}

Result<std::vector<StoredOpening>> PostgresStore::openings(std::uint64_t start, std::uint64_t count) {
  OBJECTOR_TRY(auto rows, range("SELECT idx, account, r, reason, received FROM openings WHERE idx >= $1 AND "
                                "idx < $2 ORDER BY idx",
                                start, count, "cannot read openings"));
  std::vector<StoredOpening> out;
  for (int i = 0; i < rows.size(); ++i) {
    auto r = rows.bytes(i, 2);
    out.push_back({static_cast<std::uint64_t>(rows.int8(i, 0)), rows.text(i, 1), SecretBytes(r),
                   rows.null(i, 3) ? std::string() : rows.text(i, 3), rows.int8(i, 4)});
    wipe(r.data(), r.size());
  }
  return out;
}

Result<std::vector<std::uint64_t>> PostgresStore::indices_of(std::string_view account) {
  return lookups_.indices_of(account);
}

Status PostgresStore::begin_snapshot() {
  OBJECTOR_TRY(auto* c, session());
  OBJECTOR_RETURN_IF_ERROR(c->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "cannot start a snapshot"));
  in_snapshot_ = true;
  return Ok{};
}

void PostgresStore::end_snapshot() {
  in_snapshot_ = false;
  (void)c_.exec("COMMIT", "cannot end a snapshot");
}

namespace {
constexpr const char* kUpsertWitnessSize =
    "INSERT INTO witness_sizes(witness, size) VALUES ($1, $2) ON CONFLICT (witness) DO UPDATE SET size = excluded.size";
}  // namespace

Status PostgresStore::add_cosigned(std::span<const Cosigned> cosigned) {
  return in_transaction([&]() -> Status {
    OBJECTOR_RETURN_IF_ERROR(write_cosigned(cosigned));
    return c_.exec("NOTIFY objector_log, 'cosigned'", "cannot announce the cosignature");
  });
}

// A note replaces one with no more signatures (a shorter note): cosignatures
// that arrive out of order never remove one.
Status PostgresStore::write_cosigned(std::span<const Cosigned> cosigned) {
  for (const auto& c : cosigned) {
    auto size = static_cast<std::int64_t>(c.size);
    OBJECTOR_RETURN_IF_ERROR(c_.query("UPDATE checkpoints SET note = $1 WHERE size = $2 AND length(note) <= length($1)",
                                      Params().text(c.note).int8(size), "cannot store the cosignature"));
    OBJECTOR_RETURN_IF_ERROR(
        c_.query(kUpsertWitnessSize, Params().text(c.witness).int8(size), "cannot store the witness's size"));
  }
  return Ok{};
}

Result<std::uint64_t> PostgresStore::witness_size(std::string_view witness) {
  OBJECTOR_TRY(auto rows, read("SELECT size FROM witness_sizes WHERE witness = $1", Params().text(witness),
                               "cannot read the witness's size"));
  return rows.size() == 0 ? 0 : static_cast<std::uint64_t>(rows.int8(0, 0));
}

Status PostgresStore::set_witness_size(std::string_view witness, std::uint64_t size) {
  OBJECTOR_TRY(auto* c, session());
  OBJECTOR_RETURN_IF_ERROR(c->query(kUpsertWitnessSize, Params().text(witness).int8(static_cast<std::int64_t>(size)),
                                    "cannot store the witness's size"));
  return Ok{};
}

Result<bool> PostgresStore::lead(std::chrono::milliseconds lease) {
  OBJECTOR_TRY(auto* c, session());
  if (leading_) {
    // The heartbeat: a session that answers still holds its lock.
    if (c->exec("SELECT 1", "the sequencer's session ended")) return true;
    leading_ = false;
    return false;
  }
  // A paused sequencer's session ends after `lease` of silence, freeing the lock for another node.
  auto setting = "SET idle_session_timeout = " + std::to_string(lease.count()) +
                 "; SET idle_in_transaction_session_timeout = " + std::to_string(lease.count());
  OBJECTOR_RETURN_IF_ERROR(c->exec(setting.c_str(), "cannot set the sequencer's lease"));
  OBJECTOR_TRY(auto rows, c->query("SELECT pg_try_advisory_lock($1)", Params().int8(kSequencerLock),
                                   "cannot try the sequencer lock"));
  leading_ = rows.size() == 1 && rows.text(0, 0) == std::string(1, '\1');
  return leading_;
}

Result<std::uint64_t> PostgresStore::add_pending(ByteView row, std::size_t count) {
  OBJECTOR_TRY(auto* c, session());
  // The log's size in the statement's snapshot, which the insert shares. The
  // notification ("queued <n>", sent at commit) lets the sequencer turn once a
  // batch's worth waits, not only every interval.
  OBJECTOR_TRY(
      auto rows,
      c->query(
          "WITH q AS (INSERT INTO pending(count, submissions) VALUES ($1, $2) RETURNING id) "
          "SELECT coalesce((SELECT size FROM log_head), 0), pg_notify('objector_log', $3) "
          "FROM q",
          Params().int8(static_cast<std::int64_t>(count)).bytea(row).text(std::string(kQueued) + std::to_string(count)),
          "cannot queue submissions"));
  if (rows.size() != 1) return make_error(errc::storage_error, "cannot queue submissions: no row queued");
  return static_cast<std::uint64_t>(rows.int8(0, 0));
}

Status PostgresStore::settle(std::span<const std::int64_t> taken) {
  if (taken.empty()) return Ok{};
  OBJECTOR_TRY(auto* c, session());
  OBJECTOR_RETURN_IF_ERROR(c->query("DELETE FROM pending WHERE id = ANY($1::int8[])",
                                    Params().int8_array({taken.begin(), taken.end()}),
                                    "cannot settle pending submissions"));
  return Ok{};
}

Result<std::vector<PendingRow>> PostgresStore::pending(std::size_t max) {
  // Whole rows, oldest first, while they fit in `max` (the first always).
  OBJECTOR_TRY(auto rows, read("SELECT id, submissions FROM (SELECT id, count, submissions, sum(count) OVER (ORDER BY "
                               "id) AS upto FROM pending) p WHERE upto <= $1 OR upto = count ORDER BY id",
                               Params().int8(static_cast<std::int64_t>(std::min<std::size_t>(max, INT64_MAX))),
                               "cannot read pending submissions"));
  std::vector<PendingRow> out(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    auto& row = out[static_cast<std::size_t>(i)];
    row.id = rows.int8(i, 0);
    auto bytes = rows.bytes(i, 1);
    row.submissions = SecretBytes(bytes);
    wipe(bytes.data(), bytes.size());
  }
  return out;
}

Result<SharedQueue::Changes> PostgresStore::wait_for_change(std::chrono::milliseconds timeout) {
  OBJECTOR_TRY(auto* c, session());
  if (!listening_) {
    OBJECTOR_RETURN_IF_ERROR(c->exec("LISTEN objector_log", "cannot listen to the log's changes"));
    listening_ = true;
  }
  OBJECTOR_TRY(auto payloads, c->wait_notifications(timeout));
  Changes changes;
  for (std::string_view p : payloads) {
    // "queued <n>" from add_pending; anything else ("checkpoint", "cosigned") is the log's.
    if (p.substr(0, kQueued.size()) != kQueued) {
      changes.log = true;
    } else if (auto n = parse_decimal(p.substr(kQueued.size()), "queued")) {
      changes.queued += static_cast<std::size_t>(*n);
    }
  }
  return changes;
}

}  // namespace objector::intake

namespace objector::intake {

// A transaction advisory lock on the address's key: two nodes spending or
// sending one address's codes take turns; other addresses do not wait.
Status PostgresStore::with_codes(ByteView address_key,
                                 const std::function<Status(std::vector<ContactCodeRow>&)>& body) {
  std::int64_t lock = 0;
  for (std::size_t i = 0; i < 8 && i < address_key.size(); ++i) lock = (lock << 8) | address_key[i];
  return in_transaction([&]() -> Status {
    OBJECTOR_RETURN_IF_ERROR(
        c_.query("SELECT pg_advisory_xact_lock($1)", Params().int8(lock), "cannot lock an address's codes"));
    OBJECTOR_TRY(auto found,
                 c_.query("SELECT id, sent, expires, coalesce(code_hash, ''::bytea), state::bigint, attempts "
                          "FROM contact_codes WHERE address_key = $1 ORDER BY id",
                          Params().bytea(address_key), "cannot read contact codes"));
    std::vector<ContactCodeRow> rows;
    rows.reserve(static_cast<std::size_t>(found.size()));
    for (int i = 0; i < found.size(); ++i) {
      rows.push_back({.id = found.int8(i, 0),
                      .sent = found.int8(i, 1),
                      .expires = found.int8(i, 2),
                      .code_hash = found.bytes(i, 3),
                      .state = static_cast<ContactCodeRow::State>(found.int8(i, 4)),
                      .attempts = found.int8(i, 5)});
    }
    OBJECTOR_RETURN_IF_ERROR(body(rows));
    for (const auto& row : rows) {
      const auto state = static_cast<std::int64_t>(row.state);
      if (row.gone && row.id != 0) {
        OBJECTOR_RETURN_IF_ERROR(
            c_.query("DELETE FROM contact_codes WHERE id = $1", Params().int8(row.id), "cannot delete a contact code"));
      } else if (!row.gone && row.id == 0) {
        OBJECTOR_RETURN_IF_ERROR(
            c_.query("INSERT INTO contact_codes(address_key, sent, expires, code_hash, state, attempts) "
                     "VALUES($1, $2, $3, NULLIF($4, ''::bytea), $5::smallint, $6)",
                     Params()
                         .bytea(address_key)
                         .int8(row.sent)
                         .int8(row.expires)
                         .bytea(row.code_hash)
                         .int8(state)
                         .int8(row.attempts),
                     "cannot store a contact code"));
      } else if (!row.gone && row.changed) {
        OBJECTOR_RETURN_IF_ERROR(c_.query(
            "UPDATE contact_codes SET code_hash = NULLIF($1, ''::bytea), state = $2::smallint, attempts = $3 WHERE id "
            "= $4",
            Params().bytea(row.code_hash).int8(state).int8(row.attempts).int8(row.id), "cannot update a contact code"));
      }
    }
    return Ok{};
  });
}

Result<std::size_t> PostgresStore::delete_stale_codes(std::int64_t now) {
  std::size_t deleted = 0;
  OBJECTOR_RETURN_IF_ERROR(in_transaction([&]() -> Status {
    OBJECTOR_RETURN_IF_ERROR(c_.query(
        "UPDATE contact_codes SET code_hash = NULL, state = $1::smallint WHERE state = $2::smallint AND expires <= $3",
        Params()
            .int8(static_cast<std::int64_t>(ContactCodeRow::State::expired))
            .int8(static_cast<std::int64_t>(ContactCodeRow::State::live))
            .int8(now),
        "cannot expire contact codes"));
    OBJECTOR_TRY(auto gone, c_.query("DELETE FROM contact_codes WHERE sent <= $1 AND code_hash IS NULL",
                                     Params().int8(now - 3600), "cannot delete old contact codes"));
    deleted = static_cast<std::size_t>(gone.affected());
    return Ok{};
  }));
  return deleted;
}

}  // namespace objector::intake
