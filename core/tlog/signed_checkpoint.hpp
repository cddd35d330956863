// Opening a signed checkpoint under a policy: the log's signature (key name =
// origin), witness cosignatures (c2sp.org/tlog-cosignature) and the quorum.
// Thread safety: pure functions.
#pragma once

#include <optional>

#include "core/json/jcs_writer.hpp"
#include "core/tlog/checkpoint.hpp"
#include "core/tlog/policy.hpp"
#include "core/tlog/signed_note.hpp"

namespace objector {

struct VerifiedCheckpoint {
  Checkpoint checkpoint;
  std::string note;  // the signed note, verbatim
  struct Cosignature {
    std::string witness;  // the policy's name for it
    std::uint64_t timestamp;
  };
  std::vector<Cosignature> cosignatures;
};

Result<VerifiedCheckpoint> open_checkpoint(std::string_view signed_note, const Policy& policy);
// The latest time at which the policy's quorum had cosigned the checkpoint
// (the earliest timestamp among the newest cosignatures that meet it): the
// log was at least this large no later than then. None without a quorum.
std::optional<std::uint64_t> witnessed_time(const Policy& policy, const VerifiedCheckpoint& v);
// How many of the policy's witnesses cosigned, and how many it names.
std::pair<std::size_t, std::size_t> witness_count(const Policy& policy, const VerifiedCheckpoint& v);

// The members "checkpoint": {origin, root, size} and "cosignatures":
// [{timestamp, witness}], for the caller's object; to_json() as a DOM.
void write_jcs_members(JcsWriter& w, const VerifiedCheckpoint& v);
json to_json(const VerifiedCheckpoint& v);

// Signs a checkpoint with the log key (whose name must be the origin).
std::string sign_checkpoint(const Checkpoint& c, const NoteSigner& log_key);
// Adds a witness cosignature made at `timestamp` to a signed checkpoint.
Result<std::string> cosign_checkpoint(std::string_view signed_note, const NoteSigner& witness, std::uint64_t timestamp);
// Takes a witness's add-checkpoint answer (signature lines) into a signed
// checkpoint: lines by `witness` are verified and replace any earlier ones by
// that key; lines by other keys are ignored (tlog-witness). Fails when the
// answer is malformed, holds no valid line by `witness`, or one by it fails.
Result<std::string> merge_cosignatures(std::string_view signed_note, std::string_view lines,
                                       const VerifierKey& witness);

}  // namespace objector
