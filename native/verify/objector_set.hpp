// The objectors of an export as a set the manifest scan can ask ten million
// times a second: a split-block Bloom filter (Parquet's: 32-byte blocks, eight
// 32-bit words, one bit set in each word per key; about 10 bits and one cache
// line per lookup, about 1 % false positives) in front of the full 64-bit
// keyed hashes, grouped by their top bits (about 8 to a group, in index
// order) and read only when the filter says "maybe". The keyed hash (SipHash,
// a key per run) means nobody can aim collisions at it; a hash hit is still
// confirmed against the opening by the caller.
// Memory: about 10 bits + 17 bytes per objector. Thread safety: read-only once built.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace objector::verify {

class ObjectorSet {
 public:
  // hashes[i]: objector i's keyed account hash.
  explicit ObjectorSet(std::span<const std::uint64_t> hashes);

  // Calls f(index) for every objector whose hash is `hash`, in index order.
  template <class F>
  void matches(std::uint64_t hash, F&& f) const {
    if (!maybe(hash)) return;
    const auto g = group_of(hash);
    for (auto i = group_start_[g]; i < group_start_[g + 1]; ++i) {
      if (entries_[i].hash == hash) f(entries_[i].index);
    }
  }
  // False: certainly no objector has `hash`.
  bool maybe(std::uint64_t hash) const;
  // Where maybe(hash) will look: for prefetching a batch ahead.
  const void* block_address(std::uint64_t hash) const { return &blocks_[block_of(hash)]; }
  std::size_t bytes() const {
    return blocks_.size() * sizeof(Block) + entries_.size() * sizeof(Entry) +
           group_start_.size() * sizeof(group_start_[0]);
  }

 private:
  struct alignas(32) Block {
    std::uint32_t words[8];
  };
  struct Entry {
    std::uint64_t hash;
    std::uint64_t index;
  };
  std::size_t block_of(std::uint64_t hash) const;
  std::size_t group_of(std::uint64_t hash) const { return static_cast<std::size_t>(hash >> group_shift_); }

  std::vector<Block> blocks_;
  int group_shift_;
  std::vector<Entry> entries_;              // grouped by the hash's top bits, each group in index order
  std::vector<std::uint32_t> group_start_;  // group g is entries_[group_start_[g], group_start_[g + 1])
};

}  // namespace objector::verify
