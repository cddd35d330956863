// c2sp.org/signed-note: text signed by one or more keys. Parsing is strict
// (valid UTF-8, no control characters but newline, text split from the
// signatures at the last blank line, final newline, 1..100 signature lines);
// verification follows the spec: unknown keys are ignored, a known key whose
// signature fails rejects the note, and at least one known key must verify.
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <vector>

#include "core/tlog/note_key.hpp"

namespace objector {

inline constexpr std::size_t kMaxNoteSignatures = 100;
inline constexpr std::size_t kMaxNoteBytes = std::size_t{64} * 1024;

struct NoteSignature {
  std::string name;
  std::uint32_t id = 0;
  Bytes signature;  // after the 4-byte key ID
};

struct Note {
  std::string text;  // ends in '\n'
  std::vector<NoteSignature> signatures;
};

struct VerifiedSignature {
  VerifierKey key;
  std::optional<std::uint64_t> timestamp;  // cosignatures (type 0x04) only
};

Result<Note> parse_note(std::string_view message);
std::string format_note(const Note& note);
// One signature line: "— <name> <base64(key ID || signature)>\n".
std::string format_signature_line(const NoteSignature& signature);

// Signs `text` (a checkpoint body for cosignatures, which need `timestamp`).
NoteSignature sign_note_text(std::string_view text, const NoteSigner& signer, std::uint64_t timestamp = 0);

// Every signature by a known key, verified (unknown keys are ignored, as the
// spec says); fails (bad_note_signature, bad_note) when a known key's
// signature is invalid or appears twice. The list may be empty.
Result<std::vector<VerifiedSignature>> verify_known_signatures(const Note& note, std::span<const VerifierKey> known);
// The same, and fails (unknown_signer) when no known key signed the note.
Result<std::vector<VerifiedSignature>> verify_note(const Note& note, std::span<const VerifierKey> known);

}  // namespace objector
