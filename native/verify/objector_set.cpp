#include "native/verify/objector_set.hpp"

#include <algorithm>
#include <bit>

namespace objector::verify {
namespace {

constexpr std::size_t kBitsPerObjector = 10;
constexpr std::size_t kPerGroup = 8;
// Parquet's split-block Bloom filter salts: odd constants, one per word.
constexpr std::uint32_t kSalt[8] = {0x47b6137bU, 0x44974d91U, 0x8824ad5bU, 0xa2b7289dU,
                                    0x705495c7U, 0x2df1424bU, 0x9efc4947U, 0x5c6bfb31U};

// The bit of word i a key sets: the top 5 bits of key * salt[i].
std::uint32_t bit(std::uint32_t key, int i) { return 1U << ((key * kSalt[i]) >> 27); }

// Enough groups for about kPerGroup objectors each (a power of two, at least 2).
int group_bits(std::size_t n) { return std::max(1, static_cast<int>(std::bit_width(n / kPerGroup)) - 1); }

}  // namespace

ObjectorSet::ObjectorSet(std::span<const std::uint64_t> hashes)
    : blocks_(std::max<std::size_t>(1, (hashes.size() * kBitsPerObjector + 255) / 256)),
      group_shift_(64 - group_bits(hashes.size())),
      entries_(hashes.size()),
      group_start_((std::size_t{1} << group_bits(hashes.size())) + 1) {
  // One counting pass and one stable scatter (a sort's worth of grouping at
  // a quarter of its cost): the groups keep index order.
  for (auto h : hashes) {
    auto& block = blocks_[block_of(h)];
    const auto key = static_cast<std::uint32_t>(h);
    for (int w = 0; w < 8; ++w) block.words[w] |= bit(key, w);
    ++group_start_[group_of(h) + 1];
  }
  for (std::size_t g = 1; g < group_start_.size(); ++g) group_start_[g] += group_start_[g - 1];
  std::vector<std::uint32_t> next(group_start_.begin(), group_start_.end() - 1);
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    entries_[next[group_of(hashes[i])]++] = {hashes[i], i};
  }
}

// The high 32 bits pick the block (Lemire's multiply-shift range reduction),
// the low 32 bits the bits within it.
std::size_t ObjectorSet::block_of(std::uint64_t hash) const {
  return static_cast<std::size_t>(((hash >> 32) * blocks_.size()) >> 32);
}

bool ObjectorSet::maybe(std::uint64_t hash) const {
  const auto& block = blocks_[block_of(hash)];
  const auto key = static_cast<std::uint32_t>(hash);
  std::uint32_t missing = 0;
  for (int w = 0; w < 8; ++w) missing |= bit(key, w) & ~block.words[w];
  return missing == 0;
}

}  // namespace objector::verify
