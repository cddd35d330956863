#include "native/witness/add_checkpoint.hpp"

#include <algorithm>

#include "core/tlog/checkpoint.hpp"
#include "core/tlog/merkle.hpp"
#include "core/tlog/signed_note.hpp"
#include "core/tlog/witness_request.hpp"

namespace objector::witness {
namespace {

WitnessReply reply(int status, const std::string& message) {
  return {status, "text/plain; charset=utf-8", message + "\n"};
}

// The checks that need the stored state: 409 and 422, or nothing when the
// checkpoint may be cosigned.
std::optional<WitnessReply> check_against(const std::optional<Cosigned>& latest, const AddCheckpointRequest& req,
                                          const Checkpoint& c) {
  const std::uint64_t cosigned = latest ? latest->size : 0;
  if (req.old_size != cosigned) return WitnessReply{409, std::string(kTlogSizeType), format_tlog_size(cosigned)};
  if (req.old_size == 0 && !req.proof.empty()) {
    return reply(422, "a consistency proof from size 0 must be empty");
  }
  if (c.size == 0 && c.root != empty_root())
    return reply(422, "a checkpoint of size 0 must have the empty tree's root");
  if (!latest) return std::nullopt;  // nothing to be consistent with yet
  if (c.size == latest->size) {
    if (c.root != latest->root) return reply(422, "a different root for the size already cosigned (a fork)");
    if (!req.proof.empty()) return reply(422, "a consistency proof between equal sizes must be empty");
    return std::nullopt;
  }
  if (latest->size == 0) {
    if (!req.proof.empty()) return reply(422, "a consistency proof from size 0 must be empty");
    return std::nullopt;
  }
  if (auto ok = verify_consistency(latest->size, c.size, req.proof, latest->root, c.root); !ok) {
    return reply(422, "the consistency proof does not verify: " + ok.error().message);
  }
  return std::nullopt;
}

}  // namespace

WitnessReply add_checkpoint(WitnessState& state, const NoteSigner& witness_key, std::string_view body,
                            std::uint64_t now) {
  auto req = parse_add_checkpoint(body);
  if (!req) return reply(400, req.error().message);
  auto note = parse_note(req->checkpoint);
  if (!note) return reply(400, note.error().message);
  auto c = parse_checkpoint_text(note->text);
  if (!c) return reply(400, c.error().message);

  auto tx = state.begin();
  if (!tx) return reply(503, "the witness cannot read its state; try again");
  auto keys = state.log_keys(c->origin);
  if (!keys) return reply(503, "the witness cannot read its state; try again");
  if (keys->empty()) return reply(404, "unknown log origin \"" + c->origin + "\"");
  auto verified = verify_known_signatures(*note, *keys);
  if (!verified) return reply(403, verified.error().message);
  if (verified->empty()) return reply(403, "no trusted key of log \"" + c->origin + "\" signed the checkpoint");
  if (req->old_size > c->size) return reply(400, "the old size is larger than the checkpoint's size");

  auto latest = state.latest(c->origin);
  if (!latest) return reply(503, "the witness cannot read its state; try again");
  if (auto refused = check_against(*latest, *req, *c)) {
    if (refused->status == 422) {
      // Signed by the log and inconsistent: keep it, it may prove a split view.
      (void)state.keep_evidence(c->origin, static_cast<std::int64_t>(now), body);
      (void)tx->commit();
    }
    return *refused;
  }

  // The stored note keeps the log's signatures and this witness's cosignature only.
  Note kept{note->text, {}};
  for (const auto& s : note->signatures) {
    bool by_log =
        std::any_of(keys->begin(), keys->end(), [&](const VerifierKey& k) { return k.name == s.name && k.id == s.id; });
    if (by_log) kept.signatures.push_back(s);
  }
  auto cosignature = sign_note_text(note->text, witness_key, now);
  kept.signatures.push_back(cosignature);
  if (auto ok = state.store(c->origin, {c->size, c->root, format_note(kept)}); !ok) {
    return reply(503, "the witness cannot store its state; try again");
  }
  if (auto ok = tx->commit(); !ok) return reply(503, "the witness cannot store its state; try again");
  return {200, "text/plain; charset=utf-8", format_signature_line(cosignature)};
}

}  // namespace objector::witness
