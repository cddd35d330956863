// The intake's durable log: SQLite in WAL mode with synchronous=FULL.
//   entries      index, leaf hash, device key, entry bytes (public)
//   openings     index, account, r, optional reason, time received (private;
//                reasons are deleted after retention.reason_days)
//   nodes        every Merkle node hash by (level, index): tiles are read from it
//   checkpoints  every signed checkpoint by tree size, with the witnesses'
//                cosignatures as they arrive
//   witness_sizes  per witness, the size it last cosigned
// A batch (entries, openings, nodes, checkpoint) is written in one
// transaction, so after a crash the store holds whole checkpoints only.
// open() migrates an older schema (PRAGMA user_version) and refuses a newer one.
// Thread safety: one Store per thread; SQLite serializes writers.
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "core/tlog/merkle.hpp"
#include "core/tlog/note_key.hpp"
#include "native/common/sqlite.hpp"

namespace objector::intake {

struct StoredEntry {
  std::uint64_t index = 0;
  Hash leaf{};
  Hash device_key{};
  std::string bytes;
};

struct StoredOpening {
  std::uint64_t index = 0;
  std::string account;
  SecretBytes r;              // the blinding value: wiped when the row is dropped
  std::string reason;         // empty when not given
  std::int64_t received = 0;  // Unix seconds: when the intake accepted it
};

struct StoredCheckpoint {
  std::uint64_t size = 0;
  std::string note;
};

struct Batch {
  std::vector<StoredEntry> entries;
  std::vector<StoredOpening> openings;
  std::vector<CompactTree::Node> nodes;
  StoredCheckpoint checkpoint;
};

class Store {
 public:
  static Result<Store> open(const std::filesystem::path& file, bool create = false);
  Store(Store&& o) noexcept : database_(std::move(o.database_)), db_(database_.get()), node_stmt_(o.node_stmt_) {
    o.node_stmt_ = nullptr;
  }
  Store& operator=(Store&&) = delete;
  Store(const Store&) = delete;
  ~Store();

  Status commit(const Batch& batch);
  // Deletes the reasons of openings received before `received_before` (Unix
  // seconds); returns how many were deleted.
  Result<std::size_t> delete_reasons(std::int64_t received_before);
  Result<int> schema_version();

  Result<std::optional<StoredCheckpoint>> latest_checkpoint();
  Result<std::vector<StoredCheckpoint>> checkpoints();
  Result<std::optional<std::uint64_t>> find_leaf(const Hash& leaf);
  Result<std::optional<Hash>> find_device_key_leaf(const Hash& device_key);
  Result<Hash> node(int level, std::uint64_t index);
  // Hashes [start, start + count) of a level, concatenated; fewer if missing.
  Result<Bytes> nodes(int level, std::uint64_t start, std::uint64_t count);
  Result<std::vector<StoredEntry>> entries(std::uint64_t start, std::uint64_t count);
  Result<std::vector<StoredOpening>> openings(std::uint64_t start, std::uint64_t count);

  NodeReader reader();

  // Witnesses (witnessing.hpp). add_cosignatures() merges a witness's
  // add-checkpoint answer into the stored checkpoint of `size` and records
  // that size as the witness's (keyed by its key name), in one transaction.
  Result<std::string> add_cosignatures(std::uint64_t size, std::string_view lines, const VerifierKey& witness);
  Result<std::uint64_t> witness_size(std::string_view witness);  // 0 when it never cosigned
  Status set_witness_size(std::string_view witness, std::uint64_t size);

  // Reads between read_snapshot() and the snapshot's end all see one state.
  class Snapshot {
   public:
    explicit Snapshot(Store* s) : store_(s) {}
    Snapshot(Snapshot&& o) noexcept : store_(o.store_) { o.store_ = nullptr; }
    Snapshot(const Snapshot&) = delete;
    ~Snapshot() {
      if (store_) (void)store_->exec("COMMIT");
    }

   private:
    Store* store_;
  };
  Result<Snapshot> read_snapshot();

 private:
  explicit Store(native::Database db) : database_(std::move(db)), db_(database_.get()) {}
  Status exec(const char* sql);
  native::Database database_;
  sqlite3* db_;
  sqlite3_stmt* node_stmt_ = nullptr;  // node() runs for every proof hash: prepared once
};

}  // namespace objector::intake
