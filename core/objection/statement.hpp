// The objection statement (FORMAT.md §1): what a person objects to, signed by
// a fresh per-objection device key. Validation is strict and complete so that
// the intake, the verifier and the widget accept exactly the same statements.
// Thread safety: pure functions; Statement is a plain value.
#pragma once

#include <vector>

#include "core/crypto/ed25519.hpp"
#include "core/json/jcs_writer.hpp"
#include "core/json/json.hpp"
#include "core/json/json_reader.hpp"
#include "core/tlog/checkpoint.hpp"

namespace objector {

inline constexpr std::string_view kStatementType = "objection/v1";
inline constexpr std::size_t kMaxControllerBytes = kMaxOriginBytes;  // the controller is a log origin
inline constexpr std::size_t kMaxServices = 16;
inline constexpr std::size_t kMaxServiceBytes = 32;
inline constexpr std::size_t kMaxLangBytes = 35;
inline constexpr std::int64_t kMinCreated = 1704067200;  // 2024-01-01T00:00:00Z
inline constexpr std::int64_t kMaxCreated = 4102444800;  // 2100-01-01T00:00:00Z

// How long after it was created an intake accepts a statement (a pending
// objection may wait offline this long), and how far ahead of the intake's
// clock a device's clock may run. The widget's queue reads the first from
// here (web/constants.js, generated), so the two never drift apart.
inline constexpr std::int64_t kMaxStatementAgeSeconds = std::int64_t{30} * 86400;
inline constexpr std::int64_t kMaxClockSkewSeconds = 86400;

// The languages the widget speaks (one catalog each in web/i18n), as the
// discovery document announces them; the first is the default.
inline constexpr std::string_view kWidgetLanguages[] = {"en-GB", "pt-BR", "de", "fr", "es", "it", "nl", "pl"};

// IETF AI-preferences vocabulary terms an objection may name.
inline constexpr std::string_view kPurposes[] = {"train-ai", "train-genai"};

struct Statement {
  std::string controller;             // the log origin, e.g. "social.example/ai-training"
  std::string jurisdiction;           // ISO 3166-1 alpha-2
  std::string basis;                  // follows from the jurisdiction
  std::vector<std::string> services;  // sorted, unique
  std::vector<std::string> purposes;  // sorted, unique
  Hash subject{};                     // commitment to the account
  PublicKey device_key{};
  std::int64_t created = 0;  // Unix seconds
  std::string lang;          // BCP 47 tag of the form's language
};

// Every rule of FORMAT.md §1 but the device key's validity, which
// verify_entry() checks along with the signature. The error names the field
// and the fix.
Status validate(const Statement& s);

void write_jcs(JcsWriter& w, const Statement& s);
json to_json(const Statement& s);  // a DOM of canonical_bytes()
Result<Statement> statement_from_json(JsonValue j, std::string_view where = "statement");

// The JCS bytes that are signed.
std::string canonical_bytes(const Statement& s);

}  // namespace objector
