// The intake's durable log, behind one interface with two backends:
//   sqlite      log.sqlite in the data folder (store_sqlite.hpp): one node
//   postgresql  a PostgreSQL database (store_postgres.hpp): several nodes
// What it holds, in both:
//   entries      index, leaf hash, device key, entry bytes (public)
//   openings     index, account, r, optional reason, time received (private;
//                reasons are deleted after retention.reason_days)
//   nodes        every Merkle node hash by (level, index): tiles are read from it
//   checkpoints  every signed checkpoint by tree size, with the witnesses'
//                cosignatures as they arrive
//   witness_sizes  per witness, the size it last cosigned
//   contact_codes  one-time codes for e-mail addresses, by a keyed hash of
//                the address (contact/contact_codes.hpp)
//   pending      (PostgreSQL) submissions accepted by a node that does not
//                sequence, waiting for the sequencer: a row per queueing
//                (pending_row.hpp)
// A batch (entries, openings, nodes, checkpoint) is written in one
// transaction whose checkpoint is a compare-and-swap on the previous tree
// size, so after a crash the store holds whole checkpoints only, and a
// sequencer that lost its place can never publish. open() migrates an older
// schema and refuses a newer one.
// Thread safety: one Store (one connection) per thread.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stop_token>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "core/tlog/merkle.hpp"
#include "core/tlog/note_key.hpp"
#include "native/intake/contact/contact_codes.hpp"
#include "native/intake/log/log_reader.hpp"

namespace objector::intake {

struct StoredOpening {
  std::uint64_t index = 0;
  std::string account;
  SecretBytes r;              // the blinding value: wiped when the row is dropped
  std::string reason;         // empty when not given
  std::int64_t received = 0;  // Unix seconds: when the intake accepted it
};

// A checked objection on its way into the log (indices not yet assigned).
struct Submission {
  StoredEntry entry;
  StoredOpening opening;
};

// A witness's cosignature of the checkpoint of `size`, as the witness
// gateway merged it: `note` is that checkpoint with every cosignature
// gathered so far. Stored, it replaces a note with fewer, and the witness's
// size becomes `size`.
struct Cosigned {
  std::uint64_t size = 0;
  std::string note;
  std::string witness;  // the witness's key name
};

struct Batch {
  // The compare-and-swap: the tree size this batch extends (none: the store
  // has no checkpoint yet, and this is the empty tree's).
  std::optional<std::uint64_t> previous_size;
  std::vector<StoredEntry> entries;
  std::vector<StoredOpening> openings;
  std::vector<CompactTree::Node> nodes;
  StoredCheckpoint checkpoint;
  std::vector<std::int64_t> taken;  // pending rows this batch settles (logged, refused, or logged before)
  // Cosignatures of earlier checkpoints that arrived since the last write:
  // stored with the batch, which saves a write (and an fsync) of their own.
  std::vector<Cosigned> cosigned;
};

// What the log already says about a submission's leaf and device key.
struct Known {
  std::optional<std::uint64_t> index;   // the leaf's index, when logged
  std::optional<Hash> device_key_leaf;  // the leaf logged with this device key
};

// Known from the entry logged with `s`'s device key, at `index` with `leaf`.
// One probe by device key answers for the leaf as well: an entry holds its
// device key, so a logged leaf is always found under its own device key.
Known known_by_device_key(const Submission& s, std::uint64_t index, const Hash& leaf);

// Where a node's store is: config.json "store".
struct StoreLocation {
  std::string uri = "sqlite";         // "sqlite", or a postgresql:// connection URI
  std::filesystem::path sqlite_file;  // log.sqlite in the data folder
  bool shared() const { return uri != "sqlite"; }
};

// The sequencer's write path: what the log knows of submissions, and the
// batch commit, a compare-and-swap on the tree size.
class LogWriter {
 public:
  virtual ~LogWriter() = default;
  // One answer per submission, in order (one round trip on PostgreSQL; one
  // index probe each, known_by_device_key).
  virtual Result<std::vector<Known>> lookup(std::span<const Submission* const> submissions) = 0;
  // Writes the batch if the latest checkpoint is still of previous_size
  // (stale_sequencer otherwise, with nothing written) and settles its taken
  // pending rows.
  virtual Status commit(const Batch& batch) = 0;
};

// The private half: who objected (export, retention).
class OpeningsStore {
 public:
  virtual ~OpeningsStore() = default;
  virtual Result<std::vector<StoredOpening>> openings(std::uint64_t start, std::uint64_t count) = 0;
  // The indices of `account`'s openings, ascending (GET /v1/objections).
  virtual Result<std::vector<std::uint64_t>> indices_of(std::string_view account) = 0;
  // Deletes the reasons of openings received before `received_before` (Unix
  // seconds); returns how many were deleted.
  virtual Result<std::size_t> delete_reasons(std::int64_t received_before) = 0;
};

// The witnesses' part of the log: the sequencer stores the cosignatures
// the gateway (witness_gateway.hpp) merged, in one transaction; the gateway
// reads and corrects the witnesses' sizes.
class WitnessSizes {
 public:
  virtual ~WitnessSizes() = default;
  virtual Status add_cosigned(std::span<const Cosigned> cosigned) = 0;
  virtual Result<std::uint64_t> witness_size(std::string_view witness) = 0;  // 0 when it never cosigned
  virtual Status set_witness_size(std::string_view witness, std::uint64_t size) = 0;
};

// A row of the shared queue: what one node queued in one call.
struct PendingRow {
  std::int64_t id = 0;
  SecretBytes submissions;  // pending_row.hpp
};

// Several nodes on one shared store (PostgreSQL's driver only): the
// sequencer lock, the queue of the nodes that do not sequence, and change
// notifications.
class SharedQueue {
 public:
  virtual ~SharedQueue() = default;
  // Whether this connection holds the sequencer lock, taking it when free;
  // false also when the session was lost (it reconnects for next time).
  // `lease`: how long the server keeps the session (and so the lock) of a
  // sequencer that stopped talking to it, such as a paused process.
  virtual Result<bool> lead(std::chrono::milliseconds lease) = 0;
  // Queues a row of `count` submissions (pending_row.hpp) for the sequencer.
  // Returns the log's size as it was queued: an entry below it was logged
  // before (sent again: 200), one at or above it after (201).
  virtual Result<std::uint64_t> add_pending(ByteView row, std::size_t count) = 0;
  // Drops rows the sequencer took without a batch (all logged before, or refused).
  virtual Status settle(std::span<const std::int64_t> rows) = 0;
  // The oldest rows, whole: as many as hold at most `max` submissions, and
  // at least one.
  virtual Result<std::vector<PendingRow>> pending(std::size_t max) = 0;
  // What a listener heard: whether the log changed (a checkpoint, a
  // cosignature), and how many submissions nodes queued (add_pending).
  struct Changes {
    bool log = false;
    std::size_t queued = 0;
  };
  // Turns this connection into a listener, then waits up to `timeout` for
  // changes; none heard: the time passed.
  virtual Result<Changes> wait_for_change(std::chrono::milliseconds timeout) = 0;
};

// One connection to a backend, which serves every client interface.
class Store : public LogReader, public LogWriter, public OpeningsStore, public WitnessSizes {
 public:
  // Opens the store (with `create`, creates it) and brings its schema up to
  // date; a schema newer than this binary is refused.
  static Result<std::unique_ptr<Store>> open(const StoreLocation& where, bool create = false);
  ~Store() override = default;

  virtual Result<int> schema_version() = 0;
  // The queue of several nodes, on a shared store; none on SQLite (one node, always sequencing).
  virtual SharedQueue* shared_queue() { return nullptr; }
  // The e-mail codes of people without an account (config contact); none in memory.
  virtual ContactCodeRows* contact_codes() { return nullptr; }
  // Readies the look-ups by leaf, device key and account before the first
  // one needs them, until done or `stop` is requested (SQLite and
  // PostgreSQL: read the key index, about 2 s per million entries on SQLite
  // in tools/bench; nothing to do in memory).
  virtual Status warm_up(const std::stop_token& /*stop*/) { return Ok{}; }

  // Reads between read_snapshot() and the snapshot's end all see one state.
  class Snapshot {
   public:
    explicit Snapshot(Store* s) : store_(s) {}
    Snapshot(Snapshot&& o) noexcept : store_(o.store_) { o.store_ = nullptr; }
    Snapshot(const Snapshot&) = delete;
    ~Snapshot() {
      if (store_) store_->end_snapshot();
    }

   private:
    Store* store_;
  };
  Result<Snapshot> read_snapshot();

 protected:
  virtual Status begin_snapshot() = 0;
  virtual void end_snapshot() = 0;
};

// A database store's error for an entry row it could not have written: "corrupt
// entry row N: ..." with what to do about it (`hint`).
Error corrupt_entry(std::uint64_t index, std::string_view hint);

}  // namespace objector::intake
