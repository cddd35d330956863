#include "core/json/jcs.hpp"

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>

#include "tests/support/files.hpp"

using namespace objector;

BOOST_AUTO_TEST_SUITE(jcs)

// cyberphone/json-canonicalization testdata: input/X.json -> output/X.json, byte for byte.
BOOST_AUTO_TEST_CASE(rfc8785_reference_vectors) {
  auto dir = test::test_vectors() / "jcs/testdata";
  auto inputs = test::files_under(dir / "input", ".json");
  BOOST_TEST_REQUIRE(inputs.size() == 6u);
  for (const auto& in : inputs) {
    auto value = parse_json(test::read_file(in));
    BOOST_TEST_REQUIRE(value.ok(), in);
    auto out = canonicalize(*value);
    BOOST_TEST_REQUIRE(out.ok());
    BOOST_TEST(*out == test::read_file(dir / "output" / in.filename()), in.filename());
  }
}

BOOST_AUTO_TEST_CASE(es6_number_format) {
  // ECMAScript Number::toString, as RFC 8785 Appendix B lists (IEEE hex → text).
  const std::pair<std::uint64_t, const char*> cases[] = {
      {0x0000000000000000, "0"},
      {0x8000000000000000, "0"},
      {0x0000000000000001, "5e-324"},
      {0x8000000000000001, "-5e-324"},
      {0x7fefffffffffffff, "1.7976931348623157e+308"},
      {0xffefffffffffffff, "-1.7976931348623157e+308"},
      {0x4340000000000000, "9007199254740992"},
      {0xc340000000000000, "-9007199254740992"},
      {0x4430000000000000, "295147905179352830000"},
      {0x44b52d02c7e14af5, "9.999999999999997e+22"},
      {0x44b52d02c7e14af6, "1e+23"},
      {0x44b52d02c7e14af7, "1.0000000000000001e+23"},
      {0x444b1ae4d6e2ef4e, "999999999999999700000"},
      {0x444b1ae4d6e2ef4f, "999999999999999900000"},
      {0x444b1ae4d6e2ef50, "1e+21"},
      {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
      {0x3eb0c6f7a0b5ed8d, "0.000001"},
      {0x41b3de4355555553, "333333333.3333332"},
      {0x41b3de4355555554, "333333333.33333325"},
      {0x41b3de4355555555, "333333333.3333333"},
      {0x41b3de4355555556, "333333333.3333334"},
      {0x41b3de4355555557, "333333333.33333343"},
      {0xbecbf647612f3696, "-0.0000033333333333333333"},
      {0x43143ff3c1cb0959, "1424953923781206.2"},
  };
  for (const auto& [bits, text] : cases) {
    double d = 0;
    std::memcpy(&d, &bits, sizeof d);
    BOOST_TEST(format_es6_number(d) == text, std::hex << bits);
  }
}

BOOST_AUTO_TEST_CASE(large_integers_follow_double_rules) {
  // JCS numbers are doubles: beyond 2^53 an integer prints as its double.
  BOOST_TEST(*canonicalize(json(9007199254740993ULL)) == "9007199254740992");
  BOOST_TEST(*canonicalize(json(std::int64_t{-42})) == "-42");
}

BOOST_AUTO_TEST_CASE(non_finite_numbers_are_errors) {
  auto r = canonicalize(json(std::numeric_limits<double>::quiet_NaN()));
  BOOST_TEST(r.error().code == "bad_number");
  BOOST_TEST(!canonicalize(json::array({1, std::numeric_limits<double>::infinity()})).ok());
}

BOOST_AUTO_TEST_CASE(string_escapes) {
  BOOST_TEST(*canonicalize(json("\x01\x1f\x7f\"\\/\b\f\n\r\t")) == "\"\\u0001\\u001f\x7f\\\"\\\\/\\b\\f\\n\\r\\t\"");
}

BOOST_AUTO_TEST_CASE(keys_sort_by_utf16_code_units) {
  // U+1F602 (surrogates D83D DE02) sorts before U+FB33 in UTF-16, after it in UTF-8.
  auto j = parse_json("{\"\\ufb33\":1,\"\\ud83d\\ude02\":2}");
  BOOST_TEST(*canonicalize(*j) == "{\"\xF0\x9F\x98\x82\":2,\"\xEF\xAC\xB3\":1}");
}

BOOST_AUTO_TEST_SUITE_END()
