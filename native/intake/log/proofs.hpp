// The one proof builder of the intake: inclusion proofs (the 201 answer and
// GET /v1/proof) and consistency proofs (GET /v1/consistency) under a signed
// checkpoint, each set read from the tree's hashes in one call, however many
// proofs it holds (x/mod's "ProveRecord makes a single call").
// Thread safety: pure functions over the reader they are given.
#pragma once

#include <algorithm>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/tlog/merkle.hpp"

namespace objector::intake {

// A checkpoint as the log published it: size and signed note (with whatever
// cosignatures it has gathered).
struct LatestCheckpoint {
  std::uint64_t size = 0;
  std::string note;
};

// How many lines a note has: of two notes of one checkpoint, the longer
// carries more signatures (the log's and its cosignatures).
inline std::size_t signature_lines(std::string_view note) {
  return static_cast<std::size_t>(std::count(note.begin(), note.end(), '\n'));
}

// c2sp.org/tlog-proof@v1 texts for `indices` (each below cp.size), in order.
Result<std::vector<std::string>> inclusion_proofs(const HashReader& nodes, std::span<const std::uint64_t> indices,
                                                  const LatestCheckpoint& cp);
Result<std::string> inclusion_proof_text(const HashReader& nodes, std::uint64_t index, const LatestCheckpoint& cp);

}  // namespace objector::intake
