// Writes tests/vectors/core.json: fixed inputs for every core operation and
// the outputs the native build gives. The native and wasm test suites both
// replay every case and compare bytes, which proves the builds identical.
// Independent checks (RFC 8032, Python's BLAKE2b, node's Ed25519 and SHA-256)
// live in the tests, not here.
//
//   objector-make-vectors > tests/vectors/core.json
#include <cstdio>
#include <iostream>

#include "core/api.hpp"
#include "core/crypto/sodium.hpp"
#include "core/encoding/base64.hpp"
#include "core/json/json.hpp"
#include "core/tlog/merkle.hpp"
#include "core/tlog/note_key.hpp"
#include "core/tlog/signed_checkpoint.hpp"
#include "core/tlog/tlog_proof.hpp"
#include "native/common/cli.hpp"

using namespace objector;

namespace {

std::string fill(std::uint8_t byte) { return base64_encode(Bytes(32, byte)); }

struct Builder {
  json cases = json::array();

  json run(const std::string& name, const std::string& op, const json& args) {
    auto reply = api::call(op, args.dump());
    cases.push_back({{"name", name}, {"op", op}, {"args", args}, {"ok", reply.ok}, {"output", reply.body}});
    return reply.ok && op != "canonicalize" ? parse_json(reply.body).value() : json();
  }
};

json form(const char* jurisdiction, const char* lang, const char* account, std::uint8_t seed) {
  return {{"controller", "social.example/ai-training"},
          {"jurisdiction", jurisdiction},
          {"services", {"instagram", "facebook"}},
          {"purposes", {"train-genai"}},
          {"lang", lang},
          {"created", 1764131712 + seed},
          {"account", account},
          {"device_seed", fill(seed)},
          {"r", fill(static_cast<std::uint8_t>(seed + 0x80))}};
}

}  // namespace

int main() {
  if (!init_crypto()) return native::kExitFailed;
  Builder b;
  b.run("version", "version", json::object());
  b.run("jurisdictions", "jurisdictions", json::object());
  b.run("constants", "constants", json::object());
  b.run(
      "keygen: RFC 8032 test 1 seed", "keygen",
      {{"seed", base64_encode(std::array<std::uint8_t, 32>{
                    0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4, 0x92, 0xec, 0x2c, 0xc4,
                    0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60})}});
  b.run("commit: account", "commit", {{"account", "user:1234"}, {"r", fill(2)}});
  b.run("commit: non-user by email", "commit", {{"account", "email:ana@example.org"}, {"r", fill(3)}});

  // One objection per supported language, each with fixed key and blinding value.
  const std::tuple<const char*, const char*, const char*> people[] = {
      {"GB", "en-GB", "user:1001"}, {"BR", "pt-BR", "user:1002"},
      {"DE", "de", "user:1003"},    {"FR", "fr", "user:1004"},
      {"ES", "es", "user:1005"},    {"IT", "it", "user:1006"},
      {"NL", "nl", "user:1007"},    {"PL", "pl", "email:non-user@example.org"}};
  std::vector<json> objections;
  std::uint8_t seed = 0x10;
  for (const auto& [j, lang, account] : people) {
    objections.push_back(
        b.run(std::string("make_objection: ") + j + " " + lang, "make_objection", form(j, lang, account, seed++)));
  }

  auto bad = [&](const char* name, const char* field, const json& value) {
    auto f = form("GB", "en-GB", "user:1", 1);
    if (value.is_null()) {
      f.erase(field);
    } else {
      f[field] = value;
    }
    b.run(std::string("make_objection error: ") + name, "make_objection", f);
  };
  bad("unknown jurisdiction", "jurisdiction", "US");
  bad("empty services", "services", json::array());
  bad("unknown purpose", "purposes", {"advertising"});
  bad("time out of range", "created", 99);
  bad("missing account", "account", nullptr);
  bad("extra field", "reason", "none of your business");
  bad("oversize account", "account", std::string(300, 'a'));
  bad("bad language tag", "lang", "english please");

  const auto& first = objections[0];
  b.run("sign_statement", "sign_statement",
        {{"statement", first["entry"]["statement"]}, {"device_seed", first["device_seed"]}});
  b.run("verify_entry", "verify_entry", {{"entry", first["entry"]}});
  auto tampered = first["entry"];
  tampered["statement"]["services"] = {"facebook"};
  b.run("verify_entry error: tampered statement", "verify_entry", {{"entry", tampered}});

  // A log of the eight entries, signed by a fixed log key.
  auto log_key = SigningKey::from_seed(Bytes(32, 0x4c)).value();
  std::string origin = "social.example/ai-training";
  NoteSigner log{origin, key_id(origin, KeyType::ed25519, log_key.public_key()), KeyType::ed25519, std::move(log_key)};
  auto vkey = format_verifier_key(verifier_of(log));
  MemoryTree tree;
  for (const auto& o : objections) tree.append(base64_decode_fixed<32>(o["leaf_hash"].get<std::string>()).value());
  auto checkpoint = sign_checkpoint({origin, tree.size(), tree.root(), {}}, log);
  b.run("verify_note: checkpoint", "verify_note", {{"note", checkpoint}, {"keys", {vkey}}});
  b.run("open_checkpoint", "open_checkpoint", {{"note", checkpoint}, {"log_key", vkey}});
  b.run("open_checkpoint error: origin is not the key's name", "open_checkpoint",
        {{"note", sign_checkpoint({"other.example/log", tree.size(), tree.root(), {}}, log)}, {"log_key", vkey}});

  const std::uint64_t index = 2;
  TlogProof proof{std::nullopt, index, inclusion_proof(tree.reader(), index, tree.size()).value(), checkpoint};
  auto proof_text = format_tlog_proof(proof);
  const auto& o = objections[index];
  b.run("verify_proof", "verify_proof", {{"proof", proof_text}, {"leaf_hash", o["leaf_hash"]}, {"log_key", vkey}});
  auto receipt = b.run(
      "make_receipt", "make_receipt",
      {{"entry", o["entry"]}, {"opening", o["opening"]}, {"device_seed", o["device_seed"]}, {"proof", proof_text}});
  b.run("verify_receipt", "verify_receipt", {{"receipt", receipt}, {"log_key", vkey}});
  auto wrong = receipt;
  wrong["opening"]["account"] = "user:9999";
  b.run("verify_receipt error: opening for another account", "verify_receipt", {{"receipt", wrong}, {"log_key", vkey}});
  b.run("verify_receipt error: other log key", "verify_receipt",
        {{"receipt", receipt},
         {"log_key", format_verifier_key(verifier_of(
                         NoteSigner{origin, 0, KeyType::ed25519, SigningKey::from_seed(Bytes(32, 0x4d)).value()}))}});

  // The public receipt and authorship proofs: made from the full receipt,
  // checked against the public one.
  auto public_receipt = b.run("public_receipt", "public_receipt", {{"receipt", receipt}});
  b.run("verify_receipt: public receipt", "verify_receipt", {{"receipt", public_receipt}, {"log_key", vkey}});
  auto authorship =
      b.run("prove_authorship", "prove_authorship", {{"receipt", receipt}, {"challenge", "case 2026-114"}});
  b.run("verify_authorship", "verify_authorship",
        {{"proof", authorship}, {"receipt", public_receipt}, {"challenge", "case 2026-114"}, {"log_key", vkey}});
  b.run("verify_authorship error: another challenge", "verify_authorship",
        {{"proof", authorship}, {"receipt", public_receipt}, {"challenge", "case 2026-115"}, {"log_key", vkey}});
  auto stranger = receipt;
  stranger["device_seed"] = objections[0]["device_seed"];
  b.run("prove_authorship error: another objection's seed", "prove_authorship",
        {{"receipt", stranger}, {"challenge", "case 2026-114"}});

  std::vector<std::string> hashes;
  for (const auto& h : proof.hashes) hashes.push_back(base64_encode(h));
  b.run("verify_inclusion", "verify_inclusion",
        {{"index", index},
         {"size", tree.size()},
         {"leaf_hash", o["leaf_hash"]},
         {"proof", hashes},
         {"root", base64_encode(tree.root())}});
  std::vector<std::string> consistency;
  for (const auto& h : consistency_proof(tree.reader(), 3, 8).value()) consistency.push_back(base64_encode(h));
  b.run("verify_consistency", "verify_consistency",
        {{"size1", 3},
         {"size2", 8},
         {"proof", consistency},
         {"root1", base64_encode(tree_root(tree.reader(), 3).value())},
         {"root2", base64_encode(tree.root())}});
  b.run("canonicalize", "canonicalize", json::parse(R"({"b":[1.5e3,"\u00e9"],"a":{"\n":true}})", nullptr, false));
  b.run("unknown operation", "frobnicate", json::object());

  json out = {{"description",
               "Core operation vectors: both the native and the wasm build must give exactly `output` for `op` "
               "and `args`. Regenerate with build/native/bin/objector-make-vectors."},
              {"cases", b.cases}};
  std::cout << out.dump(2) << "\n";
  return native::kExitOk;
}
