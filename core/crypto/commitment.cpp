#include "core/crypto/commitment.hpp"

#include <sodium.h>

#include "core/json/json_fields.hpp"

namespace objector {

Hash commit(std::string_view account, ByteView r) {
  static constexpr std::string_view kDomain = "objector subject v1\n";
  crypto_generichash_blake2b_state state;
  Hash out{};
  crypto_generichash_blake2b_init(&state, r.data(), r.size(), out.size());
  crypto_generichash_blake2b_update(&state, as_bytes(kDomain).data(), kDomain.size());
  crypto_generichash_blake2b_update(&state, as_bytes(account).data(), account.size());
  crypto_generichash_blake2b_final(&state, out.data(), out.size());
  wipe(&state, sizeof state);  // the state holds the key r
  return out;
}

Opening make_opening(std::string account) {
  Opening o{std::move(account), SecretBytes(kBlindingBytes)};
  randombytes_buf(o.r.data(), o.r.size());
  return o;
}

Status validate_account(std::string_view account) { return check_text(account, "opening.account", kMaxAccountBytes); }

Status check_opening(const Opening& opening, const Hash& subject) {
  if (opening.r.size() != kBlindingBytes ||
      sodium_memcmp(commit(opening.account, opening.r.view()).data(), subject.data(), subject.size()) != 0) {
    return make_error(errc::subject_mismatch, "opening: account and r do not match the statement's subject commitment");
  }
  return Ok{};
}

void write_jcs(JcsWriter& w, const Opening& opening) {
  w.object().key("account").string(opening.account).key("r").base64(opening.r.view()).end();
}

json to_json(const Opening& opening) {
  JcsWriter w;
  write_jcs(w, opening);
  auto text = w.take();
  auto j = parse_json(text).value();
  wipe(text);
  return j;
}

Result<Opening> opening_from_json(JsonValue j, std::string_view where) {
  OBJECTOR_RETURN_IF_ERROR(expect_object(j, where, {"account", "r"}));
  OBJECTOR_TRY(auto account, get_text(j, "account", where, kMaxAccountBytes));
  OBJECTOR_TRY(auto r, get_secret(j, "r", where, kBlindingBytes));
  return Opening{std::move(account), std::move(r)};
}

}  // namespace objector
