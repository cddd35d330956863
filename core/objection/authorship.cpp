#include "core/objection/authorship.hpp"

#include "core/encoding/base64.hpp"
#include "core/encoding/utf8.hpp"
#include "core/json/jcs_writer.hpp"
#include "core/json/json_fields.hpp"

namespace objector {
namespace {

std::string signed_message(const Hash& leaf, std::string_view challenge) {
  std::string m(kAuthorshipType);
  m += '\n';
  m += base64_encode(leaf);
  m += '\n';
  m += challenge;
  return m;
}

Status check_challenge(std::string_view challenge, std::string_view where) {
  if (challenge.empty() || challenge.size() > kMaxChallengeBytes) {
    return make_error(errc::bad_value, std::string(where) + ": a challenge is 1 to 1024 bytes");
  }
  if (!is_valid_utf8(challenge)) return make_error(errc::bad_value, std::string(where) + ": not UTF-8");
  for (unsigned char c : challenge) {
    if (c < 0x20 || c == 0x7f) {
      return make_error(errc::control_character,
                        std::string(where) + ": control characters (line breaks included) are not allowed");
    }
  }
  return Ok{};
}

}  // namespace

Result<AuthorshipProof> prove_authorship(const Receipt& r, std::string_view challenge) {
  OBJECTOR_RETURN_IF_ERROR(check_challenge(challenge, "challenge"));
  OBJECTOR_TRY(auto device, SigningKey::from_seed(r.device_seed.view()));
  if (device.public_key() != r.entry.statement.device_key) {
    return make_error(errc::seed_mismatch, "receipt.device_seed: does not belong to the statement's device key");
  }
  AuthorshipProof p{entry_leaf_hash(r.entry), std::string(challenge), {}};
  p.sig = device.sign(as_bytes(signed_message(p.leaf_hash, p.challenge)));
  return p;
}

std::string serialize(const AuthorshipProof& p) {
  JcsWriter w;
  w.object().key("challenge").string(p.challenge).key("leaf_hash").base64(p.leaf_hash).key("sig").base64(p.sig);
  w.key("type").string(kAuthorshipType).end();
  return w.take();
}

json to_json(const AuthorshipProof& p) { return parse_json(serialize(p)).value(); }

Result<AuthorshipProof> authorship_from_json(JsonValue j) {
  OBJECTOR_RETURN_IF_ERROR(expect_object(j, "authorship", {"type", "leaf_hash", "challenge", "sig"}));
  OBJECTOR_TRY(auto type, get_text(j, "type", "authorship", 64));
  if (type != kAuthorshipType) {
    return make_error(errc::unknown_type,
                      "authorship.type: expected \"objection-authorship/v1\", got \"" + type + "\"");
  }
  AuthorshipProof p;
  OBJECTOR_TRY(auto leaf, get_base64<32>(j, "leaf_hash", "authorship"));
  OBJECTOR_TRY(auto sig, get_base64<64>(j, "sig", "authorship"));
  if (!j.at("challenge").is_string()) return make_error(errc::wrong_type, "authorship.challenge: expected a string");
  p.challenge = std::string(j.at("challenge").text());
  OBJECTOR_RETURN_IF_ERROR(check_challenge(p.challenge, "authorship.challenge"));
  p.leaf_hash = leaf;
  p.sig = sig;
  return p;
}

Result<AuthorshipProof> parse_authorship(std::string_view text) {
  JsonDocument doc;
  auto j = doc.parse(text, {.max_bytes = 4096, .max_depth = 2});
  if (!j) return std::move(j).error().at("authorship");
  return authorship_from_json(*j);
}

Status verify_authorship(const AuthorshipProof& p, const Entry& entry, std::string_view challenge) {
  if (p.leaf_hash != entry_leaf_hash(entry)) {
    return make_error(errc::wrong_entry, "authorship.leaf_hash: the proof is for another entry than this receipt's");
  }
  if (p.challenge != challenge) {
    return make_error(errc::challenge_mismatch,
                      "authorship.challenge: the proof answers \"" + p.challenge.substr(0, 64) +
                          "\", not the challenge given (hint: a proof answers one challenge only)");
  }
  if (!verify_signature(entry.statement.device_key, as_bytes(signed_message(p.leaf_hash, p.challenge)), p.sig)) {
    return make_error(errc::bad_signature,
                      "authorship.sig: not signed by the statement's device key (this proof was not made with "
                      "the receipt's device seed)");
  }
  return Ok{};
}

}  // namespace objector
