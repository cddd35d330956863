#include "native/intake/log/store_memory.hpp"

#include <algorithm>

namespace objector::intake {

class MemoryStore final : public Store, public SharedQueue {
 public:
  explicit MemoryStore(MemoryLog& log) : log_(log) {}
  ~MemoryStore() override {
    std::lock_guard lock(log_.mutex_);
    if (log_.leader_ == this) log_.leader_ = nullptr;  // as a session's advisory lock
  }
  MemoryStore(const MemoryStore&) = delete;
  MemoryStore& operator=(const MemoryStore&) = delete;

  Result<int> schema_version() override { return 1; }
  SharedQueue* shared_queue() override { return log_.shared_ ? this : nullptr; }

  Status commit(const Batch& batch) override {
    std::lock_guard lock(log_.mutex_);
    auto latest = log_.checkpoints_.empty() ? std::nullopt : std::optional(log_.checkpoints_.rbegin()->first);
    if (latest != batch.previous_size) {
      return make_error(errc::stale_sequencer, "another sequencer extended the log first");
    }
    // Every constraint is checked before anything is written: all or nothing.
    std::map<Hash, int> leaves, devices;
    for (const auto& e : batch.entries) {
      if (log_.entries_.count(e.index) || log_.by_leaf_.count(e.leaf) || log_.by_device_key_.count(e.device_key) ||
          ++leaves[e.leaf] > 1 || ++devices[e.device_key] > 1) {
        return make_error(errc::storage_error, "cannot store entry: UNIQUE constraint failed");
      }
    }
    for (const auto& n : batch.nodes) {
      if (log_.nodes_.count({n.level, n.index})) {
        return make_error(errc::storage_error, "cannot store tree node: UNIQUE constraint failed");
      }
    }
    if (log_.checkpoints_.count(batch.checkpoint.size)) {
      return make_error(errc::storage_error, "cannot store checkpoint: UNIQUE constraint failed");
    }
    for (const auto& e : batch.entries) {
      log_.entries_[e.index] = e;
      log_.by_leaf_[e.leaf] = e.index;
      log_.by_device_key_[e.device_key] = e.leaf;
    }
    for (const auto& o : batch.openings) {
      log_.openings_[o.index] = {o.account, Bytes(o.r.view().begin(), o.r.view().end()), o.reason, o.received};
    }
    for (const auto& n : batch.nodes) log_.nodes_[{n.level, n.index}] = n.hash;
    log_.checkpoints_[batch.checkpoint.size] = batch.checkpoint.note;
    for (auto id : batch.taken) log_.pending_.erase(id);
    write_cosigned(batch.cosigned);
    changed_locked();
    return Ok{};
  }

  Result<std::optional<StoredCheckpoint>> latest_checkpoint() override {
    std::lock_guard lock(log_.mutex_);
    if (log_.checkpoints_.empty()) return std::optional<StoredCheckpoint>();
    const auto& [size, note] = *log_.checkpoints_.rbegin();
    return std::optional(StoredCheckpoint{size, note});
  }

  Result<std::vector<StoredCheckpoint>> checkpoints() override {
    std::lock_guard lock(log_.mutex_);
    std::vector<StoredCheckpoint> out;
    for (const auto& [size, note] : log_.checkpoints_) out.push_back({size, note});
    return out;
  }

  Result<std::optional<std::uint64_t>> find_leaf(const Hash& leaf) override {
    std::lock_guard lock(log_.mutex_);
    auto it = log_.by_leaf_.find(leaf);
    return it == log_.by_leaf_.end() ? std::nullopt : std::optional(it->second);
  }

  Result<std::vector<Known>> lookup(std::span<const Submission* const> submissions) override {
    std::lock_guard lock(log_.mutex_);
    std::vector<Known> out(submissions.size());
    for (std::size_t i = 0; i < submissions.size(); ++i) {  // by device key, as the databases do
      auto it = log_.by_device_key_.find(submissions[i]->entry.device_key);
      if (it == log_.by_device_key_.end()) continue;
      out[i] = known_by_device_key(*submissions[i], log_.by_leaf_.find(it->second)->second, it->second);
    }
    return out;
  }

  Result<std::vector<Hash>> read_hashes(std::span<const NodeId> ids) override {
    std::lock_guard lock(log_.mutex_);
    std::vector<Hash> out;
    out.reserve(ids.size());
    for (const auto& id : ids) {
      auto it = log_.nodes_.find(id);
      if (it == log_.nodes_.end()) return missing_node(id);
      out.push_back(it->second);
    }
    return out;
  }

  Result<Bytes> nodes(int level, std::uint64_t start, std::uint64_t count) override {
    std::lock_guard lock(log_.mutex_);
    Bytes out;
    for (auto i = start; i < start + count; ++i) {
      auto it = log_.nodes_.find({level, i});
      if (it == log_.nodes_.end()) break;
      out.insert(out.end(), it->second.begin(), it->second.end());
    }
    return out;
  }

  Result<std::vector<StoredEntry>> entries(std::uint64_t start, std::uint64_t count) override {
    std::lock_guard lock(log_.mutex_);
    std::vector<StoredEntry> out;
    for (auto it = log_.entries_.lower_bound(start); it != log_.entries_.end() && it->first < start + count; ++it) {
      out.push_back(it->second);
    }
    return out;
  }

  Result<std::vector<StoredOpening>> openings(std::uint64_t start, std::uint64_t count) override {
    std::lock_guard lock(log_.mutex_);
    std::vector<StoredOpening> out;
    for (auto it = log_.openings_.lower_bound(start); it != log_.openings_.end() && it->first < start + count; ++it) {
      const auto& o = it->second;
      out.push_back({it->first, o.account, SecretBytes(ByteView(o.r)), o.reason, o.received});
    }
    return out;
  }

  Result<std::vector<std::uint64_t>> indices_of(std::string_view account) override {
    std::lock_guard lock(log_.mutex_);
    std::vector<std::uint64_t> out;
    for (const auto& [index, o] : log_.openings_) {
      if (o.account == account) out.push_back(index);
    }
    return out;
  }

  Result<std::size_t> delete_reasons(std::int64_t received_before) override {
    std::lock_guard lock(log_.mutex_);
    std::size_t n = 0;
    for (auto& [index, o] : log_.openings_) {
      if (o.received < received_before && !o.reason.empty()) {
        o.reason.clear();
        ++n;
      }
    }
    return n;
  }

  Status add_cosigned(std::span<const Cosigned> cosigned) override {
    std::lock_guard lock(log_.mutex_);
    write_cosigned(cosigned);
    changed_locked();
    return Ok{};
  }

  Result<std::uint64_t> witness_size(std::string_view witness) override {
    std::lock_guard lock(log_.mutex_);
    auto it = log_.witness_sizes_.find(witness);
    return it == log_.witness_sizes_.end() ? std::uint64_t{0} : it->second;
  }

  Status set_witness_size(std::string_view witness, std::uint64_t size) override {
    std::lock_guard lock(log_.mutex_);
    log_.witness_sizes_[std::string(witness)] = size;
    return Ok{};
  }

  Result<bool> lead(std::chrono::milliseconds) override {
    std::lock_guard lock(log_.mutex_);
    if (log_.leader_ == nullptr) log_.leader_ = this;
    return log_.leader_ == this;
  }

  Result<std::uint64_t> add_pending(ByteView row, std::size_t count) override {
    std::lock_guard lock(log_.mutex_);
    log_.pending_.emplace(++log_.rows_, std::make_pair(count, SecretBytes(row)));
    log_.queued_ += count;
    log_.changed_.notify_all();
    return log_.checkpoints_.empty() ? std::uint64_t{0} : log_.checkpoints_.rbegin()->first;
  }

  Status settle(std::span<const std::int64_t> taken) override {
    std::lock_guard lock(log_.mutex_);
    for (auto id : taken) log_.pending_.erase(id);
    return Ok{};
  }

  Result<std::vector<PendingRow>> pending(std::size_t max) override {
    std::lock_guard lock(log_.mutex_);
    std::vector<PendingRow> out;
    std::size_t held = 0;
    for (const auto& [id, row] : log_.pending_) {
      held += row.first;
      if (!out.empty() && held > max) break;
      out.push_back({id, row.second.clone()});
    }
    return out;
  }

  Result<Changes> wait_for_change(std::chrono::milliseconds timeout) override {
    std::unique_lock lock(log_.mutex_);
    if (!listening_) {
      listening_ = true;
      seen_ = log_.version_;
      seen_queued_ = log_.queued_;
    }
    log_.changed_.wait_for(lock, timeout, [&] { return log_.version_ != seen_ || log_.queued_ != seen_queued_; });
    Changes changes{log_.version_ != seen_, static_cast<std::size_t>(log_.queued_ - seen_queued_)};
    seen_ = log_.version_;
    seen_queued_ = log_.queued_;
    return changes;
  }

 protected:
  Status begin_snapshot() override { return Ok{}; }  // each call reads under the log's mutex
  void end_snapshot() override {}

 private:
  // As the SQL stores do: a note replaces one with no more signatures.
  void write_cosigned(std::span<const Cosigned> cosigned) {
    for (const auto& c : cosigned) {
      auto it = log_.checkpoints_.find(c.size);
      if (it != log_.checkpoints_.end() && it->second.size() <= c.note.size()) it->second = c.note;
      log_.witness_sizes_[c.witness] = c.size;
    }
  }
  void changed_locked() {
    ++log_.version_;
    log_.changed_.notify_all();
  }

  MemoryLog& log_;
  bool listening_ = false;
  std::uint64_t seen_ = 0;         // the log's version_ when last heard
  std::uint64_t seen_queued_ = 0;  // and its queued_ count
};

std::unique_ptr<Store> MemoryLog::open() { return std::make_unique<MemoryStore>(*this); }

}  // namespace objector::intake
