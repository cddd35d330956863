// The intake's one response builder: the status of every error from its kind
// and code, and the headers every answer carries.
#include <boost/test/unit_test.hpp>

#include "core/json/jcs.hpp"
#include "native/intake/responses.hpp"

using namespace objector;
using namespace objector::intake;

BOOST_AUTO_TEST_SUITE(intake_responses)

BOOST_AUTO_TEST_CASE(status_from_code_then_kind) {
  auto status = [](const ErrorCode& c) { return http_status(make_error(c, "")); };
  BOOST_TEST(status(errc::token_missing) == 401);
  BOOST_TEST(status(errc::token_expired) == 401);
  BOOST_TEST(status(errc::account_mismatch) == 403);
  BOOST_TEST(status(errc::not_logged) == 404);
  BOOST_TEST(status(errc::method_not_allowed) == 405);
  BOOST_TEST(status(errc::request_timeout) == 408);
  BOOST_TEST(status(errc::device_key_reused) == 409);
  BOOST_TEST(status(errc::body_too_large) == 413);
  BOOST_TEST(status(errc::unsupported_media_type) == 415);
  BOOST_TEST(status(errc::rate_limited) == 429);
  BOOST_TEST(status(errc::headers_too_large) == 431);
  BOOST_TEST(status(errc::shutting_down) == 503);
  BOOST_TEST(status(errc::overloaded) == 503);
  // The rest by kind: input and failed checks are the client's, the rest ours.
  BOOST_TEST(status(errc::bad_json) == 400);
  BOOST_TEST(status(errc::bad_signature) == 400);
  BOOST_TEST(status(errc::storage_error) == 500);
  BOOST_TEST(status(errc::internal_error) == 500);
}

BOOST_AUTO_TEST_CASE(every_answer_has_the_common_headers) {
  auto e = error_response(11, make_error(errc::rate_limited, "slow down"));
  BOOST_TEST(e.result_int() == 429u);
  BOOST_TEST(e.body() == R"({"error":"rate_limited","message":"slow down"})");
  BOOST_TEST(std::string(e[http::field::content_type]) == "application/json; charset=utf-8");
  for (const auto& r : {e, json_response(11, http::status::created, "{}"),
                        respond(11, http::status::ok, "text/plain", "x", Caching::briefly)}) {
    BOOST_TEST(std::string(r["X-Content-Type-Options"]) == "nosniff");
  }
  BOOST_TEST(std::string(respond(11, http::status::ok, "a", "", Caching::forever)[http::field::cache_control]) ==
             "public, max-age=31536000, immutable");
  BOOST_TEST(std::string(respond(11, http::status::ok, "a", "")[http::field::cache_control]) == "no-store");
}

// The bodies are written without a DOM; the same members through nlohmann and
// canonicalize() give the same bytes (newlines in a proof, non-ASCII in a note).
BOOST_AUTO_TEST_CASE(bodies_are_the_canonical_json_of_their_members) {
  Hash leaf{};
  for (std::size_t i = 0; i < leaf.size(); ++i) leaf[i] = static_cast<std::uint8_t>(i * 7);
  const std::string proof = "c2sp.org/tlog-proof@v1\nindex 5\nAAAA\n\nexample.com/log\n6\n\u00e9\u2014 \"x\"\n";
  BOOST_TEST(
      inclusion_body(5, leaf, proof) ==
      canonicalize(json{{"index", 5}, {"leaf_hash", "AAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk="}, {"proof", proof}})
          .value());
  BOOST_TEST(inclusion_body(5, leaf, "p") ==
             R"({"index":5,"leaf_hash":"AAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk=","proof":"p"})");
  const Hash hashes[] = {leaf, Hash{}};
  BOOST_TEST(consistency_body(3, 9, hashes, proof) ==
             canonicalize(json{{"old_size", 3},
                               {"new_size", 9},
                               {"proof",
                                {"AAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk=",
                                 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}},
                               {"checkpoint", proof}})
                 .value());
  BOOST_TEST(consistency_body(0, 0, {}, "c") == R"({"checkpoint":"c","new_size":0,"old_size":0,"proof":[]})");
}

BOOST_AUTO_TEST_SUITE_END()
