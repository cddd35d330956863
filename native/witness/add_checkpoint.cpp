#include "native/witness/add_checkpoint.hpp"

#include <algorithm>

#include "core/tlog/checkpoint.hpp"
#include "core/tlog/merkle.hpp"
#include "core/tlog/signed_note.hpp"
#include "core/tlog/witness_request.hpp"

namespace objector::witness {
namespace {

struct StatusOf {
  const ErrorCode& code;
  int status;
};

constexpr StatusOf kStatusOf[] = {
    {errc::bad_size, 400},        {errc::unknown_log, 404},        {errc::not_found, 404},
    {errc::unknown_signer, 403},  {errc::bad_note_signature, 403}, {errc::method_not_allowed, 405},
    {errc::request_timeout, 408}, {errc::old_size_mismatch, 409},  {errc::body_too_large, 413},
    {errc::bad_proof, 422},       {errc::not_consistent, 422},     {errc::headers_too_large, 431},
    {errc::rate_limited, 429},    {errc::storage_error, 503},      {errc::shutting_down, 503},
};

// A refusal, and whether the request is evidence against the log.
struct Refused {
  Error error;
  bool evidence = false;
};

Error unavailable() { return make_error(errc::storage_error, "the witness cannot read its state; try again"); }

// The checks that need the stored state: 409 and 422, or nothing when the
// checkpoint may be cosigned.
std::optional<Refused> check_against(const std::optional<Cosigned>& latest, const AddCheckpointRequest& req,
                                     const Checkpoint& c) {
  const std::uint64_t cosigned = latest ? latest->size : 0;
  if (req.old_size != cosigned) {
    return Refused{make_error(errc::old_size_mismatch, "the witness last cosigned size " + std::to_string(cosigned))};
  }
  if (req.old_size == 0 && !req.proof.empty()) {
    return Refused{make_error(errc::bad_proof, "a consistency proof from size 0 must be empty")};
  }
  if (c.size == 0 && c.root != empty_root()) {
    return Refused{make_error(errc::not_consistent, "a checkpoint of size 0 must have the empty tree's root"), true};
  }
  if (!latest) return std::nullopt;  // nothing to be consistent with yet
  if (c.size == latest->size) {
    if (c.root != latest->root) {
      return Refused{make_error(errc::not_consistent, "a different root for the size already cosigned (a fork)"), true};
    }
    if (!req.proof.empty()) {
      return Refused{make_error(errc::bad_proof, "a consistency proof between equal sizes must be empty")};
    }
    return std::nullopt;
  }
  if (latest->size == 0) {
    if (!req.proof.empty())
      return Refused{make_error(errc::bad_proof, "a consistency proof from size 0 must be empty")};
    return std::nullopt;
  }
  if (auto ok = verify_consistency(latest->size, c.size, req.proof, latest->root, c.root); !ok) {
    return Refused{make_error(errc::not_consistent, "the consistency proof does not verify: " + ok.error().message),
                   true};
  }
  return std::nullopt;
}

// The note with the log's signatures only (no unknown lines, no cosignatures).
Note log_signed(const Note& note, const std::vector<VerifierKey>& keys) {
  Note kept{note.text, {}};
  for (const auto& s : note.signatures) {
    bool by_log =
        std::any_of(keys.begin(), keys.end(), [&](const VerifierKey& k) { return k.name == s.name && k.id == s.id; });
    if (by_log) kept.signatures.push_back(s);
  }
  return kept;
}

}  // namespace

int witness_status(const Error& e) {
  for (const auto& s : kStatusOf) {
    if (e.is(s.code)) return s.status;
  }
  switch (e.kind) {
    case ErrorKind::malformed:
      return 400;
    case ErrorKind::unverified:
      return 403;
    case ErrorKind::unavailable:
      return 503;
    case ErrorKind::internal:
      break;
  }
  return 500;
}

WitnessReply refusal(const Error& e) {
  auto line = e.message;
  std::replace(line.begin(), line.end(), '\n', ' ');
  return {witness_status(e), "text/plain; charset=utf-8", line + "\n"};
}

WitnessReply add_checkpoint(WitnessState& state, const NoteSigner& witness_key, std::string_view body,
                            std::uint64_t now) {
  auto req = parse_add_checkpoint(body);
  if (!req) return refusal(req.error());
  auto note = parse_note(req->checkpoint);
  if (!note) return refusal(note.error());
  auto c = parse_checkpoint_text(note->text);
  if (!c) return refusal(c.error());

  auto tx = state.begin();
  if (!tx) return refusal(unavailable());
  auto keys = state.log_keys(c->origin);
  if (!keys) return refusal(unavailable());
  if (keys->empty()) return refusal(make_error(errc::unknown_log, "unknown log origin \"" + c->origin + "\""));
  auto verified = verify_known_signatures(*note, *keys);
  // Any fault in the trusted key's signatures (an invalid one, two by one key) is 403.
  if (!verified) return refusal(make_error(errc::bad_note_signature, verified.error().message));
  if (verified->empty()) {
    return refusal(
        make_error(errc::unknown_signer, "no trusted key of log \"" + c->origin + "\" signed the checkpoint"));
  }
  if (req->old_size > c->size) {
    return refusal(make_error(errc::bad_size, "the old size is larger than the checkpoint's size"));
  }

  auto latest = state.latest(c->origin);
  if (!latest) return refusal(unavailable());
  if (auto refused = check_against(*latest, *req, *c)) {
    if (refused->error.is(errc::old_size_mismatch)) {
      return {409, std::string(kTlogSizeType), format_tlog_size(*latest ? (*latest)->size : 0)};
    }
    if (refused->evidence) {
      // Signed by the log and inconsistent: keep it as the log signed it, it may prove a split view.
      auto kept = format_add_checkpoint({req->old_size, req->proof, format_note(log_signed(*note, *keys))});
      (void)state.keep_evidence(c->origin, static_cast<std::int64_t>(now), kept, kMaxEvidence, kMaxEvidenceBytes);
      (void)tx->commit();
    }
    return refusal(refused->error);
  }

  // The stored note keeps the log's signatures and this witness's cosignature only.
  Note kept = log_signed(*note, *keys);
  auto cosignature = sign_note_text(note->text, witness_key, now);
  kept.signatures.push_back(cosignature);
  if (auto ok = state.store(c->origin, {c->size, c->root, format_note(kept)}); !ok) {
    return refusal(make_error(errc::storage_error, "the witness cannot store its state; try again"));
  }
  if (auto ok = tx->commit(); !ok) {
    return refusal(make_error(errc::storage_error, "the witness cannot store its state; try again"));
  }
  return {200, "text/plain; charset=utf-8", format_signature_line(cosignature)};
}

}  // namespace objector::witness
