// The shared store: a PostgreSQL database that several intake nodes use at
// once (docs/INTEGRATION.md "Running several nodes"). Schema versions are in
// the table objector_schema; migrations run under an advisory lock, so nodes
// starting together migrate once. Look-ups by leaf, device key and account
// go through the log's KeyIndex in this process (key_lookups.hpp), which
// reads the rows every node logs. The sequencer lock is a session advisory
// lock: it frees when its session ends (the process died, or the server
// ended an idle session of a paused one), and the batch that publishes a
// checkpoint is a compare-and-swap on log_head, so a sequencer that lost its
// lock cannot publish. Changes are announced with NOTIFY objector_log.
// Thread safety: one PostgresStore (one session) per thread.
#pragma once

#include "native/common/postgres.hpp"
#include "native/intake/log/key_lookups.hpp"
#include "native/intake/log/store.hpp"

namespace objector::intake {

class PostgresStore final : public Store, public SharedQueue, public ContactCodeRows, private KeyRows {
 public:
  static Result<std::unique_ptr<Store>> open(const std::string& uri, bool create);

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

  SharedQueue* shared_queue() override { return this; }
  Result<bool> lead(std::chrono::milliseconds lease) override;
  Result<std::uint64_t> add_pending(ByteView row, std::size_t count) override;
  Status settle(std::span<const std::int64_t> taken) override;
  Result<std::vector<PendingRow>> pending(std::size_t max) override;
  Result<Changes> wait_for_change(std::chrono::milliseconds timeout) override;

 protected:
  Status begin_snapshot() override;
  void end_snapshot() override;

 private:
  PostgresStore(std::string uri, native::pg::Connection c)
      : uri_(std::move(uri)), c_(std::move(c)), lookups_(KeyIndex::of_database(uri_), *this) {}
  // A session the server ended is opened again (and has lost the lock).
  Result<native::pg::Connection*> session();
  Status migrate(bool create);
  Status in_transaction(const std::function<Status()>& body);
  Status write_cosigned(std::span<const Cosigned> cosigned);
  Result<native::pg::Rows> read(const char* sql, const native::pg::Params& params, const char* what);
  Result<native::pg::Rows> read(const char* sql, const char* what) { return read(sql, native::pg::Params{}, what); }
  // Rows of `sql` whose index ($1, $2) is in [start, start + count).
  Result<native::pg::Rows> range(const char* sql, std::uint64_t start, std::uint64_t count, const char* what);
  Result<std::vector<RowKeys>> rows_from(std::uint64_t start, std::uint64_t most) override;
  Result<std::vector<RowKeys>> rows_at(std::span<const std::uint64_t> indices) override;

  std::string uri_;
  native::pg::Connection c_;
  KeyLookups lookups_;
  bool leading_ = false;
  bool listening_ = false;
  bool in_snapshot_ = false;
  bool in_transaction_ = false;  // session() must not open a new session under a transaction's body
};

}  // namespace objector::intake
