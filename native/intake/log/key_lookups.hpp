// The look-ups both database stores answer from their log's KeyIndex
// (key_index.hpp) instead of SQL indexes on random keys: by leaf, by device
// key, by account, and the duplicate check a batch's commit makes. Each
// candidate the index names is confirmed against its row, so a tag two keys
// share, or a row outside the reader's snapshot, never answers.
// Before each look-up the index catches up with the rows logged since it
// last read (by any writer: another process, another node).
// Thread safety: one KeyLookups per store (connection); the index is shared.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "native/intake/log/key_index.hpp"
#include "native/intake/log/store.hpp"

namespace objector::intake {

// One logged entry's keys.
struct RowKeys {
  std::uint64_t index = 0;
  Hash leaf{}, device_key{};
  std::string account;
};

// What a store reads for its index.
class KeyRows {
 public:
  virtual ~KeyRows() = default;
  // The rows from entry `start` on, ascending, at most `most`.
  virtual Result<std::vector<RowKeys>> rows_from(std::uint64_t start, std::uint64_t most) = 0;
  // The rows of these entries (ascending) that the reader sees, ascending.
  virtual Result<std::vector<RowKeys>> rows_at(std::span<const std::uint64_t> indices) = 0;
};

class KeyLookups {
 public:
  KeyLookups(std::shared_ptr<KeyIndex> index, KeyRows& rows) : index_(std::move(index)), rows_(rows) {}

  // Adds the entries logged after the index's covered(), at most `most`;
  // returns how many it read.
  Result<std::uint64_t> catch_up(std::uint64_t most = UINT64_MAX);
  // Where `leaf` is logged, if it is.
  Result<std::optional<std::uint64_t>> find_leaf(const Hash& leaf);
  // One answer per submission, by device key (known_by_device_key).
  Result<std::vector<Known>> lookup(std::span<const Submission* const> submissions);
  // The entries of `account`, ascending.
  Result<std::vector<std::uint64_t>> indices_of(std::string_view account);
  // What UNIQUE constraints on leaf and device key would do: a batch with a
  // leaf or device key already logged, or twice, is refused whole.
  Status refuse_duplicates(const Batch& batch);
  // The batch is committed: its keys go into the index at once, when it
  // covers what came before, instead of being read back.
  void logged(const Batch& batch);

 private:
  // The rows holding each of `keys` (of one kind), in its order; each list ascending.
  Result<std::vector<std::vector<RowKeys>>> holding(KeyIndex::Key kind, std::span<const ByteView> keys);

  std::shared_ptr<KeyIndex> index_;
  KeyRows& rows_;
  std::vector<RowKeys> recent_;  // the last rows catch_up() read (at most a chunk), ascending
};

}  // namespace objector::intake
