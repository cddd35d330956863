// c2sp.org/tlog-proof@v1: an offline-verifiable proof that an entry is in a
// log, made of an index, an inclusion proof and the signed checkpoint.
// Thread safety: pure functions.
#pragma once

#include <optional>

#include "core/tlog/signed_checkpoint.hpp"

namespace objector {

inline constexpr std::string_view kTlogProofHeader = "c2sp.org/tlog-proof@v1";

struct TlogProof {
  std::optional<Bytes> extra;  // opaque, unauthenticated
  std::uint64_t index = 0;
  std::vector<Hash> hashes;  // leaf's sibling first
  std::string checkpoint;    // signed note, verbatim
};

Result<TlogProof> parse_tlog_proof(std::string_view text);
std::string format_tlog_proof(const TlogProof& proof);

// The checkpoint under the policy, then the inclusion of `leaf` at proof.index.
Result<VerifiedCheckpoint> verify_tlog_proof(const TlogProof& proof, const Hash& leaf, const Policy& policy);

}  // namespace objector
