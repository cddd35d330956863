// The witness's one decision, c2sp.org/tlog-witness add-checkpoint, checked
// in the spec's order and stored atomically with its answer:
//   400 malformed request, or old size > checkpoint size
//   404 unknown origin
//   403 no trusted log key signed it, or a trusted key's signature fails
//   409 old size is not the size last cosigned (body: that size, text/x.tlog.size)
//   422 bad consistency proof; a proof with old 0; size 0 with another root
//       than the empty tree's; the cosigned size with another root (a fork)
//   200 the cosignature line, after the new state is stored
// Unknown signature lines are ignored. Errors are plain text, one line.
// Thread safety: callers serialize calls on one WitnessState.
#pragma once

#include "native/witness/witness_state.hpp"

namespace objector::witness {

struct WitnessReply {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

WitnessReply add_checkpoint(WitnessState& state, const NoteSigner& witness_key, std::string_view body,
                            std::uint64_t now);

}  // namespace objector::witness
