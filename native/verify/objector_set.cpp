#include "native/verify/objector_set.hpp"

#include <algorithm>

namespace objector::verify {
namespace {

constexpr std::size_t kBitsPerObjector = 10;
// Parquet's split-block Bloom filter salts: odd constants, one per word.
constexpr std::uint32_t kSalt[8] = {0x47b6137bU, 0x44974d91U, 0x8824ad5bU, 0xa2b7289dU,
                                    0x705495c7U, 0x2df1424bU, 0x9efc4947U, 0x5c6bfb31U};

// The bit of word i a key sets: the top 5 bits of key * salt[i].
std::uint32_t bit(std::uint32_t key, int i) { return 1U << ((key * kSalt[i]) >> 27); }

}  // namespace

ObjectorSet::ObjectorSet(std::span<const std::uint64_t> hashes)
    : blocks_(std::max<std::size_t>(1, (hashes.size() * kBitsPerObjector + 255) / 256)) {
  sorted_.reserve(hashes.size());
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    auto& block = blocks_[block_of(hashes[i])];
    const auto key = static_cast<std::uint32_t>(hashes[i]);
    for (int w = 0; w < 8; ++w) block.words[w] |= bit(key, w);
    sorted_.push_back({hashes[i], i});
  }
  std::sort(sorted_.begin(), sorted_.end(),
            [](const Entry& a, const Entry& b) { return a.hash < b.hash || (a.hash == b.hash && a.index < b.index); });
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

std::vector<ObjectorSet::Entry>::const_iterator ObjectorSet::first_of(std::uint64_t hash) const {
  return std::lower_bound(sorted_.begin(), sorted_.end(), hash,
                          [](const Entry& e, std::uint64_t h) { return e.hash < h; });
}

}  // namespace objector::verify
