// Account tokens: the platform's backend tells the intake which account a
// request speaks for. A token is
//   base64url(JCS {"account": A, "exp": T}) "." base64url(HMAC-SHA256(secret, "objector-token-v1\n" || payload))
// and is valid until Unix time T. Thread safety: pure functions.
#pragma once

#include <cstdint>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace objector::intake {

inline constexpr std::size_t kTokenSecretBytes = 32;

struct AccountToken {
  std::string account;
  std::int64_t expires = 0;
};

std::string mint_token(const AccountToken& t, ByteView secret);
// Errors: token_invalid (malformed, forged, or living longer than
// `max_ttl_s` from now: a stolen long-lived token is refused), token_expired.
Result<AccountToken> check_token(std::string_view token, ByteView secret, std::int64_t now,
                                 std::int64_t max_ttl_s = INT64_MAX);

}  // namespace objector::intake
