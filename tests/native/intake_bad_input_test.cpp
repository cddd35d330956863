#include <boost/test/unit_test.hpp>

#include "core/encoding/base64.hpp"
#include "native/common/http_client.hpp"
#include "native/intake/account_token.hpp"
#include "tests/support/intake_fixture.hpp"

using namespace objector;
using namespace objector::test;
using objector::native::HttpClient;

BOOST_AUTO_TEST_SUITE(intake_bad_input)

// Each malformed or forged submission gets its 4xx with a JSON error, the
// server stays up, and nothing is stored.
BOOST_AUTO_TEST_CASE(corpus_is_rejected_and_nothing_is_stored) {
  RunningIntake intake;
  auto& [data, server, client] = intake;
  auto o = data.objection("user:1");
  auto good = parse_json(IntakeData::body(o)).value();
  auto token = data.token("user:1");
  auto with = [&](const std::string& pointer, const json& value) {
    auto j = good;
    j[json::json_pointer(pointer)] = value;
    return j.dump();
  };
  auto sig = good["entry"]["sig"].get<std::string>();
  sig[0] = sig[0] == 'A' ? 'B' : 'A';

  struct Case {
    std::string name, body, token;
    int status;
    std::string code;
  };
  std::vector<Case> cases{
      {"empty body", "", token, 400, "bad_json"},
      {"not JSON", "hello", token, 400, "bad_json"},
      {"truncated JSON", IntakeData::body(o).substr(0, 200), token, 400, "bad_json"},
      {"array", "[]", token, 400, "wrong_type"},
      {"entry is a number", with("/entry", 5), token, 400, "wrong_type"},
      {"opening missing", json{{"entry", good["entry"]}}.dump(), token, 400, "missing_field"},
      {"extra field", with("/extra", 1), token, 400, "unknown_field"},
      {"duplicate key", "{\"entry\":1,\"entry\":2,\"opening\":3}", token, 400, "bad_json"},
      {"invalid UTF-8", "{\"entry\":\"\xC3\x28\"}", token, 400, "bad_json"},
      {"deep nesting", std::string(100, '[') + std::string(100, ']'), token, 400, "bad_json"},
      {"huge reason", with("/reason", std::string(3000, 'x')), token, 400, "too_long"},
      {"an e-mail address is not collected", with("/contact", "ana@example.org"), token, 400, "unknown_field"},
      {"control character in reason",
       with("/reason",
            "a\x01"
            "b"),
       token, 400, "control_character"},
      {"huge service name", with("/entry/statement/services/0", std::string(100, 'a')), token, 400, "too_long"},
      {"bad base64 signature", with("/entry/sig", "not base64"), token, 400, "bad_base64"},
      {"short signature", with("/entry/sig", "AAAA"), token, 400, "bad_length"},
      {"wrong signature", with("/entry/sig", sig), token, 400, "bad_signature"},
      {"changed statement", with("/entry/statement/lang", "de"), token, 400, "bad_signature"},
      {"float time", with("/entry/statement/created", 1.5), token, 400, "wrong_type"},
      {"foreign controller", with("/entry/statement/controller", "other.example/log"), token, 400, "bad_signature"},
      {"bad opening r", with("/opening/r", "!!!!"), token, 400, "bad_base64"},
      {"opening for another account", with("/opening/account", "user:2"), token, 400, "subject_mismatch"},
      {"expired token", IntakeData::body(o), data.token("user:1", -1), 401, "token_expired"},
      {"forged token", IntakeData::body(o), token.substr(0, token.size() - 2) + "AA", 401, "token_invalid"},
      {"token for another account", IntakeData::body(o), data.token("user:2"), 403, "account_mismatch"},
  };
  // A statement properly signed for another log.
  {
    auto form = ObjectionForm{"other.example/log", "GB", {"facebook"}, {"train-ai"}, "en-GB", unix_now(), "user:1"};
    cases.push_back(
        {"signed for another log", IntakeData::body(make_objection(form).value()), token, 400, "wrong_controller"});
    form.controller = "social.example/ai-training";
    form.services = {"tiktok"};
    cases.push_back(
        {"service not offered", IntakeData::body(make_objection(form).value()), token, 400, "unknown_service"});
    form.services = {"facebook"};
    form.created = unix_now() - std::int64_t{90} * 86400;
    cases.push_back({"stale statement", IntakeData::body(make_objection(form).value()), token, 400, "bad_time"});
  }
  for (const auto& c : cases) {
    auto r = client.post_json("/v1/objections", c.body, c.token);
    BOOST_TEST(r.status == c.status, c.name << ": " << r.body);
    auto j = parse_json(r.body);
    BOOST_TEST_REQUIRE(j.ok(), c.name);
    BOOST_TEST((*j)["error"].get<std::string>() == c.code, c.name << ": " << r.body);
    BOOST_TEST(!(*j)["message"].get<std::string>().empty());
  }
  auto cp = client.get("/checkpoint");
  BOOST_TEST(cp.status == 200);
  BOOST_TEST(cp.body.find("\n0\n") != std::string::npos, cp.body);                           // still the empty tree
  BOOST_TEST(client.post_json("/v1/objections", IntakeData::body(o), token).status == 201);  // and still serving
}

BOOST_AUTO_TEST_SUITE_END()
