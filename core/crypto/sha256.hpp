// SHA-256 (libsodium), the hash of the transparency log (RFC 9162).
// Thread safety: Sha256 objects are not shared; the free function is pure.
#pragma once

#include <sodium.h>

#include "core/bytes.hpp"

namespace objector {

class Sha256 {
 public:
  Sha256() { crypto_hash_sha256_init(&state_); }
  Sha256& update(ByteView b) {
    crypto_hash_sha256_update(&state_, b.data(), b.size());
    return *this;
  }
  Sha256& update(std::uint8_t byte) { return update(ByteView(&byte, 1)); }
  Hash finish() {
    Hash out{};
    crypto_hash_sha256_final(&state_, out.data());
    return out;
  }

 private:
  crypto_hash_sha256_state state_{};
};

inline Hash sha256(ByteView b) {
  Hash out{};
  crypto_hash_sha256(out.data(), b.data(), b.size());
  return out;
}

}  // namespace objector
