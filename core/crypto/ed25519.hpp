// Ed25519 keys and signatures (libsodium). SigningKey owns its secret, wipes
// it on destruction and cannot be copied; the seed leaves only through seed(),
// which returns wiping SecretBytes.
// Thread safety: a const SigningKey may be used from several threads.
#pragma once

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace objector {

using PublicKey = std::array<std::uint8_t, 32>;
using Signature = std::array<std::uint8_t, 64>;
inline constexpr std::size_t kSeedBytes = 32;

class SigningKey {
 public:
  static SigningKey generate();
  static Result<SigningKey> from_seed(ByteView seed);

  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;
  SigningKey(SigningKey&& o) noexcept;
  SigningKey& operator=(SigningKey&& o) noexcept;
  ~SigningKey();

  const PublicKey& public_key() const { return public_; }
  Signature sign(ByteView message) const;
  SecretBytes seed() const;

 private:
  SigningKey() = default;
  std::array<std::uint8_t, 64> secret_{};  // libsodium's seed || public key
  PublicKey public_{};
};

// True only for a valid signature by `key` (libsodium rejects small-order and
// non-canonical keys and signatures).
bool verify_signature(const PublicKey& key, ByteView message, const Signature& sig);

// A public key that is a canonical point of large order.
bool is_valid_public_key(const PublicKey& key);

}  // namespace objector
