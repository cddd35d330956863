// The tree's recent hashes in memory, in front of the store's: the proofs
// for a batch just logged need the nodes that batch wrote and a few older
// ones, so the sequencer answers them without reading the database. A stored
// node never changes (the tree only grows and a node is written once its
// subtree is complete), so whatever was read may be kept as well. Bounded:
// the oldest go first.
// Thread safety: one thread (the sequencer's).
#pragma once

#include <deque>
#include <unordered_map>

#include "core/tlog/merkle.hpp"

namespace objector::intake {

class NodeCache {
 public:
  explicit NodeCache(std::size_t capacity) : capacity_(capacity) {}

  // A node the store holds (committed: never one of a batch that may fail).
  void add(const NodeId& id, const Hash& hash);
  // Reads through `store`: what is not here, in one call, and keeps it.
  HashReader over(HashReader store);
  std::size_t size() const { return hashes_.size(); }

 private:
  struct IdHash {
    std::size_t operator()(const NodeId& id) const noexcept {
      return std::hash<std::uint64_t>{}(id.index * 64 + static_cast<std::uint64_t>(id.level));
    }
  };
  std::size_t capacity_;
  std::unordered_map<NodeId, Hash, IdHash> hashes_;
  std::deque<NodeId> order_;  // oldest first
};

}  // namespace objector::intake
