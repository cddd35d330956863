#include <boost/test/unit_test.hpp>

#include "core/json/jcs.hpp"
#include "core/objection/objection.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/support/json_value.hpp"

using namespace objector;

namespace {

json valid_statement_json() { return to_json(test::fixed_objection().entry.statement); }

Error rejected(const json& j) {
  auto s = statement_from_json(test::as_value(j));
  BOOST_REQUIRE(!s.ok());
  return s.error();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(statement)

BOOST_AUTO_TEST_CASE(builds_sorted_canonical_statement_from_form) {
  auto o = test::fixed_objection();
  const auto& s = o.entry.statement;
  BOOST_TEST(s.basis == "uk-gdpr:art21");
  BOOST_TEST((s.services == std::vector<std::string>{"facebook", "instagram"}));
  BOOST_TEST(canonical_bytes(s).rfind("{\"basis\":\"uk-gdpr:art21\",\"controller\":\"social.example/ai-training\","
                                      "\"created\":1764131712,\"device_key\":\"",
                                      0) == 0);
  auto round = statement_from_json(test::as_value(to_json(s)));
  BOOST_TEST_REQUIRE(round.ok());
  BOOST_TEST(canonical_bytes(*round) == canonical_bytes(s));
}

BOOST_AUTO_TEST_CASE(basis_follows_jurisdiction) {
  for (auto [code, basis] : {std::pair{"GB", "uk-gdpr:art21"}, std::pair{"DE", "eu-gdpr:art21"},
                             std::pair{"NO", "eu-gdpr:art21"}, std::pair{"BR", "lgpd:art18-2"}}) {
    auto form = test::valid_form();
    form.jurisdiction = code;
    BOOST_TEST(test::fixed_objection(form).entry.statement.basis == basis);
  }
}

BOOST_AUTO_TEST_CASE(each_bad_field_has_a_precise_error) {
  struct Case {
    const char* field;
    json value;
    const char* code;
    const char* message;
  };
  const Case cases[] = {
      {"type", "objection/v2", "unknown_type", "statement.type: expected \"objection/v1\", got \"objection/v2\""},
      {"jurisdiction", "US", "unknown_jurisdiction",
       "statement.jurisdiction: unknown jurisdiction \"US\" (hint: an ISO 3166-1 code of the UK, an EU/EEA state or "
       "Brazil, e.g. \"GB\")"},
      {"basis", "eu-gdpr:art21", "basis_mismatch",
       "statement.basis: \"eu-gdpr:art21\" does not apply in GB (hint: use \"uk-gdpr:art21\")"},
      {"services", json::array(), "empty_services",
       "statement.services: name at least one service (e.g. \"facebook\")"},
      {"services", json::array({"instagram", "facebook"}), "not_canonical",
       "statement.services: entries must be sorted and unique"},
      {"services", json::array({"Face Book"}), "bad_service",
       "statement.services: \"Face Book\" is not a service name (hint: 1-32 of a-z, 0-9 and '-')"},
      {"purposes", json::array({"advertising"}), "unknown_purpose",
       "statement.purposes: unknown purpose \"advertising\" (hint: use \"train-ai\"; \"train-genai\" is kept for old "
       "receipts)"},
      {"purposes", json::array(), "empty_purposes",
       "statement.purposes: name at least one purpose (e.g. \"train-ai\")"},
      {"device_key", "AAAA", "bad_length", "statement.device_key: expected base64 of 32 bytes, got 3 bytes"},
      {"subject", "not base64!", "bad_base64",
       "statement.subject: invalid base64 \"not base64!\" (hint: standard alphabet, padded, no whitespace)"},
      {"created", 1000, "bad_time", "statement.created: 1000 is outside [1704067200, 4102444800]"},
      {"created", 1764131712.5, "wrong_type", "statement.created: expected an integer, got a fraction"},
      {"created", "1764131712", "wrong_type", "statement.created: expected an integer, got string"},
      {"lang", "english", "bad_lang", "statement.lang: \"english\" is not a language tag (hint: e.g. \"en-GB\")"},
      {"controller", "social example", "bad_origin",
       "statement.controller: not a log origin (hint: printable ASCII without spaces or '+', at most 128 bytes, e.g. "
       "\"social.example/ai-training\")"},
      {"controller", std::string(200, 'a'), "too_long", "statement.controller: 200 bytes is over the limit of 128"},
      {"controller", "", "empty_field", "statement.controller: must not be empty"},
      {"lang", "en\nGB", "control_character", "statement.lang: control characters are not allowed"},
  };
  for (const auto& c : cases) {
    auto j = valid_statement_json();
    j[c.field] = c.value;
    auto e = rejected(j);
    BOOST_TEST(e.code == c.code, c.field);
    BOOST_TEST(e.message == c.message, c.field);
  }
}

BOOST_AUTO_TEST_CASE(extra_and_missing_fields) {
  auto j = valid_statement_json();
  j["reason"] = "because";
  auto e = rejected(j);
  BOOST_TEST(e.code == "unknown_field");
  BOOST_TEST(e.message == "statement.reason: unknown field (hint: remove it; signed documents allow no extra fields)");
  j = valid_statement_json();
  j.erase("lang");
  e = rejected(j);
  BOOST_TEST(e.code == "missing_field");
  BOOST_TEST(e.message == "statement.lang: required field is missing");
  e = rejected(json::array());
  BOOST_TEST(e.message == "statement: expected a JSON object, got array");
}

BOOST_AUTO_TEST_CASE(oversize_lists) {
  auto j = valid_statement_json();
  j["services"] = json::array();
  for (int i = 0; i < 17; ++i) j["services"].push_back("s" + std::to_string(100 + i));
  BOOST_TEST(rejected(j).message == "statement.services: at most 16 entries");
}

BOOST_AUTO_TEST_CASE(form_errors_surface) {
  auto form = test::valid_form();
  form.jurisdiction = "XX";
  auto r = make_objection(form, test::fixed_device_key(), Opening{"user:1", test::fixed_bytes(2)});
  BOOST_TEST(r.error().code == "unknown_jurisdiction");
  form = test::valid_form();
  form.services = {};
  r = make_objection(form, test::fixed_device_key(), Opening{"user:1", test::fixed_bytes(2)});
  BOOST_TEST(r.error().code == "empty_services");
  r = make_objection(test::valid_form(), test::fixed_device_key(), Opening{"", test::fixed_bytes(2)});
  BOOST_TEST(r.error().message == "opening.account: must not be empty");
}

BOOST_AUTO_TEST_SUITE_END()
