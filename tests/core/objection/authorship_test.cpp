#include "core/objection/authorship.hpp"

#include <boost/test/unit_test.hpp>

#include "core/encoding/base64.hpp"
#include "core/tlog/tlog_proof.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/support/json_value.hpp"

using namespace objector;

BOOST_AUTO_TEST_SUITE(authorship)

BOOST_AUTO_TEST_CASE(round_trip_with_exact_bytes) {
  auto r = test::fixed_receipt();
  auto proof = prove_authorship(r, "case 2026-114").value();
  auto text = serialize(proof);
  // Ed25519 is deterministic: the same seed and message give the same bytes.
  BOOST_TEST(text == serialize(prove_authorship(r, "case 2026-114").value()));
  BOOST_TEST(text.rfind("{\"challenge\":\"case 2026-114\",\"leaf_hash\":\"" + base64_encode(entry_leaf_hash(r.entry)) +
                            "\",\"sig\":\"",
                        0) == 0);
  BOOST_TEST(text.ends_with("\",\"type\":\"objection-authorship/v1\"}"));
  // The signature is over the documented message, by the device key.
  auto message = "objection-authorship/v1\n" + base64_encode(entry_leaf_hash(r.entry)) + "\ncase 2026-114";
  BOOST_TEST(verify_signature(r.entry.statement.device_key, as_bytes(message), proof.sig));
  auto back = parse_authorship(text).value();
  BOOST_TEST(verify_authorship(back, r.entry, "case 2026-114").ok());
}

BOOST_AUTO_TEST_CASE(rejections) {
  auto r = test::fixed_receipt();
  auto proof = prove_authorship(r, "nonce-1").value();
  BOOST_TEST(verify_authorship(proof, r.entry, "nonce-2").error().message ==
             "authorship.challenge: the proof answers \"nonce-1\", not the challenge given (hint: a proof answers one "
             "challenge only)");
  auto other = test::fixed_receipt(3, 5);
  BOOST_TEST(verify_authorship(proof, other.entry, "nonce-1").error().code == "wrong_entry");
  // Made with another seed (a forgery by someone who only saw the public receipt).
  auto forged = proof;
  auto stranger = SigningKey::from_seed(test::fixed_bytes(77).view()).value();
  forged.sig = stranger.sign(as_bytes("objection-authorship/v1\n" + base64_encode(proof.leaf_hash) + "\nnonce-1"));
  auto e = verify_authorship(forged, r.entry, "nonce-1");
  BOOST_TEST(e.error().code == "bad_signature");
  BOOST_TEST(e.error().verification_failed());
  // The statement's own signature is not an authorship proof.
  forged.sig = r.entry.sig;
  BOOST_TEST(verify_authorship(forged, r.entry, "nonce-1").error().code == "bad_signature");
}

BOOST_AUTO_TEST_CASE(needs_the_right_seed_and_a_plain_challenge) {
  auto r = test::fixed_receipt();
  r.device_seed = test::fixed_bytes(99);
  BOOST_TEST(prove_authorship(r, "x").error().code == "seed_mismatch");
  auto ok = test::fixed_receipt();
  BOOST_TEST(prove_authorship(ok, "").error().message == "challenge: a challenge is 1 to 1024 bytes");
  BOOST_TEST(prove_authorship(ok, std::string(1025, 'a')).error().code == "bad_value");
  BOOST_TEST(prove_authorship(ok, "two\nlines").error().message ==
             "challenge: control characters (line breaks included) are not allowed");
  BOOST_TEST(prove_authorship(ok, "\xff").error().message == "challenge: not UTF-8");
}

BOOST_AUTO_TEST_CASE(parse_errors) {
  BOOST_TEST(parse_authorship("{").error().code == "bad_json");
  auto j = to_json(prove_authorship(test::fixed_receipt(), "c").value());
  j["type"] = "objection-receipt/v1";
  BOOST_TEST(authorship_from_json(test::as_value(j)).error().message ==
             "authorship.type: expected \"objection-authorship/v1\", got \"objection-receipt/v1\"");
  j = to_json(prove_authorship(test::fixed_receipt(), "c").value());
  j["sig"] = "AAAA";
  BOOST_TEST(authorship_from_json(test::as_value(j)).error().code == "bad_length");
  j = to_json(prove_authorship(test::fixed_receipt(), "c").value());
  j["challenge"] = "a\u0007";
  BOOST_TEST(authorship_from_json(test::as_value(j)).error().code == "control_character");
}

BOOST_AUTO_TEST_SUITE_END()
