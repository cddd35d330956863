// Exact decimal <-> double without the C library, checked against it: glibc's
// strtod and printf are correctly rounded, so on every input the two must
// agree bit for bit (the RFC 8785 Appendix B table is in jcs_test).
#include "core/json/es6_number.hpp"

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "tests/support/c_library_numbers.hpp"

using namespace objector;
using test::oracle_format;
using test::oracle_parse;

namespace {

std::uint64_t bits_of(double d) {
  std::uint64_t b = 0;
  std::memcpy(&b, &d, sizeof b);
  return b;
}
double from_bits(std::uint64_t b) {
  double d = 0;
  std::memcpy(&d, &b, sizeof d);
  return d;
}

// Random finite doubles over every exponent, subnormals included.
double random_double(std::mt19937_64& rng) {
  for (;;) {
    double d = from_bits(rng());
    if (std::isfinite(d)) return d;
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(es6_number)

BOOST_AUTO_TEST_CASE(edges_read_as_the_c_library_reads_them) {
  const char* texts[] = {
      "0",
      "-0",
      "0.0",
      "1",
      "-1",
      "0.5",
      "1e0",
      "1E+2",
      "1e-2",
      "123.456e-7",
      "4.9406564584124654e-324",  // the least subnormal
      "2.4703282292062327e-324",  // half of it: ties to even, so 0
      "2.4703282292062328e-324",  // just above half: the least subnormal
      "2.2250738585072011e-308",
      "2.2250738585072014e-308",  // around the least normal
      "1.7976931348623157e308",
      "1.7976931348623158e308",
      "1.7976931348623159e308",  // rounds to infinity
      "1e309",
      "-1e400",
      "1e-400",
      "1e-99999999999",
      "1e99999999999",
      "9007199254740993",  // 2^53 + 1: ties to even
      "9007199254740995",
      "0.1",
      "0.2",
      "0.3",
      "3.141592653589793238462643383279",
      "123456789012345678901234567890",
      "1.00000000000000011102230246251565404236316680908203125",  // a tie
      "1.00000000000000011102230246251565404236316680908203126",  // just above it
      "1.00000000000000011102230246251565404236316680908203124",  // just below it
      "0.000000000000000000000000000000000000000000000000000000001",
  };
  for (const char* t : texts) {
    BOOST_TEST(bits_of(parse_json_number(t)) == bits_of(oracle_parse(t)), t);
  }
}

BOOST_AUTO_TEST_CASE(very_long_numbers_keep_their_tail) {
  // A tie between two doubles, then 900 zeros and a 1: the 1 decides.
  const std::string tie = "1.00000000000000011102230246251565404236316680908203125";
  BOOST_TEST(bits_of(parse_json_number(tie + std::string(900, '0'))) == bits_of(oracle_parse(tie)));
  BOOST_TEST(bits_of(parse_json_number(tie + std::string(900, '0') + "1")) == bits_of(oracle_parse(tie + "1")));
  // 1000 integer digits: infinity; 1000 digits after "0.": as the C library.
  BOOST_TEST(std::isinf(parse_json_number(std::string(1000, '9'))));
  const std::string small = "0." + std::string(300, '0') + std::string(700, '7');
  BOOST_TEST(bits_of(parse_json_number(small)) == bits_of(oracle_parse(small)));
}

BOOST_AUTO_TEST_CASE(random_doubles_format_and_read_back_as_the_c_library_does) {
  std::mt19937_64 rng(20261205);
  for (int i = 0; i < 20000; ++i) {
    double d = random_double(rng);
    auto ours = format_es6_number(d);
    BOOST_TEST_REQUIRE(ours == oracle_format(d), std::hex << bits_of(d));
    BOOST_TEST_REQUIRE(bits_of(parse_json_number(ours)) == bits_of(d), ours);
  }
}

BOOST_AUTO_TEST_CASE(random_decimals_read_as_the_c_library_reads_them) {
  std::mt19937_64 rng(5122026);
  std::uniform_int_distribution<int> length(1, 40);
  std::uniform_int_distribution<int> exponent(-360, 330);
  std::uniform_int_distribution<int> digit(0, 9);
  for (int i = 0; i < 20000; ++i) {
    std::string text = (rng() & 1) != 0 ? "-" : "";
    text += static_cast<char>('1' + digit(rng) % 9);
    std::string rest;
    for (int n = length(rng); n > 1; --n) rest += static_cast<char>('0' + digit(rng));
    if (!rest.empty()) text += "." + rest;
    text += "e" + std::to_string(exponent(rng));
    BOOST_TEST_REQUIRE(bits_of(parse_json_number(text)) == bits_of(oracle_parse(text)), text);
  }
}

BOOST_AUTO_TEST_CASE(halfway_points_round_to_even) {
  // The exact decimal of the point halfway between two neighbouring doubles
  // (an 80-bit long double holds it), and a hair either side of it.
  std::mt19937_64 rng(42);
  for (int i = 0; i < 3000; ++i) {
    double d = std::fabs(random_double(rng));
    double up = std::nextafter(d, std::numeric_limits<double>::infinity());
    if (!std::isfinite(up) || d < std::numeric_limits<double>::min()) continue;
    long double mid = (static_cast<long double>(d) + static_cast<long double>(up)) / 2;
    char buf[1200];
    std::snprintf(buf, sizeof buf, "%.1100Le", mid);  // exact: every digit of the binary fraction
    std::string exact(buf);
    BOOST_TEST_REQUIRE(bits_of(parse_json_number(exact)) == bits_of(oracle_parse(exact)), exact.substr(0, 40));
  }
}

BOOST_AUTO_TEST_SUITE_END()
