// Fixed inputs for tests: a valid form, fixed device seed and blinding value,
// and a small signed log, so expected bytes can be asserted exactly.
#pragma once

#include "core/objection/objection.hpp"
#include "core/objection/receipt.hpp"
#include "core/tlog/merkle.hpp"
#include "core/tlog/note_key.hpp"

namespace objector::test {

inline ObjectionForm valid_form() {
  return {
      "social.example/ai-training", "GB", {"instagram", "facebook"}, {"train-genai"}, "en-GB", 1764131712, "user:1234"};
}

inline SecretBytes fixed_bytes(std::uint8_t fill) { return SecretBytes(Bytes(32, fill)); }

inline SigningKey fixed_device_key(std::uint8_t fill = 1) { return SigningKey::from_seed(Bytes(32, fill)).value(); }

inline Objection fixed_objection(ObjectionForm form = valid_form(), std::uint8_t fill = 1) {
  auto account = form.account;
  return make_objection(form, fixed_device_key(fill),
                        Opening{account, fixed_bytes(static_cast<std::uint8_t>(fill + 1))})
      .value();
}

inline NoteSigner fixed_log_key(std::string origin = "social.example/ai-training") {
  auto key = SigningKey::from_seed(Bytes(32, 0x4c)).value();
  auto id = key_id(origin, KeyType::ed25519, key.public_key());
  return NoteSigner{std::move(origin), id, KeyType::ed25519, std::move(key)};
}

// A receipt for entry `index` of a log holding `count` fixed objections.
Receipt fixed_receipt(std::uint64_t index = 2, std::uint64_t count = 5);

}  // namespace objector::test
