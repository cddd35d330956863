#include "native/intake/account_token.hpp"

#include <sodium.h>

#include "core/crypto/commitment.hpp"
#include "core/encoding/base64.hpp"
#include "core/json/jcs.hpp"
#include "core/json/json_fields.hpp"

namespace objector::intake {
namespace {

constexpr std::string_view kDomain = "objector-token-v1\n";

std::array<std::uint8_t, crypto_auth_hmacsha256_BYTES> mac(std::string_view payload, ByteView secret) {
  crypto_auth_hmacsha256_state state;
  std::array<std::uint8_t, crypto_auth_hmacsha256_BYTES> out{};
  crypto_auth_hmacsha256_init(&state, secret.data(), secret.size());
  crypto_auth_hmacsha256_update(&state, as_bytes(kDomain).data(), kDomain.size());
  crypto_auth_hmacsha256_update(&state, as_bytes(payload).data(), payload.size());
  crypto_auth_hmacsha256_final(&state, out.data());
  wipe(&state, sizeof state);
  return out;
}

Error invalid(const std::string& why) {
  return make_error(errc::token_invalid, "account token is not valid: " + why + " (hint: sign in again)");
}

}  // namespace

std::string mint_token(const AccountToken& t, ByteView secret) {
  auto payload = canonicalize(json{{"account", t.account}, {"exp", t.expires}}).value();
  return base64url_encode(as_bytes(payload)) + "." + base64url_encode(mac(payload, secret));
}

Result<AccountToken> check_token(std::string_view token, ByteView secret, std::int64_t now, std::int64_t max_ttl_s) {
  auto dot = token.find('.');
  if (dot == std::string_view::npos || token.size() > 2048) return invalid("malformed");
  auto payload = base64url_decode(token.substr(0, dot));
  auto tag = base64url_decode(token.substr(dot + 1));
  if (!payload || !tag || tag->size() != crypto_auth_hmacsha256_BYTES) return invalid("malformed");
  auto expected = mac(as_chars(*payload), secret);
  if (sodium_memcmp(expected.data(), tag->data(), expected.size()) != 0) return invalid("bad signature");
  JsonDocument doc;
  auto j = doc.parse(as_chars(*payload), {.max_bytes = 1024, .max_depth = 2});
  if (!j || !expect_object(*j, "token", {"account", "exp"}).ok()) return invalid("malformed payload");
  auto account = get_text(*j, "account", "token", kMaxAccountBytes);
  auto exp = get_integer(*j, "exp", "token", 0, INT64_MAX);
  if (!account || !exp) return invalid("malformed payload");
  if (*exp <= now) return make_error(errc::token_expired, "account token has expired (hint: sign in again)");
  if (*exp - now > max_ttl_s) {
    return invalid("it expires in " + std::to_string(*exp - now) + " s, more than limits.max_token_ttl_s (" +
                   std::to_string(max_ttl_s) + " s) allows");
  }
  return AccountToken{*account, *exp};
}

}  // namespace objector::intake
