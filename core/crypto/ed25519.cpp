#include "core/crypto/ed25519.hpp"

#include <sodium.h>

namespace objector {

SigningKey SigningKey::generate() {
  SigningKey k;
  crypto_sign_keypair(k.public_.data(), k.secret_.data());
  return k;
}

Result<SigningKey> SigningKey::from_seed(ByteView seed) {
  if (seed.size() != kSeedBytes) {
    return make_error(errc::bad_seed, "an Ed25519 seed is 32 bytes, got " + std::to_string(seed.size()));
  }
  SigningKey k;
  crypto_sign_seed_keypair(k.public_.data(), k.secret_.data(), seed.data());
  return k;
}

SigningKey::SigningKey(SigningKey&& o) noexcept : secret_(o.secret_), public_(o.public_) {
  wipe(o.secret_.data(), o.secret_.size());
}

SigningKey& SigningKey::operator=(SigningKey&& o) noexcept {
  if (this != &o) {
    secret_ = o.secret_;
    public_ = o.public_;
    wipe(o.secret_.data(), o.secret_.size());
  }
  return *this;
}

SigningKey::~SigningKey() { wipe(secret_.data(), secret_.size()); }

Signature SigningKey::sign(ByteView message) const {
  Signature sig{};
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_.data());
  return sig;
}

SecretBytes SigningKey::seed() const { return SecretBytes(ByteView(secret_.data(), kSeedBytes)); }

bool verify_signature(const PublicKey& key, ByteView message, const Signature& sig) {
  return crypto_sign_verify_detached(sig.data(), message.data(), message.size(), key.data()) == 0;
}

bool is_valid_public_key(const PublicKey& key) { return crypto_core_ed25519_is_valid_point(key.data()) == 1; }

}  // namespace objector
