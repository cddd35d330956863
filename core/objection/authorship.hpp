// Authorship proofs (FORMAT.md §5.2): the person answers a verifier's
// challenge with the device key of their receipt, so they can prove that they
// made an objection without handing over the device seed. The proof is the
// JCS of {"type","leaf_hash","challenge","sig"}; the signature covers
//   "objection-authorship/v1\n" || base64(leaf hash) || "\n" || challenge
// which can never be the JCS of a statement (those start with '{'), so a
// device key's statement signature and its authorship signatures never mix.
// Thread safety: pure functions.
#pragma once

#include "core/objection/receipt.hpp"

namespace objector {

inline constexpr std::string_view kAuthorshipType = "objection-authorship/v1";
inline constexpr std::size_t kMaxChallengeBytes = 1024;

struct AuthorshipProof {
  Hash leaf_hash{};
  std::string challenge;
  Signature sig{};
};

// Signs `challenge` with the receipt's device key (checked against the
// statement first). A challenge is 1–1024 bytes of UTF-8 without control
// characters: the verifier picks it (a nonce, a case number, a date).
Result<AuthorshipProof> prove_authorship(const Receipt& r, std::string_view challenge);

json to_json(const AuthorshipProof& p);
std::string serialize(const AuthorshipProof& p);  // JCS
Result<AuthorshipProof> authorship_from_json(JsonValue j);
Result<AuthorshipProof> parse_authorship(std::string_view text);

// The proof answers `challenge` for `entry`: same leaf hash, same challenge,
// and a valid signature by the statement's device key. Whether the entry is in
// the log is the receipt's check (verify_public_receipt), not this one.
Status verify_authorship(const AuthorshipProof& p, const Entry& entry, std::string_view challenge);

}  // namespace objector
