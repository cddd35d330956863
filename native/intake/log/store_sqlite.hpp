// The embedded store: log.sqlite in the data folder, in WAL mode with
// synchronous=FULL and secure_delete (native/common/sqlite.hpp), schema
// versions in PRAGMA user_version. One node: its sequencer always leads.
// Look-ups by leaf, device key and account go through the log's KeyIndex
// (key_index.hpp), shared by the process's connections to the file.
// Thread safety: one SqliteStore per thread; SQLite serializes writers.
#pragma once

#include "native/common/sqlite.hpp"
#include "native/intake/log/key_lookups.hpp"
#include "native/intake/log/store.hpp"

namespace objector::intake {

class SqliteStore final : public Store, public ContactCodeRows, private KeyRows {
 public:
  static Result<std::unique_ptr<Store>> open(const std::filesystem::path& file, bool create);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  Status commit(const Batch& batch) override;
  Result<std::size_t> delete_reasons(std::int64_t received_before) override;
  Result<int> schema_version() override;
  Result<std::optional<StoredCheckpoint>> latest_checkpoint() override;
  Result<std::vector<StoredCheckpoint>> checkpoints() override;
  Result<std::optional<std::uint64_t>> find_leaf(const Hash& leaf) override;
  Result<std::vector<Known>> lookup(std::span<const Submission* const> submissions) override;
  Result<std::vector<Hash>> read_hashes(std::span<const NodeId> ids) override;
  Result<Bytes> nodes(int level, std::uint64_t start, std::uint64_t count) override;
  Result<std::vector<StoredEntry>> entries(std::uint64_t start, std::uint64_t count) override;
  Result<std::vector<StoredOpening>> openings(std::uint64_t start, std::uint64_t count) override;
  Result<std::vector<std::uint64_t>> indices_of(std::string_view account) override;
  Status add_cosigned(std::span<const Cosigned> cosigned) override;
  Result<std::uint64_t> witness_size(std::string_view witness) override;
  Status set_witness_size(std::string_view witness, std::uint64_t size) override;
  ContactCodeRows* contact_codes() override { return this; }
  Status with_codes(ByteView address_key, const std::function<Status(std::vector<ContactCodeRow>&)>& body) override;
  Result<std::size_t> delete_stale_codes(std::int64_t now) override;
  Status warm_up(const std::stop_token& stop) override;

 protected:
  Status begin_snapshot() override;
  void end_snapshot() override;

 private:
  SqliteStore(native::Database db, std::shared_ptr<KeyIndex> keys)
      : database_(std::move(db)), db_(database_.get()), lookups_(std::move(keys), *this) {}
  Status exec(const char* sql);
  Status write_batch(const Batch& batch);
  Status write_cosigned(std::span<const Cosigned> cosigned);
  static Status read_row_keys(native::Stmt& s, RowKeys& k);
  Result<std::vector<RowKeys>> rows_from(std::uint64_t start, std::uint64_t most) override;
  Result<std::vector<RowKeys>> rows_at(std::span<const std::uint64_t> indices) override;
  native::Database database_;
  sqlite3* db_;
  KeyLookups lookups_;
  sqlite3_stmt* node_stmt_ = nullptr;             // read_hashes() runs for every proof: prepared once
  std::unique_ptr<native::Stmt> row_at_stmt_;     // so do rows_at()
  std::unique_ptr<native::Stmt> rows_from_stmt_;  // and rows_from(), before every look-up
};

}  // namespace objector::intake
