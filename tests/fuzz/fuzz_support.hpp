// Shared set-up of the fuzz targets: libsodium, and a policy trusting one
// known log key (Go's documented example key).
#pragma once

#include "core/crypto/sodium.hpp"
#include "core/tlog/policy.hpp"

namespace objector::fuzz {

inline const Policy& policy() {
  static const bool ready = init_crypto();
  static const Policy p = single_log_policy(
      parse_verifier_key("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").value());
  (void)ready;
  return p;
}

}  // namespace objector::fuzz
