#include "core/objection/statement.hpp"

#include <algorithm>

#include "core/json/jcs_writer.hpp"
#include "core/json/json_fields.hpp"
#include "core/objection/jurisdiction.hpp"
#include "core/tlog/checkpoint.hpp"

namespace objector {
namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }

Status check_sorted_unique(const std::vector<std::string>& items, const std::string& path) {
  if (std::adjacent_find(items.begin(), items.end(), std::greater_equal<>()) != items.end()) {
    return make_error(errc::not_canonical, path + ": entries must be sorted and unique");
  }
  return Ok{};
}

Status check_services(const std::vector<std::string>& services) {
  if (services.empty()) {
    return make_error(errc::empty_services, "statement.services: name at least one service (e.g. \"facebook\")");
  }
  if (services.size() > kMaxServices) {
    return make_error(errc::too_many, "statement.services: at most " + std::to_string(kMaxServices) + " services");
  }
  for (const auto& s : services) {
    bool ok = !s.empty() && s.size() <= kMaxServiceBytes && is_lower_alnum(s.front()) &&
              std::all_of(s.begin(), s.end(), [](char c) { return is_lower_alnum(c) || c == '-'; });
    if (!ok) {
      return make_error(errc::bad_service, "statement.services: \"" + s.substr(0, 40) +
                                               "\" is not a service name (hint: 1-32 of a-z, 0-9 and '-')");
    }
  }
  return check_sorted_unique(services, "statement.services");
}

Status check_purposes(const std::vector<std::string>& purposes) {
  if (purposes.empty()) {
    return make_error(errc::empty_purposes, "statement.purposes: name at least one purpose (e.g. \"train-ai\")");
  }
  for (const auto& p : purposes) {
    if (std::find(std::begin(kPurposes), std::end(kPurposes), p) == std::end(kPurposes)) {
      return make_error(errc::unknown_purpose,
                        "statement.purposes: unknown purpose \"" + p.substr(0, 40) +
                            "\" (hint: use \"train-ai\"; \"train-genai\" is kept for old receipts)");
    }
  }
  return check_sorted_unique(purposes, "statement.purposes");
}

// BCP 47 shape: a 2-3 letter language, then subtags of 1-8 letters or digits.
Status check_lang(std::string_view lang) {
  auto primary = lang.substr(0, lang.find('-'));
  bool ok = lang.size() <= kMaxLangBytes && primary.size() >= 2 && primary.size() <= 3 &&
            std::all_of(primary.begin(), primary.end(), is_alpha);
  for (auto rest = lang.substr(primary.size()); ok && !rest.empty();) {
    rest.remove_prefix(1);  // '-'
    auto tag = rest.substr(0, rest.find('-'));
    ok = !tag.empty() && tag.size() <= 8 && std::all_of(tag.begin(), tag.end(), is_alnum);
    rest.remove_prefix(tag.size());
  }
  if (!ok)
    return make_error(errc::bad_lang, "statement.lang: \"" + std::string(lang.substr(0, 40)) +
                                          "\" is not a language tag (hint: e.g. \"en-GB\")");
  return Ok{};
}

}  // namespace

Status validate(const Statement& s) {
  OBJECTOR_RETURN_IF_ERROR(check_origin(s.controller, "statement.controller"));
  const auto* j = find_jurisdiction(s.jurisdiction);
  if (j == nullptr) {
    return make_error(errc::unknown_jurisdiction,
                      "statement.jurisdiction: unknown jurisdiction \"" + s.jurisdiction.substr(0, 8) +
                          "\" (hint: an ISO 3166-1 code of the UK, an EU/EEA state or Brazil, e.g. \"GB\")");
  }
  if (s.basis != j->basis) {
    return make_error(errc::basis_mismatch, "statement.basis: \"" + s.basis.substr(0, 40) + "\" does not apply in " +
                                                s.jurisdiction + " (hint: use \"" + std::string(j->basis) + "\")");
  }
  OBJECTOR_RETURN_IF_ERROR(check_services(s.services));
  OBJECTOR_RETURN_IF_ERROR(check_purposes(s.purposes));
  if (s.created < kMinCreated || s.created > kMaxCreated) {
    return make_error(errc::bad_time, "statement.created: " + std::to_string(s.created) +
                                          " is outside 2024-01-01..2100-01-01 (hint: Unix time in seconds)");
  }
  return check_lang(s.lang);
}

void write_jcs(JcsWriter& w, const Statement& s) {
  auto list = [&w](const std::vector<std::string>& items) {
    w.array();
    for (const auto& item : items) w.string(item);
    w.end();
  };
  w.object().key("basis").string(s.basis).key("controller").string(s.controller).key("created").integer(s.created);
  w.key("device_key").base64(s.device_key).key("jurisdiction").string(s.jurisdiction).key("lang").string(s.lang);
  w.key("purposes");
  list(s.purposes);
  w.key("services");
  list(s.services);
  w.key("subject").base64(s.subject).key("type").string(kStatementType).end();
}

json to_json(const Statement& s) { return parse_json(canonical_bytes(s)).value(); }

Result<Statement> statement_from_json(JsonValue j, std::string_view where) {
  OBJECTOR_RETURN_IF_ERROR(expect_object(j, where,
                                         {"type", "controller", "jurisdiction", "basis", "services", "purposes",
                                          "subject", "device_key", "created", "lang"}));
  OBJECTOR_TRY(auto type, get_text(j, "type", where, 32));
  if (type != kStatementType) {
    return make_error(errc::unknown_type,
                      field_path(where, "type") + ": expected \"objection/v1\", got \"" + type + "\"");
  }
  Statement s;
  auto text = [&](std::string_view key, std::size_t max, std::string& out) -> Status {
    OBJECTOR_TRY(auto v, get_text(j, key, where, max));
    out = std::move(v);
    return Ok{};
  };
  OBJECTOR_RETURN_IF_ERROR(text("controller", kMaxControllerBytes, s.controller));
  OBJECTOR_RETURN_IF_ERROR(text("jurisdiction", 8, s.jurisdiction));
  OBJECTOR_RETURN_IF_ERROR(text("basis", 32, s.basis));
  OBJECTOR_RETURN_IF_ERROR(text("lang", kMaxLangBytes, s.lang));
  OBJECTOR_TRY(auto services, get_text_list(j, "services", where, kMaxServices, kMaxServiceBytes));
  s.services = std::move(services);
  OBJECTOR_TRY(auto purposes, get_text_list(j, "purposes", where, std::size(kPurposes), 32));
  s.purposes = std::move(purposes);
  OBJECTOR_TRY(auto subject, get_base64<32>(j, "subject", where));
  s.subject = subject;
  OBJECTOR_TRY(auto key, get_base64<32>(j, "device_key", where));
  s.device_key = key;
  auto created = get_integer(j, "created", where, kMinCreated, kMaxCreated);
  if (!created) {
    auto e = std::move(created).error();
    // A time outside the window is the statement's own error, not a schema one.
    return e.is(errc::out_of_range) ? make_error(errc::bad_time, std::move(e.message)) : e;
  }
  s.created = *created;
  OBJECTOR_RETURN_IF_ERROR(validate(s));
  return s;
}

std::string canonical_bytes(const Statement& s) {
  JcsWriter w;
  write_jcs(w, s);
  return w.take();
}

}  // namespace objector
