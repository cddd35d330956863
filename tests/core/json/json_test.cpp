#include "core/json/json.hpp"

#include <boost/test/unit_test.hpp>

using namespace objector;

BOOST_AUTO_TEST_SUITE(json)

BOOST_AUTO_TEST_CASE(accepts_plain_json) {
  auto j = parse_json("{\"a\": [1, 2, {\"b\": null}]}");
  BOOST_TEST_REQUIRE(j.ok());
  BOOST_TEST(j->at("a").size() == 3u);
}

BOOST_AUTO_TEST_CASE(rejects_duplicate_keys) {
  auto j = parse_json("{\"a\": 1, \"b\": {\"c\": 1, \"c\": 2}}");
  BOOST_TEST(j.error().code == "bad_json");
  BOOST_TEST(j.error().message == "invalid JSON: duplicate key \"c\" (hint: each key may appear once per object)");
  BOOST_TEST(parse_json("[{\"a\":1},{\"a\":1}]").ok());  // same key in different objects is fine
}

BOOST_AUTO_TEST_CASE(syntax_errors_say_where) {
  auto j = parse_json("{\n  \"a\": tru\n}");
  BOOST_TEST_REQUIRE(!j.ok());
  BOOST_TEST(j.error().message ==
             "invalid JSON: line 2, column 8: expected a value (hint: true, false and null are lowercase)");
}

BOOST_AUTO_TEST_CASE(rejects_trailing_content_and_truncation) {
  BOOST_TEST(!parse_json("{} {}").ok());
  BOOST_TEST(!parse_json("{\"a\": [1, 2").ok());
  BOOST_TEST(!parse_json("").ok());
}

BOOST_AUTO_TEST_CASE(rejects_invalid_utf8) {
  BOOST_TEST(!parse_json("\"\xC3\x28\"").ok());
  BOOST_TEST(!parse_json("\"\xED\xA0\x80\"").ok());  // encoded surrogate
  BOOST_TEST(!parse_json("\"\\ud800\"").ok());       // lone surrogate escape
}

BOOST_AUTO_TEST_CASE(limits_depth_and_size) {
  std::string deep(40, '[');
  deep += std::string(40, ']');
  auto j = parse_json(deep, {.max_bytes = 1000, .max_depth = 32});
  BOOST_TEST(j.error().message == "invalid JSON: nesting deeper than 32 levels");
  auto big = parse_json(std::string(2000, ' ') + "1", {.max_bytes = 1000, .max_depth = 32});
  BOOST_TEST(big.error().code == "too_large");
  BOOST_TEST(big.error().message == "JSON document of 2001 bytes exceeds the limit of 1000 bytes");
}

BOOST_AUTO_TEST_SUITE_END()
