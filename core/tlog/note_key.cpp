#include "core/tlog/note_key.hpp"

#include "core/crypto/sha256.hpp"
#include "core/encoding/base64.hpp"
#include "core/encoding/utf8.hpp"

namespace objector {
namespace {

constexpr std::string_view kPrivatePrefix = "PRIVATE+KEY+";

Error key_error(std::string message) {
  return make_error(errc::bad_key, std::move(message) + " (hint: a key looks like name+1a2b3c4d+base64)");
}

bool is_known_type(std::uint8_t t) {
  return t == static_cast<std::uint8_t>(KeyType::ed25519) || t == static_cast<std::uint8_t>(KeyType::cosignature);
}

// Lower-case, exactly 8 hex digits: one spelling per key ID.
Result<std::uint32_t> parse_hex8(std::string_view s) {
  if (s.size() != 8) return key_error("key ID must be 8 hex digits");
  std::uint32_t v = 0;
  for (char c : s) {
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return key_error("key ID must be 8 lower-case hex digits");
    v = v << 4 | static_cast<std::uint32_t>(d);
  }
  return v;
}

std::string hex8(std::uint32_t v) {
  std::array<std::uint8_t, 4> b{static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
                                static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
  return to_hex(b);
}

// "<name>+<hex8>+<base64>" split on the first two '+' (base64 may hold '+').
struct KeyParts {
  std::string_view name, id, material;
};
Result<KeyParts> split_key(std::string_view text) {
  auto a = text.find('+');
  auto b = a == std::string_view::npos ? a : text.find('+', a + 1);
  if (b == std::string_view::npos) return key_error("key has fewer than three '+'-separated parts");
  return KeyParts{text.substr(0, a), text.substr(a + 1, b - a - 1), text.substr(b + 1)};
}

std::string encode_material(KeyType type, ByteView bytes) {
  Bytes m{static_cast<std::uint8_t>(type)};
  m.insert(m.end(), bytes.begin(), bytes.end());
  auto out = base64_encode(m);
  wipe(m.data(), m.size());
  return out;
}

}  // namespace

bool is_valid_key_name(std::string_view name) {
  return !name.empty() && name.find('+') == std::string_view::npos && is_valid_utf8(name) &&
         !contains_space_or_control(name);
}

std::uint32_t key_id(std::string_view name, KeyType type, const PublicKey& key) {
  auto h = Sha256().update(as_bytes(name)).update(0x0A).update(static_cast<std::uint8_t>(type)).update(key).finish();
  return static_cast<std::uint32_t>(h[0]) << 24 | static_cast<std::uint32_t>(h[1]) << 16 |
         static_cast<std::uint32_t>(h[2]) << 8 | h[3];
}

Result<VerifierKey> parse_verifier_key(std::string_view text) {
  OBJECTOR_TRY(auto parts, split_key(text));
  if (!is_valid_key_name(parts.name)) return key_error("invalid key name \"" + std::string(parts.name) + "\"");
  OBJECTOR_TRY(auto id, parse_hex8(parts.id));
  auto material = base64_decode(parts.material);
  if (!material) return key_error("key material is not valid base64");
  if (material->empty() || !is_known_type((*material)[0])) {
    return make_error(errc::unknown_algorithm, "key type is not Ed25519 (0x01) or an Ed25519 cosignature (0x04)");
  }
  if (material->size() != 33) return key_error("an Ed25519 public key is 32 bytes");
  VerifierKey k{std::string(parts.name), id, static_cast<KeyType>((*material)[0]), {}};
  std::copy(material->begin() + 1, material->end(), k.key.begin());
  if (key_id(k.name, k.type, k.key) != k.id) {
    return make_error(errc::key_id_mismatch, "key ID " + std::string(parts.id) + " does not match the key's hash");
  }
  return k;
}

std::string format_verifier_key(const VerifierKey& key) {
  return key.name + "+" + hex8(key.id) + "+" + encode_material(key.type, key.key);
}

Result<NoteSigner> parse_signer_key(std::string_view text) {
  if (text.substr(0, kPrivatePrefix.size()) != kPrivatePrefix) {
    return key_error("a private key starts with PRIVATE+KEY+");
  }
  OBJECTOR_TRY(auto parts, split_key(text.substr(kPrivatePrefix.size())));
  if (!is_valid_key_name(parts.name)) return key_error("invalid key name \"" + std::string(parts.name) + "\"");
  OBJECTOR_TRY(auto id, parse_hex8(parts.id));
  auto material = base64_decode(parts.material);
  if (!material) return key_error("key material is not valid base64");
  SecretBytes secret(*material);
  wipe(material->data(), material->size());
  if (secret.size() == 0 || !is_known_type(secret.view()[0])) {
    return make_error(errc::unknown_algorithm, "key type is not Ed25519 (0x01) or an Ed25519 cosignature (0x04)");
  }
  if (secret.size() != 33) return key_error("an Ed25519 seed is 32 bytes");
  OBJECTOR_TRY(auto key, SigningKey::from_seed(secret.view().subspan(1)));
  NoteSigner s{std::string(parts.name), id, static_cast<KeyType>(secret.view()[0]), std::move(key)};
  if (key_id(s.name, s.type, s.key.public_key()) != s.id) {
    return make_error(errc::key_id_mismatch, "key ID " + std::string(parts.id) + " does not match the key's hash");
  }
  return s;
}

std::string format_signer_key(const NoteSigner& signer) {
  auto seed = signer.key.seed();
  return std::string(kPrivatePrefix) + signer.name + "+" + hex8(signer.id) + "+" +
         encode_material(signer.type, seed.view());
}

Result<NoteSigner> generate_signer(std::string name, KeyType type) {
  if (!is_valid_key_name(name)) return key_error("invalid key name \"" + name + "\"");
  auto key = SigningKey::generate();
  auto id = key_id(name, type, key.public_key());
  return NoteSigner{std::move(name), id, type, std::move(key)};
}

VerifierKey verifier_of(const NoteSigner& signer) {
  return {signer.name, signer.id, signer.type, signer.key.public_key()};
}

}  // namespace objector
