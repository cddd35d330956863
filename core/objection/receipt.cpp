#include "core/objection/receipt.hpp"

#include "core/json/jcs_writer.hpp"
#include "core/json/json_fields.hpp"
#include "core/tlog/merkle.hpp"
#include "core/tlog/tlog_proof.hpp"

namespace objector {

Receipt make_receipt(Objection objection, std::string proof) {
  return Receipt{std::move(objection.entry), std::move(objection.opening), std::move(objection.device_seed),
                 std::move(proof)};
}

PublicReceipt public_receipt(const Receipt& r) { return {r.entry, r.proof}; }

std::string serialize(const Receipt& r) {
  JcsWriter w;
  w.object().key("device_seed").base64(r.device_seed.view()).key("entry");
  write_jcs(w, r.entry);
  w.key("opening");
  write_jcs(w, r.opening);
  w.key("proof").string(r.proof).key("type").string(kReceiptType).end();
  return w.take();
}

json to_json(const Receipt& r) {
  auto text = serialize(r);
  auto j = parse_json(text).value();
  wipe(text);
  return j;
}

Result<Receipt> receipt_from_json(JsonValue j) {
  OBJECTOR_RETURN_IF_ERROR(expect_object(j, "receipt", {"type", "entry", "opening", "device_seed", "proof"}));
  OBJECTOR_TRY(auto type, get_text(j, "type", "receipt", 64));
  if (type != kReceiptType) {
    return make_error(errc::unknown_type, "receipt.type: expected \"objection-receipt/v1\", got \"" + type + "\"");
  }
  return receipt_parts_from_json(j);
}

Result<Receipt> receipt_parts_from_json(JsonValue j) {
  OBJECTOR_TRY(auto entry, entry_from_json(j.at("entry"), "receipt.entry"));
  OBJECTOR_TRY(auto opening, opening_from_json(j.at("opening"), "receipt.opening"));
  OBJECTOR_TRY(auto seed, get_secret(j, "device_seed", "receipt", kSeedBytes));
  auto proof = j.at("proof");
  if (!proof.is_string()) return make_error(errc::wrong_type, "receipt.proof: expected a string");
  return Receipt{std::move(entry), std::move(opening), std::move(seed), std::string(proof.text())};
}

Result<JsonValue> parse_receipt_json(JsonDocument& doc, std::string_view text) {
  auto j = doc.parse(text, {.max_bytes = kMaxReceiptBytes, .max_depth = 8});
  if (!j) return std::move(j).error().at("receipt");
  return j;
}

Result<Receipt> parse_receipt(std::string_view text) {
  JsonDocument doc;
  OBJECTOR_TRY(auto j, parse_receipt_json(doc, text));
  return receipt_from_json(j);
}

std::string serialize(const PublicReceipt& r) {
  JcsWriter w;
  w.object().key("entry");
  write_jcs(w, r.entry);
  w.key("proof").string(r.proof).key("type").string(kPublicReceiptType).end();
  return w.take();
}

json to_json(const PublicReceipt& r) { return parse_json(serialize(r)).value(); }

bool is_public_receipt(JsonValue j) {
  if (!j.is_object()) return false;
  auto type = j.find("type");
  return type.valid() && type.is_string() && type.text() == kPublicReceiptType;
}

Result<PublicReceipt> public_receipt_from_json(JsonValue j) {
  OBJECTOR_RETURN_IF_ERROR(expect_object(j, "receipt", {"type", "entry", "proof"}));
  OBJECTOR_TRY(auto type, get_text(j, "type", "receipt", 64));
  if (type != kPublicReceiptType) {
    return make_error(errc::unknown_type,
                      "receipt.type: expected \"objection-public-receipt/v1\", got \"" + type + "\"");
  }
  OBJECTOR_TRY(auto entry, entry_from_json(j.at("entry"), "receipt.entry"));
  auto proof = j.at("proof");
  if (!proof.is_string()) return make_error(errc::wrong_type, "receipt.proof: expected a string");
  return PublicReceipt{std::move(entry), std::string(proof.text())};
}

Result<PublicReceipt> public_part_from_json(JsonValue j) {
  if (is_public_receipt(j)) return public_receipt_from_json(j);
  OBJECTOR_TRY(auto full, receipt_from_json(j));
  return public_receipt(full);
}

Status verify_receipt_entry(const Receipt& r) {
  const auto& s = r.entry.statement;
  OBJECTOR_RETURN_IF_ERROR(verify_entry(r.entry));
  OBJECTOR_TRY(auto device, SigningKey::from_seed(r.device_seed.view()));
  if (device.public_key() != s.device_key) {
    return make_error(errc::seed_mismatch, "receipt.device_seed: does not belong to the statement's device key");
  }
  if (auto ok = check_opening(r.opening, s.subject); !ok) return std::move(ok).error().at("receipt");
  return Ok{};
}

Result<ReceiptReport> verify_receipt_inclusion(const Entry& entry, const TlogProof& proof,
                                               VerifiedCheckpoint checkpoint) {
  const auto& c = checkpoint.checkpoint;
  ReceiptReport report{entry_leaf_hash(entry), proof.index, {}};
  if (auto ok = verify_inclusion(proof.index, c.size, report.leaf_hash, proof.hashes, c.root); !ok) {
    return std::move(ok).error().at("receipt.proof");
  }
  if (c.origin != entry.statement.controller) {
    return make_error(errc::wrong_log, "receipt: the statement is addressed to \"" + entry.statement.controller +
                                           "\" but the proof is from log \"" + c.origin + "\"");
  }
  report.checkpoint = std::move(checkpoint);
  return report;
}

namespace {

Result<ReceiptReport> verify_inclusion_under_policy(const Entry& entry, const std::string& proof_text,
                                                    const Policy& policy) {
  auto proof = parse_tlog_proof(proof_text);
  if (!proof) return std::move(proof).error().at("receipt.proof");
  auto checkpoint = open_checkpoint(proof->checkpoint, policy);
  if (!checkpoint) return std::move(checkpoint).error().at("receipt.proof");
  return verify_receipt_inclusion(entry, *proof, std::move(*checkpoint));
}

}  // namespace

Result<ReceiptReport> verify_receipt(const Receipt& r, const Policy& policy) {
  OBJECTOR_RETURN_IF_ERROR(verify_receipt_entry(r));
  return verify_inclusion_under_policy(r.entry, r.proof, policy);
}

Result<ReceiptReport> verify_public_receipt(const PublicReceipt& r, const Policy& policy) {
  OBJECTOR_RETURN_IF_ERROR(verify_entry(r.entry));
  return verify_inclusion_under_policy(r.entry, r.proof, policy);
}

Result<CheckedReceipt> check_any_receipt(JsonValue j) {
  if (is_public_receipt(j)) {
    OBJECTOR_TRY(auto r, public_receipt_from_json(j));
    OBJECTOR_RETURN_IF_ERROR(verify_entry(r.entry));
    return CheckedReceipt{std::move(r.entry), std::move(r.proof), true};
  }
  OBJECTOR_TRY(auto r, receipt_from_json(j));
  OBJECTOR_RETURN_IF_ERROR(verify_receipt_entry(r));
  return CheckedReceipt{std::move(r.entry), std::move(r.proof), false};
}

Result<ReceiptReport> verify_in_log(const CheckedReceipt& r, const Policy& policy) {
  return verify_inclusion_under_policy(r.entry, r.proof, policy);
}

}  // namespace objector
