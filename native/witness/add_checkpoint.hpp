// The witness's one decision, c2sp.org/tlog-witness add-checkpoint, checked
// in the spec's order and stored atomically with its answer. Refusals are
// errors with codes (core/error_codes.hpp), turned into the spec's statuses
// by one table (witness_status):
//   400 malformed request, or old size > checkpoint size (bad_size)
//   404 unknown origin (unknown_log)
//   403 no trusted log key signed it, or a trusted key's signature fails
//       (unknown_signer, bad_note_signature)
//   409 old size is not the size last cosigned (old_size_mismatch; body: that
//       size, text/x.tlog.size)
//   422 bad consistency proof; a proof with old 0; size 0 with another root
//       than the empty tree's; the cosigned size with another root (a fork)
//       (bad_proof, not_consistent)
//   200 the cosignature line, after the new state is stored
// Unknown signature lines are ignored. Errors are plain text, one line.
// Evidence: a refusal that shows the log's own signature on a tree that
// cannot extend the cosigned one (a fork, a failing proof, a size-0 tree with
// a root) is kept, as the log signed it (its signatures only), once, and at
// most kMaxEvidence requests or kMaxEvidenceBytes per log.
// Thread safety: callers serialize calls on one WitnessState.
#pragma once

#include "native/witness/witness_state.hpp"

namespace objector::witness {

inline constexpr std::size_t kMaxEvidence = 100;
inline constexpr std::size_t kMaxEvidenceBytes = std::size_t{1} << 20;

struct WitnessReply {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

WitnessReply add_checkpoint(WitnessState& state, const NoteSigner& witness_key, std::string_view body,
                            std::uint64_t now);

// The HTTP status of an error the witness answers with.
int witness_status(const Error& e);
// A refusal as the witness answers it: the status, and the message as one line.
WitnessReply refusal(const Error& e);

}  // namespace objector::witness
