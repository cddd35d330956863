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

// MTH(D[lo:hi]) from complete subtrees, folding the ragged right edge.
Result<Hash> range_hash(const NodeReader& nodes, std::uint64_t lo, std::uint64_t hi) {
  if (is_perfect(lo, hi)) {
    auto n = hi - lo;
    return nodes(std::countr_zero(n), lo / n);
  }
  auto k = split_point(hi - lo);
  OBJECTOR_TRY(auto left, range_hash(nodes, lo, lo + k));
  OBJECTOR_TRY(auto right, range_hash(nodes, lo + k, hi));
  return node_hash(left, right);
}

// RFC 9162 §2.1.3.1 PATH(m, D[lo:hi]), appended to `out` leaf-first.
Status path(const NodeReader& nodes, std::uint64_t m, std::uint64_t lo, std::uint64_t hi, std::vector<Hash>& out) {
  if (hi - lo <= 1) return Ok{};
  auto k = split_point(hi - lo);
  bool left = m < lo + k;
  OBJECTOR_RETURN_IF_ERROR(left ? path(nodes, m, lo, lo + k, out) : path(nodes, m, lo + k, hi, out));
  OBJECTOR_TRY(auto sibling, left ? range_hash(nodes, lo + k, hi) : range_hash(nodes, lo, lo + k));
  out.push_back(sibling);
  return Ok{};
}

// RFC 9162 §2.1.4.1 SUBPROOF(m, D[lo:hi], b), m counted from lo.
Status subproof(const NodeReader& nodes, std::uint64_t m, std::uint64_t lo, std::uint64_t hi, bool whole,
                std::vector<Hash>& out) {
  auto n = hi - lo;
  if (m == n) {
    if (whole) return Ok{};
    OBJECTOR_TRY(auto h, range_hash(nodes, lo, hi));
    out.push_back(h);
    return Ok{};
  }
  auto k = split_point(n);
  if (m <= k) {
    OBJECTOR_RETURN_IF_ERROR(subproof(nodes, m, lo, lo + k, whole, out));
    OBJECTOR_TRY(auto h, range_hash(nodes, lo + k, hi));
    out.push_back(h);
  } else {
    OBJECTOR_RETURN_IF_ERROR(subproof(nodes, m - k, lo + k, hi, false, out));
    OBJECTOR_TRY(auto h, range_hash(nodes, lo, lo + k));
    out.push_back(h);
  }
  return Ok{};
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

Result<Hash> tree_root(const NodeReader& nodes, std::uint64_t size) {
  if (size == 0) return empty_root();
  return range_hash(nodes, 0, size);
}

Result<std::vector<Hash>> inclusion_proof(const NodeReader& nodes, std::uint64_t index, std::uint64_t size) {
  if (index >= size) {
    return make_error(errc::bad_index,
                      "leaf index " + std::to_string(index) + " is not in a tree of size " + std::to_string(size));
  }
  std::vector<Hash> out;
  OBJECTOR_RETURN_IF_ERROR(path(nodes, index, 0, size, out));
  return out;
}

Result<std::vector<Hash>> consistency_proof(const NodeReader& nodes, std::uint64_t size1, std::uint64_t size2) {
  if (size1 > size2) {
    return make_error(errc::bad_size,
                      "old size " + std::to_string(size1) + " is larger than new size " + std::to_string(size2));
  }
  std::vector<Hash> out;
  if (size1 == 0 || size1 == size2) return out;
  OBJECTOR_RETURN_IF_ERROR(subproof(nodes, size1, 0, size2, true, out));
  return out;
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

Result<CompactTree> CompactTree::load(const NodeReader& nodes, std::uint64_t size) {
  std::vector<Hash> peaks;
  for (const auto& id : tree_peaks(size)) {
    OBJECTOR_TRY(auto h, nodes(id.level, id.index));
    peaks.push_back(h);
  }
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

NodeReader MemoryTree::reader() const {
  return [this](int level, std::uint64_t index) -> Result<Hash> {
    if (level < 0 || static_cast<std::size_t>(level) >= levels_.size() || index >= levels_[level].size()) {
      return make_error(errc::missing_node,
                        "no node at level " + std::to_string(level) + " index " + std::to_string(index));
    }
    return levels_[static_cast<std::size_t>(level)][static_cast<std::size_t>(index)];
  };
}

Hash MemoryTree::root() const { return tree_root(reader(), size()).value(); }

}  // namespace objector
