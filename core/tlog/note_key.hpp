// Signed-note key text formats, as golang.org/x/mod/sumdb/note reads and
// writes them (FORMAT.md §4.1):
//   verifier key  <name>+<8 hex key ID>+<base64(type || public key)>
//   signer key    PRIVATE+KEY+<name>+<8 hex key ID>+<base64(type || seed)>
// key ID = first 4 bytes (big-endian) of SHA-256(name || 0x0A || type || public key).
// Thread safety: pure functions; NoteSigner may be shared read-only.
#pragma once

#include "core/crypto/ed25519.hpp"

namespace objector {

enum class KeyType : std::uint8_t {
  ed25519 = 0x01,      // c2sp.org/signed-note: log keys
  cosignature = 0x04,  // c2sp.org/tlog-cosignature: timestamped witness cosignatures
};

struct VerifierKey {
  std::string name;
  std::uint32_t id = 0;
  KeyType type = KeyType::ed25519;
  PublicKey key{};
};

struct NoteSigner {
  std::string name;
  std::uint32_t id = 0;
  KeyType type = KeyType::ed25519;
  SigningKey key;
};

// Key names: non-empty, no Unicode spaces, no '+', valid UTF-8, no controls.
bool is_valid_key_name(std::string_view name);
std::uint32_t key_id(std::string_view name, KeyType type, const PublicKey& key);

Result<VerifierKey> parse_verifier_key(std::string_view text);
std::string format_verifier_key(const VerifierKey& key);

Result<NoteSigner> parse_signer_key(std::string_view text);
// The text holds the seed: callers wipe it (objector::wipe) when done.
std::string format_signer_key(const NoteSigner& signer);

Result<NoteSigner> generate_signer(std::string name, KeyType type = KeyType::ed25519);
VerifierKey verifier_of(const NoteSigner& signer);

}  // namespace objector
