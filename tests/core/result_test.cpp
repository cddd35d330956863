// Errors as values: every code has one kind, set where the error is made, and
// the propagation macros return the first error.
#include "core/result.hpp"

#include <boost/test/unit_test.hpp>
#include <set>

#include "core/encoding/base64.hpp"
#include "core/tlog/merkle.hpp"
#include "core/tlog/signed_note.hpp"

using namespace objector;

namespace {

Result<int> half(int n) {
  if (n % 2 != 0) return make_error(errc::bad_number, std::to_string(n) + " is odd");
  return n / 2;
}

Result<int> quarter(int n) {
  OBJECTOR_TRY(auto h, half(n));
  OBJECTOR_TRY(auto q, half(h));
  return q;
}

Status both_even(int a, int b) {
  OBJECTOR_RETURN_IF_ERROR(half(a));
  OBJECTOR_RETURN_IF_ERROR(half(b));
  return Ok{};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(result)

BOOST_AUTO_TEST_CASE(codes_are_listed_once_with_a_kind) {
  std::set<std::string_view> names;
#define OBJECTOR_COLLECT(name, kind, person) BOOST_TEST(names.insert(#name).second, #name " listed twice");
  OBJECTOR_ERROR_CODES(OBJECTOR_COLLECT)
#undef OBJECTOR_COLLECT
  BOOST_TEST(names.size() > 60u);
  BOOST_TEST((errc::bad_signature.kind == ErrorKind::unverified));
  BOOST_TEST((errc::root_mismatch.kind == ErrorKind::unverified));
  BOOST_TEST((errc::bad_json.kind == ErrorKind::malformed));
  BOOST_TEST((errc::io_error.kind == ErrorKind::unavailable));
  BOOST_TEST((errc::internal_error.kind == ErrorKind::internal));
}

BOOST_AUTO_TEST_CASE(errors_carry_their_kind_from_where_they_are_made) {
  auto bad = base64_decode("!!!!");
  BOOST_TEST(bad.error().code == "bad_base64");
  BOOST_TEST((bad.error().kind == ErrorKind::malformed));
  BOOST_TEST(!bad.error().verification_failed());
  Hash h{};
  auto wrong = verify_inclusion(0, 1, h, {}, empty_root());
  BOOST_TEST(wrong.error().code == "root_mismatch");
  BOOST_TEST(wrong.error().verification_failed());
  auto at = std::move(wrong).error().at("receipt.proof");
  BOOST_TEST(at.message == "receipt.proof: inclusion proof does not lead to the checkpoint root");
  BOOST_TEST(at.is(errc::root_mismatch));
}

BOOST_AUTO_TEST_CASE(try_and_return_if_error_propagate_the_first_error) {
  BOOST_TEST(quarter(12).value() == 3);
  BOOST_TEST(quarter(6).error().message == "3 is odd");
  BOOST_TEST(quarter(5).error().message == "5 is odd");
  BOOST_TEST(both_even(2, 4).ok());
  BOOST_TEST(both_even(2, 3).error().message == "3 is odd");
  BOOST_TEST(both_even(1, 3).error().message == "1 is odd");
}

BOOST_AUTO_TEST_CASE(value_of_a_temporary_is_safe_to_range_over) {
  std::vector<int> seen;
  for (int v : Result<std::vector<int>>(std::vector<int>{1, 2, 3}).value()) seen.push_back(v);
  BOOST_TEST((seen == std::vector<int>{1, 2, 3}));
}

BOOST_AUTO_TEST_SUITE_END()
