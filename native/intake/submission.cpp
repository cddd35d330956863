#include "native/intake/submission.hpp"

#include <algorithm>

#include "core/crypto/commitment.hpp"
#include "core/json/json_fields.hpp"
#include "core/objection/entry.hpp"
#include "core/tlog/merkle.hpp"

namespace objector::intake {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

Status check_offered(const Statement& s, const Config& config) {
  if (s.controller != config.origin) {
    return make_error(errc::wrong_controller, "statement.controller: this log is \"" + config.origin + "\", not \"" +
                                                  s.controller + "\" (hint: check the widget's controller attribute)");
  }
  if (!config.jurisdictions.empty() && !contains(config.jurisdictions, s.jurisdiction)) {
    return make_error(errc::jurisdiction_not_offered,
                      "statement.jurisdiction: " + s.jurisdiction + " is not served by this controller");
  }
  for (const auto& service : s.services) {
    if (!contains(config.services, service)) {
      return make_error(errc::unknown_service,
                        "statement.services: \"" + service + "\" is not a service of this controller");
    }
  }
  for (const auto& purpose : s.purposes) {
    if (!contains(config.purposes, purpose)) {
      return make_error(errc::purpose_not_offered, "statement.purposes: \"" + purpose + "\" is not offered here");
    }
  }
  return Ok{};
}

// Free text (line breaks and tabs allowed), "" when absent.
Result<std::string> optional_text(JsonValue body, const char* key, std::size_t max) {
  auto v = body.find(key);
  if (!v.valid() || v.type() == JsonType::null) return std::string();
  if (!v.is_string()) return make_error(errc::wrong_type, std::string(key) + ": expected a string");
  auto s = v.text();
  if (s.size() > max) {
    return make_error(errc::too_long, std::string(key) + ": " + std::to_string(s.size()) +
                                          " bytes is over the limit of " + std::to_string(max));
  }
  bool controls = std::any_of(s.begin(), s.end(), [&](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\n' && c != '\t') || u == 0x7F;
  });
  if (controls) return make_error(errc::control_character, std::string(key) + ": control characters are not allowed");
  return std::string(s);
}

}  // namespace

Result<Submission> check_submission(std::string_view body_text, const AccountToken& token, const Config& config,
                                    std::int64_t now) {
  JsonDocument doc;
  OBJECTOR_TRY(auto body, doc.parse(body_text, {.max_bytes = config.max_body_bytes, .max_depth = 8}));
  OBJECTOR_RETURN_IF_ERROR(expect_object(body, "body", {"entry", "opening"}, {"reason"}));
  OBJECTOR_TRY(auto entry, entry_from_json(body.at("entry")));
  OBJECTOR_TRY(auto entry_text, verified_entry_bytes(entry));
  const auto& s = entry.statement;
  OBJECTOR_RETURN_IF_ERROR(check_offered(s, config));
  if (s.created < now - kMaxStatementAgeSeconds || s.created > now + kMaxClockSkewSeconds) {
    return make_error(errc::bad_time,
                      "statement.created: " + std::to_string(s.created) +
                          " is not within 30 days of the intake's clock (hint: check the device's clock)");
  }
  OBJECTOR_TRY(auto opening, opening_from_json(body.at("opening")));
  OBJECTOR_RETURN_IF_ERROR(check_opening(opening, s.subject));
  if (opening.account != token.account) {
    return make_error(errc::account_mismatch,
                      "opening.account: the objection is for another account than the one signed in (hint: sign in "
                      "again as the account you are objecting for)");
  }
  OBJECTOR_TRY(auto reason, optional_text(body, "reason", config.max_reason_bytes));

  Submission out;
  out.entry.bytes = std::move(entry_text);
  out.entry.leaf = leaf_hash(as_bytes(out.entry.bytes));
  out.entry.device_key = s.device_key;
  out.opening.account = opening.account;
  out.opening.r = std::move(opening.r);
  out.opening.reason = std::move(reason);
  out.opening.received = now;
  return out;
}

}  // namespace objector::intake
