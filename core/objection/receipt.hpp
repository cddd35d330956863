// The receipt the person keeps (FORMAT.md §5): the signed entry, the opening,
// the device seed (to prove later that they made the objection) and the
// tlog-proof of inclusion. Serialized as JCS, so one receipt has one byte form.
// The public receipt (FORMAT.md §5.1) is the entry and the proof only: it can
// be shown to anyone, proves that the statement is in the log, and says
// nothing about the account or who made it.
// Thread safety: pure functions.
#pragma once

#include "core/objection/objection.hpp"
#include "core/tlog/policy.hpp"
#include "core/tlog/signed_checkpoint.hpp"
#include "core/tlog/tlog_proof.hpp"

namespace objector {

inline constexpr std::string_view kReceiptType = "objection-receipt/v1";
inline constexpr std::string_view kPublicReceiptType = "objection-public-receipt/v1";
inline constexpr std::size_t kMaxReceiptBytes = std::size_t{64} * 1024;

struct Receipt {
  Entry entry;
  Opening opening;
  SecretBytes device_seed;
  std::string proof;  // c2sp.org/tlog-proof@v1 text
};

struct PublicReceipt {
  Entry entry;
  std::string proof;  // c2sp.org/tlog-proof@v1 text
};

Receipt make_receipt(Objection objection, std::string proof);
PublicReceipt public_receipt(const Receipt& r);

json to_json(const Receipt& r);
std::string serialize(const Receipt& r);  // JCS
Result<Receipt> receipt_from_json(JsonValue j);
// A receipt's entry, opening, device_seed and proof from an object whose keys
// were checked (a receipt's, or make_receipt's arguments).
Result<Receipt> receipt_parts_from_json(JsonValue j);
Result<Receipt> parse_receipt(std::string_view text);

json to_json(const PublicReceipt& r);
std::string serialize(const PublicReceipt& r);  // JCS
Result<PublicReceipt> public_receipt_from_json(JsonValue j);
// The JSON of a receipt file, read into `doc`; which kind it is follows from
// its "type". The secrets it holds are in `text` (the caller wipes it) or in
// `doc` (wiped when it is destroyed).
Result<JsonValue> parse_receipt_json(JsonDocument& doc, std::string_view text);
bool is_public_receipt(JsonValue j);
// The public part of either kind (a full receipt's secrets are dropped unchecked).
Result<PublicReceipt> public_part_from_json(JsonValue j);

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
Result<ReceiptReport> verify_receipt_inclusion(const Entry& entry, const TlogProof& proof,
                                               VerifiedCheckpoint checkpoint);

// A public receipt: the statement signature and the entry's inclusion in a
// checkpoint the policy trusts. Not the account, not the author.
Result<ReceiptReport> verify_public_receipt(const PublicReceipt& r, const Policy& policy);

// Either kind of receipt, by its "type": the checks that need no log (a full
// receipt's seed and opening too, a public one's signature only), and what
// its inclusion check then needs.
struct CheckedReceipt {
  Entry entry;
  std::string proof;
  bool is_public = false;  // account and author not checked
};
Result<CheckedReceipt> check_any_receipt(JsonValue receipt);
// Its inclusion in a checkpoint the policy trusts.
Result<ReceiptReport> verify_in_log(const CheckedReceipt& r, const Policy& policy);

}  // namespace objector
