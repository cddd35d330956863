#include "core/crypto/commitment.hpp"

#include <boost/test/unit_test.hpp>

#include "core/encoding/base64.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/support/json_value.hpp"

using namespace objector;

BOOST_AUTO_TEST_SUITE(commitment)

BOOST_AUTO_TEST_CASE(known_answer) {
  // BLAKE2b-256 keyed with 32 bytes of 0x02 over "objector subject v1\nuser:1234",
  // computed independently with Python's hashlib.blake2b.
  auto subject = commit("user:1234", test::fixed_bytes(2).view());
  BOOST_TEST(to_hex(subject) == "c6ab03cef8dad8036da36f46e8c56be88d85a22caac1d16216f2c2962807549f");
}

BOOST_AUTO_TEST_CASE(opening_checks) {
  auto r = test::fixed_bytes(7);
  auto subject = commit("user:1", r.view());
  BOOST_TEST(check_opening(Opening{"user:1", r.clone()}, subject).ok());
  auto wrong_account = check_opening(Opening{"user:2", r.clone()}, subject);
  BOOST_TEST(wrong_account.error().code == "subject_mismatch");
  BOOST_TEST(wrong_account.error().message == "opening: account and r do not match the statement's subject commitment");
  BOOST_TEST(!check_opening(Opening{"user:1", test::fixed_bytes(8)}, subject).ok());
}

BOOST_AUTO_TEST_CASE(fresh_openings_differ) {
  auto a = make_opening("user:1");
  auto b = make_opening("user:1");
  BOOST_TEST(a.r.size() == 32u);
  BOOST_TEST(commit(a.account, a.r.view()) != commit(b.account, b.r.view()));
}

BOOST_AUTO_TEST_CASE(json_round_trip_and_errors) {
  Opening o{"email:a@example.org", test::fixed_bytes(3)};
  auto j = to_json(o);
  BOOST_TEST(j.dump() ==
             "{\"account\":\"email:a@example.org\",\"r\":\"AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=\"}");
  auto back = opening_from_json(test::as_value(j));
  BOOST_TEST_REQUIRE(back.ok());
  BOOST_TEST(back->account == o.account);
  j["r"] = "AAAA";
  BOOST_TEST(opening_from_json(test::as_value(j)).error().message ==
             "opening.r: expected base64 of 32 bytes, got 3 bytes");
  j = to_json(o);
  j["account"] = std::string(257, 'a');
  BOOST_TEST(opening_from_json(test::as_value(j)).error().message ==
             "opening.account: 257 bytes is over the limit of 256");
}

BOOST_AUTO_TEST_SUITE_END()
