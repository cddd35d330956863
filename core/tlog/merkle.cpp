#include "core/tlog/merkle.hpp"

#include <sodium.h>

#include <bit>

#include "core/crypto/sha256.hpp"

namespace objector {
namespace {

// Largest power of two strictly below n (n >= 2).
std::uint64_t split_point(std::uint64_t n) { return std::bit_floor(n - 1); }

bool is_perfect(std::uint64_t lo, std::uint64_t hi) {
  auto n = hi - lo;
  return std::has_single_bit(n) && lo % n == 0;
}

// MTH(D[lo:hi]) as the complete subtrees it folds, largest (leftmost) first.
// Every range a proof asks for starts at a multiple of its left part, so the
// left part is complete and the hash is the right fold of this list.
void range_nodes(std::uint64_t lo, std::uint64_t hi, std::vector<NodeId>& out) {
  while (!is_perfect(lo, hi)) {
    auto k = split_point(hi - lo);
    out.push_back({std::countr_zero(k), lo / k});
    lo += k;
  }
  auto n = hi - lo;
  out.push_back({std::countr_zero(n), lo / n});
}

// One proof hash: the range [lo, hi).
void add_range(ProofPlan& plan, std::uint64_t lo, std::uint64_t hi) {
  range_nodes(lo, hi, plan.nodes);
  plan.ends.push_back(plan.nodes.size());
}

// RFC 9162 §2.1.3.1 PATH(m, D[lo:hi]), leaf-first.
void path(ProofPlan& plan, std::uint64_t m, std::uint64_t lo, std::uint64_t hi) {
  if (hi - lo <= 1) return;
  auto k = split_point(hi - lo);
  if (m < lo + k) {
    path(plan, m, lo, lo + k);
    add_range(plan, lo + k, hi);
  } else {
    path(plan, m, lo + k, hi);
    add_range(plan, lo, lo + k);
  }
}

// RFC 9162 §2.1.4.1 SUBPROOF(m, D[lo:hi], b), m counted from lo.
void subproof(ProofPlan& plan, std::uint64_t m, std::uint64_t lo, std::uint64_t hi, bool whole) {
  auto n = hi - lo;
  if (m == n) {
    if (!whole) add_range(plan, lo, hi);
    return;
  }
  auto k = split_point(n);
  if (m <= k) {
    subproof(plan, m, lo, lo + k, whole);
    add_range(plan, lo + k, hi);
  } else {
    subproof(plan, m - k, lo + k, hi, false);
    add_range(plan, lo, lo + k);
  }
}

Result<std::vector<Hash>> read_plan(const HashReader& nodes, const ProofPlan& plan) {
  if (plan.nodes.empty()) return std::vector<Hash>();
  OBJECTOR_TRY(auto hashes, nodes(plan.nodes));
  if (hashes.size() != plan.nodes.size()) {
    return make_error(errc::missing_node, "the tree store answered " + std::to_string(hashes.size()) + " hashes for " +
                                              std::to_string(plan.nodes.size()));
  }
  return fold_plan(plan, hashes);
}

bool equal(ByteView a, const Hash& b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), b.size()) == 0;
}

}  // namespace

Hash leaf_hash(ByteView entry) { return Sha256().update(0x00).update(entry).finish(); }

Hash node_hash(const Hash& left, const Hash& right) {
  // One 65-byte buffer and one call: the hot path of appends and proofs.
  std::array<std::uint8_t, 65> buf;  // NOLINT(cppcoreguidelines-pro-type-member-init): fully written below
  buf[0] = 0x01;
  std::copy(left.begin(), left.end(), buf.begin() + 1);
  std::copy(right.begin(), right.end(), buf.begin() + 33);
  return sha256(buf);
}

Hash empty_root() { return sha256({}); }

HashReader read_each(std::function<Result<Hash>(const NodeId&)> one) {
  return [one = std::move(one)](std::span<const NodeId> ids) -> Result<std::vector<Hash>> {
    std::vector<Hash> out;
    out.reserve(ids.size());
    for (const auto& id : ids) {
      OBJECTOR_TRY(auto h, one(id));
      out.push_back(h);
    }
    return out;
  };
}

Result<ProofPlan> plan_inclusion(std::uint64_t index, std::uint64_t size) {
  if (index >= size) {
    return make_error(errc::bad_index,
                      "leaf index " + std::to_string(index) + " is not in a tree of size " + std::to_string(size));
  }
  ProofPlan plan;
  path(plan, index, 0, size);
  return plan;
}

Result<ProofPlan> plan_consistency(std::uint64_t size1, std::uint64_t size2) {
  if (size1 > size2) {
    return make_error(errc::bad_size,
                      "old size " + std::to_string(size1) + " is larger than new size " + std::to_string(size2));
  }
  ProofPlan plan;
  if (size1 != 0 && size1 != size2) subproof(plan, size1, 0, size2, true);
  return plan;
}

ProofPlan plan_root(std::uint64_t size) {
  ProofPlan plan;
  if (size != 0) add_range(plan, 0, size);
  return plan;
}

std::vector<Hash> fold_plan(const ProofPlan& plan, std::span<const Hash> hashes) {
  std::vector<Hash> out;
  out.reserve(plan.ends.size());
  std::size_t begin = 0;
  for (auto end : plan.ends) {
    Hash h = hashes[end - 1];
    for (auto j = end - 1; j > begin; --j) h = node_hash(hashes[j - 1], h);
    out.push_back(h);
    begin = end;
  }
  return out;
}

Result<Hash> tree_root(const HashReader& nodes, std::uint64_t size) {
  if (size == 0) return empty_root();
  OBJECTOR_TRY(auto root, read_plan(nodes, plan_root(size)));
  return root.front();
}

Result<std::vector<Hash>> inclusion_proof(const HashReader& nodes, std::uint64_t index, std::uint64_t size) {
  OBJECTOR_TRY(auto plan, plan_inclusion(index, size));
  return read_plan(nodes, plan);
}

Result<std::vector<Hash>> consistency_proof(const HashReader& nodes, std::uint64_t size1, std::uint64_t size2) {
  OBJECTOR_TRY(auto plan, plan_consistency(size1, size2));
  return read_plan(nodes, plan);
}

Status verify_inclusion(std::uint64_t index, std::uint64_t size, ByteView leaf, std::span<const Hash> proof,
                        ByteView root) {
  if (index >= size) {
    return make_error(errc::bad_index,
                      "leaf index " + std::to_string(index) + " is not in a tree of size " + std::to_string(size));
  }
  if (leaf.size() != 32 || root.size() != 32) {
    return make_error(errc::bad_length, "leaf hash and root must be 32 bytes");
  }
  Hash r{};
  std::copy(leaf.begin(), leaf.end(), r.begin());
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  for (const auto& p : proof) {
    if (sn == 0) return make_error(errc::bad_proof, "inclusion proof has more hashes than the tree has levels");
    if ((fn & 1) != 0 || fn == sn) {
      r = node_hash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return make_error(errc::bad_proof, "inclusion proof has too few hashes for the tree size");
  if (!equal(root, r)) return make_error(errc::root_mismatch, "inclusion proof does not lead to the checkpoint root");
  return Ok{};
}

Status verify_consistency(std::uint64_t size1, std::uint64_t size2, std::span<const Hash> proof, ByteView root1,
                          ByteView root2) {
  if (size1 > size2) {
    return make_error(errc::bad_size,
                      "old size " + std::to_string(size1) + " is larger than new size " + std::to_string(size2));
  }
  if (size1 == 0) return make_error(errc::bad_size, "a consistency proof from the empty tree proves nothing");
  if (size1 == size2) {
    if (!proof.empty()) return make_error(errc::bad_proof, "equal tree sizes need an empty consistency proof");
    if (root1.size() != root2.size() || sodium_memcmp(root1.data(), root2.data(), root1.size()) != 0) {
      return make_error(errc::root_mismatch, "two trees of the same size have different roots");
    }
    return Ok{};
  }
  if (proof.empty()) return make_error(errc::bad_proof, "consistency proof is empty");
  if (root1.size() != 32 || root2.size() != 32) return make_error(errc::bad_length, "roots must be 32 bytes");

  std::vector<Hash> path;
  if (std::has_single_bit(size1)) {
    Hash first{};
    std::copy(root1.begin(), root1.end(), first.begin());
    path.push_back(first);
  }
  path.insert(path.end(), proof.begin(), proof.end());
  std::uint64_t fn = size1 - 1;
  std::uint64_t sn = size2 - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0];
  Hash sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    const auto& c = path[i];
    if (sn == 0) return make_error(errc::bad_proof, "consistency proof has more hashes than the tree has levels");
    if ((fn & 1) != 0 || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return make_error(errc::bad_proof, "consistency proof has too few hashes for the tree sizes");
  if (!equal(root1, fr)) return make_error(errc::root_mismatch, "consistency proof does not lead to the old root");
  if (!equal(root2, sr)) return make_error(errc::root_mismatch, "consistency proof does not lead to the new root");
  return Ok{};
}

std::vector<NodeId> tree_peaks(std::uint64_t size) {
  std::vector<NodeId> out;
  std::uint64_t covered = 0;
  for (int level = 63; level >= 0; --level) {
    std::uint64_t width = std::uint64_t{1} << level;
    if ((size & width) == 0) continue;
    out.push_back({level, covered >> level});
    covered += width;
  }
  return out;
}

Result<CompactTree> CompactTree::load(const HashReader& nodes, std::uint64_t size) {
  auto ids = tree_peaks(size);
  if (ids.empty()) return CompactTree();
  OBJECTOR_TRY(auto peaks, nodes(ids));
  return from_nodes(size, std::move(peaks));
}

Result<CompactTree> CompactTree::from_nodes(std::uint64_t size, std::vector<Hash> peaks) {
  if (static_cast<std::size_t>(std::popcount(size)) != peaks.size()) {
    return make_error(errc::bad_tree, "a tree of size " + std::to_string(size) + " has " +
                                          std::to_string(std::popcount(size)) + " perfect subtrees, got " +
                                          std::to_string(peaks.size()));
  }
  CompactTree t;
  t.size_ = size;
  t.peaks_ = std::move(peaks);
  return t;
}

void CompactTree::append(const Hash& leaf, const std::function<void(const Node&)>& on_node) {
  Hash h = leaf;
  std::uint64_t index = size_;
  int level = 0;
  if (on_node) on_node({0, index, h});
  // Each trailing one bit of size_ is a perfect subtree that merges with h.
  for (std::uint64_t s = size_; (s & 1) != 0; s >>= 1) {
    h = node_hash(peaks_.back(), h);
    peaks_.pop_back();
    ++level;
    index >>= 1;
    if (on_node) on_node({level, index, h});
  }
  peaks_.push_back(h);
  ++size_;
}

Hash CompactTree::root() const {
  if (peaks_.empty()) return empty_root();
  Hash h = peaks_.back();
  for (auto it = peaks_.rbegin() + 1; it != peaks_.rend(); ++it) h = node_hash(*it, h);
  return h;
}

void MemoryTree::append(const Hash& leaf) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf);
  for (std::size_t level = 0; levels_[level].size() % 2 == 0; ++level) {
    if (levels_.size() == level + 1) levels_.emplace_back();
    const auto& row = levels_[level];
    levels_[level + 1].push_back(node_hash(row[row.size() - 2], row.back()));
  }
}

HashReader MemoryTree::reader() const {
  return read_each([this](const NodeId& id) -> Result<Hash> {
    if (id.level < 0 || static_cast<std::size_t>(id.level) >= levels_.size() ||
        id.index >= levels_[static_cast<std::size_t>(id.level)].size()) {
      return make_error(errc::missing_node,
                        "no node at level " + std::to_string(id.level) + " index " + std::to_string(id.index));
    }
    return levels_[static_cast<std::size_t>(id.level)][static_cast<std::size_t>(id.index)];
  });
}

Hash MemoryTree::root() const { return tree_root(reader(), size()).value(); }

}  // namespace objector
