// The receipt the person keeps (FORMAT.md §5): the signed entry, the opening,
// the device seed (to prove later that they made the objection) and the
// tlog-proof of inclusion. Serialized as JCS, so one receipt has one byte form.
// Thread safety: pure functions.
#pragma once

#include "core/objection/objection.hpp"
#include "core/tlog/policy.hpp"
#include "core/tlog/signed_checkpoint.hpp"
#include "core/tlog/tlog_proof.hpp"

namespace objector {

inline constexpr std::string_view kReceiptType = "objection-receipt/v1";
inline constexpr std::size_t kMaxReceiptBytes = std::size_t{64} * 1024;

struct Receipt {
  Entry entry;
  Opening opening;
  SecretBytes device_seed;
  std::string proof;  // c2sp.org/tlog-proof@v1 text
};

Receipt make_receipt(Objection objection, std::string proof);

json to_json(const Receipt& r);
std::string serialize(const Receipt& r);  // JCS
Result<Receipt> receipt_from_json(const json& j);
Result<Receipt> parse_receipt(std::string_view text);

struct ReceiptReport {
  Hash leaf_hash{};
  std::uint64_t index = 0;
  VerifiedCheckpoint checkpoint;
};

// Everything a receipt claims: the statement signature, the device seed is
// the statement's device key, the opening opens the subject, the statement is
// addressed to the log, and the entry is in a checkpoint the policy trusts.
Result<ReceiptReport> verify_receipt(const Receipt& r, const Policy& policy);

// The same checks in two halves, so a verifier of many receipts can open each
// distinct checkpoint once: first what needs no log (signature, seed, opening),
// then the inclusion of the entry under an opened checkpoint.
Status verify_receipt_entry(const Receipt& r);
Result<ReceiptReport> verify_receipt_inclusion(const Receipt& r, const TlogProof& proof, VerifiedCheckpoint checkpoint);

}  // namespace objector
