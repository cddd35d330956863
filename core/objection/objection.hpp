// What the device makes when a person objects (FORMAT.md §1-3): from the form
// input, a fresh device key and blinding value, the statement, its signature
// and the opening. Used by the widget (through wasm) and the load generator.
// Thread safety: pure functions apart from the random source.
#pragma once

#include "core/crypto/commitment.hpp"
#include "core/objection/entry.hpp"

namespace objector {

struct ObjectionForm {
  std::string controller;
  std::string jurisdiction;
  std::vector<std::string> services;  // any order; duplicates dropped
  std::vector<std::string> purposes;  // any order; duplicates dropped
  std::string lang;
  std::int64_t created = 0;
  std::string account;
};

struct Objection {
  Entry entry;
  Opening opening;
  SecretBytes device_seed;
};

// Deterministic given the key and opening (the vectors use fixed ones).
Result<Objection> make_objection(const ObjectionForm& form, const SigningKey& device_key, Opening opening);
// Fresh random key and blinding value.
Result<Objection> make_objection(const ObjectionForm& form);

}  // namespace objector
