// What every reader of the log needs from a store, and nothing more: the
// checkpoints, the tree's hashes (many in one call), the entries. The proof
// builder, the tile publisher, the HTTP API's read sessions, export and
// migrate read through it; only the sequencer writes (store.hpp).
// Thread safety: one LogReader (one connection) per thread.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "core/tlog/merkle.hpp"

namespace objector::intake {

struct StoredEntry {
  std::uint64_t index = 0;
  Hash leaf{};
  Hash device_key{};
  std::string bytes;
};

struct StoredCheckpoint {
  std::uint64_t size = 0;
  std::string note;
};

class LogReader {
 public:
  virtual ~LogReader() = default;

  virtual Result<std::optional<StoredCheckpoint>> latest_checkpoint() = 0;
  virtual Result<std::vector<StoredCheckpoint>> checkpoints() = 0;
  virtual Result<std::optional<std::uint64_t>> find_leaf(const Hash& leaf) = 0;
  // The hashes of these tree nodes, in order (missing_node when one is not
  // stored): one query, whatever their number.
  virtual Result<std::vector<Hash>> read_hashes(std::span<const NodeId> ids) = 0;
  // Hashes [start, start + count) of a level, concatenated; fewer if missing.
  virtual Result<Bytes> nodes(int level, std::uint64_t start, std::uint64_t count) = 0;
  virtual Result<std::vector<StoredEntry>> entries(std::uint64_t start, std::uint64_t count) = 0;

  HashReader reader() {
    return [this](std::span<const NodeId> ids) { return read_hashes(ids); };
  }
};

// The error of a read_hashes() that finds no row for `id`.
Error missing_node(const NodeId& id);

}  // namespace objector::intake
