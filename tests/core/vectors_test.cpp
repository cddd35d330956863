#include <boost/test/unit_test.hpp>

#include "core/api.hpp"
#include "tests/support/files.hpp"

using namespace objector;

BOOST_AUTO_TEST_SUITE(vectors)

// tests/vectors/core.json: every case gives exactly the recorded bytes. The
// wasm suite replays the same file, so the two builds agree byte for byte.
BOOST_AUTO_TEST_CASE(core_operations) {
  auto v = test::read_json(test::test_vectors() / "core.json");
  const auto& cases = v.at("cases");
  BOOST_TEST_REQUIRE(cases.size() >= 30u);
  for (const auto& c : cases) {
    auto name = c.at("name").get<std::string>();
    auto reply = api::call(c.at("op").get<std::string>(), c.at("args").dump());
    BOOST_TEST(reply.ok == c.at("ok").get<bool>(), name);
    BOOST_TEST(reply.body == c.at("output").get<std::string>(), name);
  }
}

BOOST_AUTO_TEST_CASE(bad_arguments_are_errors_not_crashes) {
  for (const char* args : {"", "[", "null", "[]", "{\"a\":1,\"a\":2}", "\"\\ud800\""}) {
    auto reply = api::call("make_objection", args);
    BOOST_TEST(!reply.ok, args);
    BOOST_TEST(reply.body.rfind("{\"error\":\"", 0) == 0, reply.body);
  }
  auto reply = api::call("make_objection", "[]");
  BOOST_TEST(reply.body == "{\"error\":\"wrong_type\",\"message\":\"args: expected a JSON object\"}");
}

BOOST_AUTO_TEST_SUITE_END()
