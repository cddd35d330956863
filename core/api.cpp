#include "core/api.hpp"

#include <sodium.h>

#include <optional>
#include <tuple>

#include "core/encoding/utf8.hpp"
#include "core/json/jcs.hpp"
#include "core/json/jcs_writer.hpp"
#include "core/json/json_fields.hpp"
#include "core/objection/authorship.hpp"
#include "core/objection/jurisdiction.hpp"
#include "core/objection/receipt.hpp"
#include "core/tlog/merkle.hpp"
#include "core/tlog/tlog_proof.hpp"

namespace objector::api {
namespace {

constexpr std::string_view kVersion = "0.1.0";

// Results are JCS text, written in key order. Those that hold a secret are
// written into room reserved up front, so no reallocation leaves a copy
// behind; the caller wipes the reply.
constexpr std::size_t kSecretResultRoom = std::size_t{64} * 1024;

Reply reply(Result<std::string> r) {
  if (!r) {
    JcsWriter w;
    w.object().key("error").string(r.error().code).key("message").string(to_valid_utf8(r.error().message)).end();
    return {false, w.take()};
  }
  return {true, std::move(*r)};
}

// A secret argument, or fresh random bytes when it is not given.
Result<SecretBytes> optional_secret(JsonValue args, std::string_view key, std::size_t n) {
  if (args.contains(key)) return get_secret(args, key, "args", n);
  SecretBytes out(n);
  randombytes_buf(out.data(), out.size());
  return out;
}

template <std::size_t N>
Result<std::array<std::uint8_t, N>> optional_base64(JsonValue args, std::string_view key) {
  if (!args.contains(key)) {
    std::array<std::uint8_t, N> out{};
    randombytes_buf(out.data(), out.size());
    return out;
  }
  return get_base64<N>(args, key, "args");
}

Result<Hash> hash_arg(JsonValue args, std::string_view key) { return get_base64<32>(args, key, "args"); }

// A tree size or an index.
Result<std::uint64_t> size_arg(JsonValue args, std::string_view key) {
  OBJECTOR_TRY(auto n, get_integer(args, key, "args", 0, INT64_MAX));
  return static_cast<std::uint64_t>(n);
}

// Base64 of any length (a proof verifier checks the length itself).
Result<Bytes> bytes_arg(JsonValue args, std::string_view key) {
  auto v = args.at(key);
  auto bytes = base64_decode(v.is_string() ? v.text() : "!");
  if (!bytes) return std::move(bytes).error().at("args." + std::string(key));
  return bytes;
}

Result<std::vector<Hash>> hash_list(JsonValue args, std::string_view key) {
  auto items = get_text_list(args, key, "args", 64, 44);
  if (!items && args.at(key).is_array() && args.at(key).empty()) return std::vector<Hash>{};
  OBJECTOR_RETURN_IF_ERROR(items);
  std::vector<Hash> out;
  for (const auto& s : *items) {
    auto h = base64_decode_fixed<32>(s);
    if (!h) return std::move(h).error().at("args." + std::string(key));
    out.push_back(*h);
  }
  return out;
}

Result<Policy> policy_arg(JsonValue args) {
  if (args.contains("policy")) {
    auto text = get_text(args, "policy", "args", std::size_t{64} * 1024);
    if (!text) {
      // get_text refuses newlines; a policy is multi-line text.
      if (!args.at("policy").is_string()) return std::move(text).error();
      return parse_policy(args.at("policy").text());
    }
    return parse_policy(*text);
  }
  OBJECTOR_TRY(auto vkey, get_text(args, "log_key", "args", 512));
  OBJECTOR_TRY(auto key, parse_verifier_key(vkey));
  return single_log_policy(std::move(key));
}

// The members "entry" (unless omitted), "entry_bytes" and "leaf_hash".
void write_entry_members(JcsWriter& w, const Entry& e, bool with_entry) {
  auto bytes = entry_bytes(e);
  if (with_entry) w.key("entry").raw(bytes);
  w.key("entry_bytes").string(bytes).key("leaf_hash").base64(leaf_hash(as_bytes(bytes)));
}

Result<std::string> op_keygen(JsonValue args) {
  OBJECTOR_TRY(auto seed, optional_secret(args, "seed", kSeedBytes));
  OBJECTOR_TRY(auto key, SigningKey::from_seed(seed.view()));
  JcsWriter w(kSecretResultRoom);
  w.object().key("public_key").base64(key.public_key()).key("seed").base64(key.seed().view()).end();
  return w.take();
}

Result<std::string> op_commit(JsonValue args) {
  OBJECTOR_RETURN_IF_ERROR(expect_object(args, "args", {"account"}, {"r"}));
  OBJECTOR_TRY(auto account, get_text(args, "account", "args", kMaxAccountBytes));
  OBJECTOR_TRY(auto r, optional_base64<kBlindingBytes>(args, "r"));
  JcsWriter w(kSecretResultRoom);
  w.object().key("account").string(account).key("r").base64(r).key("subject").base64(commit(account, r)).end();
  wipe(r.data(), r.size());
  return w.take();
}

Result<std::string> op_make_objection(JsonValue args) {
  OBJECTOR_RETURN_IF_ERROR(
      expect_object(args, "args", {"controller", "jurisdiction", "services", "purposes", "lang", "created", "account"},
                    {"device_seed", "r"}));
  ObjectionForm form;
  auto text = [&](std::string_view key, std::size_t max, std::string& out) -> Status {
    OBJECTOR_TRY(auto v, get_text(args, key, "args", max));
    out = std::move(v);
    return Ok{};
  };
  for (auto [key, max, out] :
       {std::tuple{"controller", kMaxControllerBytes, &form.controller},
        std::tuple{"jurisdiction", std::size_t{8}, &form.jurisdiction}, std::tuple{"lang", kMaxLangBytes, &form.lang},
        std::tuple{"account", kMaxAccountBytes, &form.account}}) {
    OBJECTOR_RETURN_IF_ERROR(text(key, max, *out));
  }
  OBJECTOR_TRY(auto services, get_text_list(args, "services", "args", kMaxServices, kMaxServiceBytes));
  form.services = std::move(services);
  OBJECTOR_TRY(auto purposes, get_text_list(args, "purposes", "args", 4, 32));
  form.purposes = std::move(purposes);
  OBJECTOR_TRY(auto created, get_integer(args, "created", "args", kMinCreated, kMaxCreated));
  form.created = created;

  OBJECTOR_TRY(auto seed, optional_secret(args, "device_seed", kSeedBytes));
  OBJECTOR_TRY(auto device, SigningKey::from_seed(seed.view()));
  OBJECTOR_TRY(auto r, optional_secret(args, "r", kBlindingBytes));
  OBJECTOR_TRY(auto objection, make_objection(form, device, Opening{form.account, std::move(r)}));
  JcsWriter w(kSecretResultRoom);
  w.object().key("device_seed").base64(objection.device_seed.view());
  write_entry_members(w, objection.entry, true);
  w.key("opening");
  write_jcs(w, objection.opening);
  w.end();
  return w.take();
}

Result<std::string> op_sign_statement(JsonValue args) {
  OBJECTOR_RETURN_IF_ERROR(expect_object(args, "args", {"statement", "device_seed"}));
  OBJECTOR_TRY(auto statement, statement_from_json(args.at("statement")));
  OBJECTOR_TRY(auto seed, get_secret(args, "device_seed", "args", kSeedBytes));
  OBJECTOR_TRY(auto device, SigningKey::from_seed(seed.view()));
  if (device.public_key() != statement.device_key) {
    return make_error(errc::seed_mismatch, "args.device_seed: does not belong to statement.device_key");
  }
  JcsWriter w;
  w.object();
  write_entry_members(w, sign_statement(std::move(statement), device), true);
  w.end();
  return w.take();
}

Result<std::string> op_verify_entry(JsonValue args) {
  OBJECTOR_RETURN_IF_ERROR(expect_object(args, "args", {"entry"}));
  OBJECTOR_TRY(auto entry, entry_from_json(args.at("entry")));
  OBJECTOR_RETURN_IF_ERROR(verify_entry(entry));
  JcsWriter w;
  w.object();
  write_entry_members(w, entry, false);
  w.end();
  return w.take();
}

Result<std::string> op_make_receipt(JsonValue args) {
  OBJECTOR_RETURN_IF_ERROR(expect_object(args, "args", {"entry", "opening", "device_seed", "proof"}));
  OBJECTOR_TRY(auto r, receipt_parts_from_json(args));
  return serialize(r);
}

// Reads the receipt argument (JSON text or an object) with `parse`; a text's
// decoded copy lives in a document wiped when it goes.
template <class Parse>
auto read_receipt(JsonValue args, Parse parse) -> decltype(parse(args)) {
  auto arg = args.at("receipt");
  if (!arg.is_string()) return parse(arg);
  JsonDocument doc;
  OBJECTOR_TRY(auto value, parse_receipt_json(doc, arg.text()));
  return parse(value);
}

// {checkpoint, cosignatures, index, leaf_hash, public?, witnessed_time?}:
// with a policy that asks for a quorum, "witnessed_time" is when the quorum
// last cosigned (the log held the entry no later than then).
std::string receipt_report(const ReceiptReport& report, const Policy& policy, std::optional<bool> is_public = {}) {
  JcsWriter w;
  w.object();
  write_jcs_members(w, report.checkpoint);
  w.key("index").integer(static_cast<std::int64_t>(report.index)).key("leaf_hash").base64(report.leaf_hash);
  if (is_public) w.key("public").boolean(*is_public);
  if (auto when = witnessed_time(policy, report.checkpoint)) {
    w.key("witnessed_time").integer(static_cast<std::int64_t>(*when));
  }
  w.end();
  return w.take();
}

// {checkpoint, cosignatures} and, when given, "index".
std::string checkpoint_result(const VerifiedCheckpoint& checkpoint, std::optional<std::uint64_t> index = {}) {
  JcsWriter w;
  w.object();
  write_jcs_members(w, checkpoint);
  if (index) w.key("index").integer(static_cast<std::int64_t>(*index));
  w.end();
  return w.take();
}

std::string empty_object() { return "{}"; }

Result<std::string> challenge_arg(JsonValue args) {
  if (!args.at("challenge").is_string()) return make_error(errc::wrong_type, "args.challenge: expected a string");
  return std::string(args.at("challenge").text());
}

// A full receipt (everything checked) or a public one ("public": true: the
// account and the author were not checked).
Result<std::string> op_verify_receipt(JsonValue args) {
  OBJECTOR_RETURN_IF_ERROR(expect_object(args, "args", {"receipt"}, {"log_key", "policy"}));
  OBJECTOR_TRY(auto policy, policy_arg(args));
  OBJECTOR_TRY(auto receipt, read_receipt(args, check_any_receipt));
  OBJECTOR_TRY(auto report, verify_in_log(receipt, policy));
  return receipt_report(report, policy, receipt.is_public);
}

// The part of a receipt that can be shown to anyone.
Result<std::string> op_public_receipt(JsonValue args) {
  OBJECTOR_RETURN_IF_ERROR(expect_object(args, "args", {"receipt"}));
  OBJECTOR_TRY(auto receipt, read_receipt(args, receipt_from_json));
  return serialize(public_receipt(receipt));
}

Result<std::string> op_prove_authorship(JsonValue args) {
  OBJECTOR_RETURN_IF_ERROR(expect_object(args, "args", {"receipt", "challenge"}));
  OBJECTOR_TRY(auto challenge, challenge_arg(args));
  OBJECTOR_TRY(auto receipt, read_receipt(args, receipt_from_json));
  OBJECTOR_TRY(auto proof, prove_authorship(receipt, challenge));
  return serialize(proof);
}

// The proof answers the challenge for the receipt's entry, and the receipt
// (public or full) is in the log.
Result<std::string> op_verify_authorship(JsonValue args) {
  OBJECTOR_RETURN_IF_ERROR(expect_object(args, "args", {"proof", "receipt", "challenge"}, {"log_key", "policy"}));
  OBJECTOR_TRY(auto policy, policy_arg(args));
  OBJECTOR_TRY(auto challenge, challenge_arg(args));
  auto p = args.at("proof");
  OBJECTOR_TRY(auto proof, p.is_string() ? parse_authorship(p.text()) : authorship_from_json(p));
  OBJECTOR_TRY(auto receipt, read_receipt(args, public_part_from_json));
  OBJECTOR_RETURN_IF_ERROR(verify_authorship(proof, receipt.entry, challenge));
  OBJECTOR_TRY(auto report, verify_public_receipt(receipt, policy));
  return receipt_report(report, policy);
}

Result<std::string> op_verify_inclusion(JsonValue args) {
  OBJECTOR_RETURN_IF_ERROR(expect_object(args, "args", {"index", "size", "leaf_hash", "proof", "root"}));
  OBJECTOR_TRY(auto index, size_arg(args, "index"));
  OBJECTOR_TRY(auto size, size_arg(args, "size"));
  OBJECTOR_TRY(auto leaf, bytes_arg(args, "leaf_hash"));
  OBJECTOR_TRY(auto root, bytes_arg(args, "root"));
  OBJECTOR_TRY(auto proof, hash_list(args, "proof"));
  OBJECTOR_RETURN_IF_ERROR(verify_inclusion(index, size, leaf, proof, root));
  return empty_object();
}

Result<std::string> op_verify_consistency(JsonValue args) {
  OBJECTOR_RETURN_IF_ERROR(expect_object(args, "args", {"size1", "size2", "proof", "root1", "root2"}));
  OBJECTOR_TRY(auto size1, size_arg(args, "size1"));
  OBJECTOR_TRY(auto size2, size_arg(args, "size2"));
  OBJECTOR_TRY(auto root1, bytes_arg(args, "root1"));
  OBJECTOR_TRY(auto root2, bytes_arg(args, "root2"));
  OBJECTOR_TRY(auto proof, hash_list(args, "proof"));
  OBJECTOR_RETURN_IF_ERROR(verify_consistency(size1, size2, proof, root1, root2));
  return empty_object();
}

Result<std::vector<VerifierKey>> key_list(JsonValue args) {
  OBJECTOR_TRY(auto texts, get_text_list(args, "keys", "args", 64, 512));
  std::vector<VerifierKey> keys;
  for (const auto& t : texts) {
    OBJECTOR_TRY(auto k, parse_verifier_key(t));
    keys.push_back(std::move(k));
  }
  return keys;
}

Result<std::string> op_verify_note(JsonValue args) {
  OBJECTOR_RETURN_IF_ERROR(expect_object(args, "args", {"note", "keys"}));
  if (!args.at("note").is_string()) return make_error(errc::wrong_type, "args.note: expected a string");
  OBJECTOR_TRY(auto note, parse_note(args.at("note").text()));
  OBJECTOR_TRY(auto keys, key_list(args));
  OBJECTOR_TRY(auto verified, verify_note(note, keys));
  JcsWriter w;
  w.object().key("signers").array();
  for (const auto& v : verified) w.string(format_verifier_key(v.key));
  w.end().key("text").string(note.text).end();
  return w.take();
}

Result<std::string> op_verify_proof(JsonValue args) {
  OBJECTOR_RETURN_IF_ERROR(expect_object(args, "args", {"proof", "leaf_hash"}, {"log_key", "policy"}));
  if (!args.at("proof").is_string()) return make_error(errc::wrong_type, "args.proof: expected a string");
  OBJECTOR_TRY(auto proof, parse_tlog_proof(args.at("proof").text()));
  OBJECTOR_TRY(auto leaf, hash_arg(args, "leaf_hash"));
  OBJECTOR_TRY(auto policy, policy_arg(args));
  OBJECTOR_TRY(auto checkpoint, verify_tlog_proof(proof, leaf, policy));
  return checkpoint_result(checkpoint, proof.index);
}

Result<std::string> op_open_checkpoint(JsonValue args) {
  OBJECTOR_RETURN_IF_ERROR(expect_object(args, "args", {"note"}, {"log_key", "policy"}));
  if (!args.at("note").is_string()) return make_error(errc::wrong_type, "args.note: expected a string");
  OBJECTOR_TRY(auto policy, policy_arg(args));
  OBJECTOR_TRY(auto checkpoint, open_checkpoint(args.at("note").text(), policy));
  return checkpoint_result(checkpoint);
}

Result<std::string> op_jurisdictions(JsonValue /*args*/) {
  JcsWriter w;
  w.object().key("jurisdictions").array();
  for (const auto& j : jurisdictions()) w.object().key("basis").string(j.basis).key("code").string(j.code).end();
  w.end().end();
  return w.take();
}

Result<std::string> op_version(JsonValue /*args*/) {
  JcsWriter w;
  w.object().key("version").string(kVersion).end();
  return w.take();
}

// What the widget needs before the core is loaded, generated into web/constants.js.
Result<std::string> op_constants(JsonValue /*args*/) {
  JcsWriter w;
  w.object().key("languages").array();
  for (auto l : kWidgetLanguages) w.string(l);
  w.end().key("max_statement_age_s").integer(kMaxStatementAgeSeconds).end();
  return w.take();
}

using Handler = Result<std::string> (*)(JsonValue);
struct Operation {
  std::string_view name;
  Handler handler;
};
constexpr Operation kOperations[] = {
    {"version", op_version},
    {"jurisdictions", op_jurisdictions},
    {"constants", op_constants},
    {"keygen", op_keygen},
    {"commit", op_commit},
    {"make_objection", op_make_objection},
    {"sign_statement", op_sign_statement},
    {"verify_entry", op_verify_entry},
    {"make_receipt", op_make_receipt},
    {"verify_receipt", op_verify_receipt},
    {"public_receipt", op_public_receipt},
    {"prove_authorship", op_prove_authorship},
    {"verify_authorship", op_verify_authorship},
    {"verify_inclusion", op_verify_inclusion},
    {"verify_consistency", op_verify_consistency},
    {"verify_note", op_verify_note},
    {"verify_proof", op_verify_proof},
    {"open_checkpoint", op_open_checkpoint},
};

}  // namespace

Reply call(std::string_view op, std::string_view args_text) {
  // The document's decoded strings (seeds and blinding values among them)
  // are wiped when it goes; the text itself is the caller's to wipe.
  JsonDocument doc;
  auto args = doc.parse(args_text, {.max_bytes = std::size_t{256} * 1024, .max_depth = 16});
  if (!args) return reply(std::move(args).error().at("args"));
  if (op == "canonicalize") {
    auto text = canonicalize(*args);
    if (!text) return reply(std::move(text).error());
    return {true, std::move(*text)};
  }
  for (const auto& o : kOperations) {
    if (o.name != op) continue;
    if (!args->is_object()) return reply(make_error(errc::wrong_type, "args: expected a JSON object"));
    return reply(o.handler(*args));
  }
  return reply(make_error(errc::unknown_operation, "unknown operation \"" + std::string(op.substr(0, 40)) + "\""));
}

}  // namespace objector::api
