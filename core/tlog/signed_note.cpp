#include "core/tlog/signed_note.hpp"

#include <algorithm>

#include "core/encoding/base64.hpp"
#include "core/encoding/utf8.hpp"

namespace objector {
namespace {

constexpr std::string_view kDash = "\xE2\x80\x94 ";  // U+2014 em dash, space
constexpr std::string_view kCosignatureHeader = "cosignature/v1\ntime ";

Error note_error(std::string message) { return make_error(errc::bad_note, "signed note: " + std::move(message)); }

Result<NoteSignature> parse_signature_line(std::string_view line, std::size_t number) {
  auto where = "signature line " + std::to_string(number) + ": ";
  if (line.substr(0, kDash.size()) != kDash) return note_error(where + "must start with an em dash and a space");
  line.remove_prefix(kDash.size());
  auto space = line.find(' ');
  if (space == std::string_view::npos) return note_error(where + "needs a key name, a space and a signature");
  auto name = line.substr(0, space);
  if (!is_valid_key_name(name)) return note_error(where + "invalid key name");
  auto sig = base64_decode(line.substr(space + 1));
  if (!sig || sig->size() < 5) return note_error(where + "signature is not base64 of a key ID and a signature");
  NoteSignature s{std::string(name), 0, {}};
  for (int i = 0; i < 4; ++i) s.id = s.id << 8 | (*sig)[static_cast<std::size_t>(i)];
  s.signature.assign(sig->begin() + 4, sig->end());
  return s;
}

std::string cosigned_message(std::string_view text, std::uint64_t timestamp) {
  return std::string(kCosignatureHeader) + std::to_string(timestamp) + "\n" + std::string(text);
}

// Whether `sig` by `key` verifies over `text`; sets the timestamp of a cosignature.
bool verify_one(std::string_view text, const VerifierKey& key, const NoteSignature& sig,
                std::optional<std::uint64_t>& timestamp) {
  Signature raw{};
  if (key.type == KeyType::ed25519) {
    if (sig.signature.size() != raw.size()) return false;
    std::copy(sig.signature.begin(), sig.signature.end(), raw.begin());
    return verify_signature(key.key, as_bytes(text), raw);
  }
  if (sig.signature.size() != 8 + raw.size()) return false;
  std::uint64_t t = 0;
  for (int i = 0; i < 8; ++i) t = t << 8 | sig.signature[static_cast<std::size_t>(i)];
  if (t > static_cast<std::uint64_t>(INT64_MAX)) return false;
  std::copy(sig.signature.begin() + 8, sig.signature.end(), raw.begin());
  if (!verify_signature(key.key, as_bytes(cosigned_message(text, t)), raw)) return false;
  timestamp = t;
  return true;
}

}  // namespace

Result<Note> parse_note(std::string_view message) {
  if (message.size() > kMaxNoteBytes) return note_error("larger than " + std::to_string(kMaxNoteBytes) + " bytes");
  if (!is_valid_utf8(message)) return note_error("not valid UTF-8");
  if (std::any_of(message.begin(), message.end(),
                  [](char c) { return c != '\n' && static_cast<unsigned char>(c) < 0x20; })) {
    return note_error("contains a control character other than newline");
  }
  if (message.empty() || message.back() != '\n') return note_error("must end with a newline");
  auto split = message.rfind("\n\n");
  if (split == std::string_view::npos) return note_error("no blank line between the text and the signatures");
  Note note{std::string(message.substr(0, split + 1)), {}};
  auto sigs = message.substr(split + 2);
  if (sigs.empty()) return note_error("no signature lines");
  for (std::size_t number = 1; !sigs.empty(); ++number) {
    if (number > kMaxNoteSignatures)
      return note_error("more than " + std::to_string(kMaxNoteSignatures) + " signatures");
    auto eol = sigs.find('\n');
    OBJECTOR_TRY(auto sig, parse_signature_line(sigs.substr(0, eol), number));
    note.signatures.push_back(std::move(sig));
    sigs.remove_prefix(eol + 1);
  }
  return note;
}

std::string format_signature_line(const NoteSignature& s) {
  Bytes raw{static_cast<std::uint8_t>(s.id >> 24), static_cast<std::uint8_t>(s.id >> 16),
            static_cast<std::uint8_t>(s.id >> 8), static_cast<std::uint8_t>(s.id)};
  raw.insert(raw.end(), s.signature.begin(), s.signature.end());
  return std::string(kDash) + s.name + " " + base64_encode(raw) + "\n";
}

std::string format_note(const Note& note) {
  std::string out = note.text + "\n";
  for (const auto& s : note.signatures) out += format_signature_line(s);
  return out;
}

NoteSignature sign_note_text(std::string_view text, const NoteSigner& signer, std::uint64_t timestamp) {
  NoteSignature s{signer.name, signer.id, {}};
  if (signer.type == KeyType::cosignature) {
    for (int shift = 56; shift >= 0; shift -= 8) s.signature.push_back(static_cast<std::uint8_t>(timestamp >> shift));
    auto sig = signer.key.sign(as_bytes(cosigned_message(text, timestamp)));
    s.signature.insert(s.signature.end(), sig.begin(), sig.end());
  } else {
    auto sig = signer.key.sign(as_bytes(text));
    s.signature.assign(sig.begin(), sig.end());
  }
  return s;
}

Result<std::vector<VerifiedSignature>> verify_known_signatures(const Note& note, std::span<const VerifierKey> known) {
  std::vector<VerifiedSignature> verified;
  for (const auto& sig : note.signatures) {
    auto key = std::find_if(known.begin(), known.end(),
                            [&](const VerifierKey& k) { return k.name == sig.name && k.id == sig.id; });
    if (key == known.end()) continue;  // unknown keys are ignored
    bool seen = std::any_of(verified.begin(), verified.end(),
                            [&](const VerifiedSignature& v) { return v.key.name == key->name && v.key.id == key->id; });
    if (seen) return note_error("two signatures by key " + key->name + " (hint: each key signs once)");
    std::optional<std::uint64_t> timestamp;
    if (!verify_one(note.text, *key, sig, timestamp)) {
      return make_error(errc::bad_note_signature, "signed note: signature by " + key->name + " is invalid");
    }
    verified.push_back({*key, timestamp});
  }
  return verified;
}

Result<std::vector<VerifiedSignature>> verify_note(const Note& note, std::span<const VerifierKey> known) {
  OBJECTOR_TRY(auto verified, verify_known_signatures(note, known));
  if (verified.empty()) {
    return make_error(errc::unknown_signer, "signed note: not signed by any known key (hint: check the verifier key)");
  }
  return verified;
}

}  // namespace objector
