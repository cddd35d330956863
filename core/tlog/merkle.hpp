// RFC 9162 §2.1 Merkle trees over SHA-256: hashing, roots, inclusion and
// consistency proofs (generation and verification), and the compact tree the
// sequencer appends to. A proof reads the complete-subtree hashes it needs
// through a HashReader in one call (golang.org/x/mod sumdb/tlog's
// ReadHashes), so the same code serves an in-memory tree, tiles and a
// database across the network, where a round trip per hash costs most.
// Thread safety: pure functions; CompactTree and MemoryTree are not shared.
#pragma once

#include <compare>
#include <functional>
#include <span>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace objector {

Hash leaf_hash(ByteView entry);                       // SHA-256(0x00 || entry)
Hash node_hash(const Hash& left, const Hash& right);  // SHA-256(0x01 || left || right)
Hash empty_root();                                    // SHA-256 of nothing

// A complete subtree: level (2^level leaves) and index at that level
// (leaves [index << level, (index + 1) << level)).
struct NodeId {
  int level;
  std::uint64_t index;
  bool operator==(const NodeId&) const = default;
  auto operator<=>(const NodeId&) const = default;
};

// The hashes of many complete subtrees, in the order asked (missing_node
// when one is not there).
using HashReader = std::function<Result<std::vector<Hash>>(std::span<const NodeId> ids)>;
// A HashReader over a source that answers one hash at a time (memory, tiles).
HashReader read_each(std::function<Result<Hash>(const NodeId&)> one);

// Which hashes a proof (or root) is made of, before anything is read: proof
// hash k is the right fold, with node_hash, of nodes[ends[k-1], ends[k]). A
// caller answering many proofs reads all their nodes in one call.
struct ProofPlan {
  std::vector<NodeId> nodes;
  std::vector<std::size_t> ends;
};
Result<ProofPlan> plan_inclusion(std::uint64_t index, std::uint64_t size);
Result<ProofPlan> plan_consistency(std::uint64_t size1, std::uint64_t size2);
ProofPlan plan_root(std::uint64_t size);  // one hash: the root of a non-empty tree
// The proof from the plan's hashes (`hashes` in the order of plan.nodes).
std::vector<Hash> fold_plan(const ProofPlan& plan, std::span<const Hash> hashes);
// The complete subtrees that make up a tree of `size` leaves, largest
// (leftmost) first: one per set bit of `size`. Storage fetches these to
// resume a CompactTree.
std::vector<NodeId> tree_peaks(std::uint64_t size);

// Each makes one call to `nodes`.
Result<Hash> tree_root(const HashReader& nodes, std::uint64_t size);
Result<std::vector<Hash>> inclusion_proof(const HashReader& nodes, std::uint64_t index, std::uint64_t size);
Result<std::vector<Hash>> consistency_proof(const HashReader& nodes, std::uint64_t size1, std::uint64_t size2);

// RFC 9162 §2.1.3.2. Roots and leaf hashes of the wrong length are rejected.
Status verify_inclusion(std::uint64_t index, std::uint64_t size, ByteView leaf, std::span<const Hash> proof,
                        ByteView root);
// RFC 9162 §2.1.4.2, plus: equal sizes need an empty proof and equal roots; a
// proof from the empty tree proves nothing and is rejected.
Status verify_consistency(std::uint64_t size1, std::uint64_t size2, std::span<const Hash> proof, ByteView root1,
                          ByteView root2);

// Appends leaves keeping only the O(log n) roots of the perfect subtrees.
class CompactTree {
 public:
  struct Node {
    int level;
    std::uint64_t index;
    Hash hash;
  };

  CompactTree() = default;
  // Resumes from the perfect-subtree roots of a tree of `size` leaves, largest
  // first (the hashes of tree_peaks(size)).
  static Result<CompactTree> from_nodes(std::uint64_t size, std::vector<Hash> peaks);
  // Resumes a tree of `size` leaves, reading its tree_peaks() from `nodes` (one call).
  static Result<CompactTree> load(const HashReader& nodes, std::uint64_t size);

  // Appends a leaf hash; calls `on_node` for every complete subtree it closes
  // (the leaf itself at level 0 first), which is what tiles are made of.
  void append(const Hash& leaf, const std::function<void(const Node&)>& on_node = {});
  std::uint64_t size() const { return size_; }
  Hash root() const;
  const std::vector<Hash>& peaks() const { return peaks_; }  // largest subtree first

 private:
  std::uint64_t size_ = 0;
  std::vector<Hash> peaks_;
};

// Every node of a tree, kept in memory: for tests, exports and small logs.
class MemoryTree {
 public:
  void append(const Hash& leaf);
  std::uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }
  HashReader reader() const;
  Hash root() const;

 private:
  std::vector<std::vector<Hash>> levels_;
};

}  // namespace objector
