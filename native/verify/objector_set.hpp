// The objectors of an export as a set the manifest scan can ask ten million
// times a second: a split-block Bloom filter (Parquet's: 32-byte blocks, eight
// 32-bit words, one bit set in each word per key; about 10 bits and one cache
// line per lookup, under 1 % false positives) in front of the full 64-bit
// keyed hashes, sorted, read only when the filter says "maybe". The keyed hash
// (SipHash, a key per run) means nobody can aim collisions at it; a hash hit
// is still confirmed against the opening by the caller.
// Memory: 10 bits + 16 bytes per objector. Thread safety: read-only once built.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace objector::verify {

class ObjectorSet {
 public:
  // hashes[i]: objector i's keyed account hash.
  explicit ObjectorSet(std::span<const std::uint64_t> hashes);

  // Calls f(index) for every objector whose hash is `hash`.
  template <class F>
  void matches(std::uint64_t hash, F&& f) const {
    if (!maybe(hash)) return;
    for (auto it = first_of(hash); it != sorted_.end() && it->hash == hash; ++it) f(it->index);
  }
  // False: certainly no objector has `hash`.
  bool maybe(std::uint64_t hash) const;
  std::size_t bytes() const { return blocks_.size() * sizeof(Block) + sorted_.size() * sizeof(Entry); }

 private:
  struct alignas(32) Block {
    std::uint32_t words[8];
  };
  struct Entry {
    std::uint64_t hash;
    std::uint64_t index;
  };
  std::size_t block_of(std::uint64_t hash) const;
  std::vector<Entry>::const_iterator first_of(std::uint64_t hash) const;

  std::vector<Block> blocks_;
  std::vector<Entry> sorted_;
};

}  // namespace objector::verify
