#include "core/tlog/signed_checkpoint.hpp"

#include <algorithm>

namespace objector {

Result<VerifiedCheckpoint> open_checkpoint(std::string_view signed_note, const Policy& policy) {
  OBJECTOR_TRY(auto note, parse_note(signed_note));
  OBJECTOR_TRY(auto checkpoint, parse_checkpoint_text(note.text));

  std::vector<VerifierKey> known;
  for (const auto& l : policy.logs) {
    if (l.name == checkpoint.origin) known.push_back(l);
  }
  if (known.empty()) {
    return make_error(errc::unknown_log, "checkpoint: origin \"" + checkpoint.origin +
                                             "\" is not a trusted log (hint: pass the log's verifier key)");
  }
  const auto log_keys = known.size();
  for (const auto& w : policy.witnesses) known.push_back(w.key);

  OBJECTOR_TRY(auto verified, verify_known_signatures(note, known));
  if (verified.empty()) {
    return make_error(errc::unknown_signer, "checkpoint signed by unknown key (hint: check the log's verifier key)");
  }
  auto is_log_key = [&](const VerifierKey& k) {
    return std::any_of(known.begin(), known.begin() + static_cast<std::ptrdiff_t>(log_keys),
                       [&](const VerifierKey& l) { return l.name == k.name && l.id == k.id; });
  };
  VerifiedCheckpoint out{std::move(checkpoint), std::string(signed_note), {}};
  bool log_signed = false;
  std::vector<std::string> witnesses;
  for (const auto& v : verified) {
    if (is_log_key(v.key)) {
      log_signed = true;
      continue;
    }
    for (const auto& w : policy.witnesses) {
      if (w.key.name == v.key.name && w.key.id == v.key.id) {
        witnesses.push_back(w.name);
        out.cosignatures.push_back({w.name, v.timestamp.value_or(0)});
      }
    }
  }
  if (!log_signed) return make_error(errc::unknown_signer, "checkpoint signed by unknown key (no valid log signature)");
  if (!quorum_met(policy, witnesses)) {
    return make_error(errc::quorum_not_met,
                      "checkpoint: witness cosignatures do not meet the policy's quorum \"" + policy.quorum + "\"");
  }
  return out;
}

std::optional<std::uint64_t> witnessed_time(const Policy& policy, const VerifiedCheckpoint& v) {
  if (policy.quorum == "none") return std::nullopt;
  auto newest_first = v.cosignatures;
  std::sort(newest_first.begin(), newest_first.end(),
            [](const auto& a, const auto& b) { return a.timestamp > b.timestamp; });
  std::vector<std::string> names;
  for (const auto& c : newest_first) {
    names.push_back(c.witness);
    if (quorum_met(policy, names)) return c.timestamp;
  }
  return std::nullopt;
}

std::pair<std::size_t, std::size_t> witness_count(const Policy& policy, const VerifiedCheckpoint& v) {
  return {v.cosignatures.size(), policy.witnesses.size()};
}

void write_jcs_members(JcsWriter& w, const VerifiedCheckpoint& v) {
  const auto& c = v.checkpoint;
  w.key("checkpoint").object().key("origin").string(c.origin).key("root").base64(c.root);
  w.key("size").integer(static_cast<std::int64_t>(c.size)).end();
  w.key("cosignatures").array();
  for (const auto& s : v.cosignatures) {
    w.object().key("timestamp").integer(static_cast<std::int64_t>(s.timestamp)).key("witness").string(s.witness).end();
  }
  w.end();
}

json to_json(const VerifiedCheckpoint& v) {
  JcsWriter w;
  w.object();
  write_jcs_members(w, v);
  w.end();
  return parse_json(w.take()).value();
}

std::string sign_checkpoint(const Checkpoint& c, const NoteSigner& log_key) {
  Note note{checkpoint_text(c), {}};
  note.signatures.push_back(sign_note_text(note.text, log_key));
  return format_note(note);
}

Result<std::string> cosign_checkpoint(std::string_view signed_note, const NoteSigner& witness,
                                      std::uint64_t timestamp) {
  OBJECTOR_TRY(auto note, parse_note(signed_note));
  note.signatures.push_back(sign_note_text(note.text, witness, timestamp));
  return format_note(note);
}

Result<std::string> merge_cosignatures(std::string_view signed_note, std::string_view lines,
                                       const VerifierKey& witness) {
  OBJECTOR_TRY(auto note, parse_note(signed_note));
  // The spec's way to read an answer: append it to the checkpoint and verify the note.
  OBJECTOR_TRY(auto answer, parse_note(note.text + "\n" + std::string(lines)));
  const VerifierKey known[] = {witness};
  OBJECTOR_RETURN_IF_ERROR(verify_note(answer, known));
  auto by_witness = [&](const NoteSignature& s) { return s.name == witness.name && s.id == witness.id; };
  std::erase_if(note.signatures, by_witness);
  for (auto& s : answer.signatures) {
    if (by_witness(s)) note.signatures.push_back(std::move(s));
  }
  if (note.signatures.size() > kMaxNoteSignatures) {
    return make_error(errc::too_many, "checkpoint: more than 100 signatures");
  }
  return format_note(note);
}

}  // namespace objector
