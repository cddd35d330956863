#include "core/objection/entry.hpp"

#include <boost/test/unit_test.hpp>

#include "core/crypto/sha256.hpp"
#include "core/encoding/base64.hpp"
#include "core/tlog/merkle.hpp"
#include "tests/support/fixtures.hpp"

using namespace objector;

BOOST_AUTO_TEST_SUITE(entry)

BOOST_AUTO_TEST_CASE(rfc8032_test_1_key) {
  // RFC 8032 §7.1 TEST 1: secret key -> public key, and the empty-message signature.
  Bytes seed(32);
  auto hex = std::string("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  for (std::size_t i = 0; i < 32; ++i)
    seed[i] = static_cast<std::uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  auto key = SigningKey::from_seed(seed);
  BOOST_TEST_REQUIRE(key.ok());
  BOOST_TEST(to_hex(key->public_key()) == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  BOOST_TEST(
      to_hex(key->sign({})) ==
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe"
      "24655141438e7a100b");
  BOOST_TEST(to_hex(key->seed().view()) == hex);
}

BOOST_AUTO_TEST_CASE(sign_verify_and_tamper) {
  auto o = test::fixed_objection();
  BOOST_TEST(verify_entry(o.entry).ok());
  auto tampered = o.entry;
  tampered.statement.services = {"facebook"};
  auto e = verify_entry(tampered);
  BOOST_TEST(e.error().code == "bad_signature");
  BOOST_TEST(
      e.error().message ==
      "entry.sig: statement signature invalid (the statement was changed after signing, or signed by another key)");
  tampered = o.entry;
  tampered.sig[0] ^= 1;
  BOOST_TEST(!verify_entry(tampered).ok());
}

BOOST_AUTO_TEST_CASE(malformed_device_key) {
  auto o = test::fixed_objection();
  o.entry.statement.device_key = PublicKey{};  // the identity: small order
  auto e = verify_entry(o.entry);
  BOOST_TEST(e.error().code == "bad_key");
  BOOST_TEST(e.error().message == "statement.device_key: not a valid Ed25519 public key");
}

BOOST_AUTO_TEST_CASE(entry_bytes_and_leaf_hash) {
  auto o = test::fixed_objection();
  auto bytes = entry_bytes(o.entry);
  BOOST_TEST(bytes.rfind("{\"sig\":\"", 0) == 0);
  Bytes prefixed{0};
  prefixed.insert(prefixed.end(), bytes.begin(), bytes.end());
  BOOST_TEST(entry_leaf_hash(o.entry) == sha256(prefixed));
  auto parsed = parse_entry_bytes(bytes);
  BOOST_TEST_REQUIRE(parsed.ok());
  BOOST_TEST(entry_bytes(*parsed) == bytes);
}

BOOST_AUTO_TEST_CASE(stored_entries_must_be_canonical) {
  auto bytes = entry_bytes(test::fixed_objection().entry);
  auto spaced = " " + bytes;
  BOOST_TEST(parse_entry_bytes(spaced).error().message == "entry: bytes are not in canonical (RFC 8785) form");
  BOOST_TEST(parse_entry_bytes(bytes.substr(0, bytes.size() - 1)).error().code == "bad_json");
  BOOST_TEST(parse_entry_bytes(std::string(5000, ' ')).error().code == "too_large");
}

// The signature is checked over the statement's bytes inside the stored
// entry: same answers as verify_entry, with no second serialization.
BOOST_AUTO_TEST_CASE(verify_entry_bytes_checks_the_stored_statement) {
  auto entry = test::fixed_objection().entry;
  auto bytes = entry_bytes(entry);
  auto checked = verify_entry_bytes(bytes);
  BOOST_TEST_REQUIRE(checked.ok());
  BOOST_TEST(entry_bytes(*checked) == bytes);
  auto changed = bytes;
  const std::string from = "\"lang\":\"en-GB\"";
  changed.replace(changed.find(from), from.size(), "\"lang\":\"en-US\"");
  BOOST_TEST(verify_entry_bytes(changed).error().message ==
             "entry.sig: statement signature invalid (the statement was changed after signing, or signed by another "
             "key)");
  BOOST_TEST(verify_entry_bytes(" " + bytes).error().code == "not_canonical");
  auto other_sig = entry;
  other_sig.sig[0] ^= 1;
  BOOST_TEST(verify_entry_bytes(entry_bytes(other_sig)).error().code == "bad_signature");
}

// The bytes a checked submission is logged with: serialized once, and the
// same answers as verify_entry.
BOOST_AUTO_TEST_CASE(verified_entry_bytes_are_the_entry_bytes_of_a_signed_entry) {
  auto entry = test::fixed_objection().entry;
  BOOST_TEST(verified_entry_bytes(entry).value() == entry_bytes(entry));
  auto tampered = entry;
  tampered.statement.services = {"facebook"};
  BOOST_TEST(verified_entry_bytes(tampered).error().message ==
             "entry.sig: statement signature invalid (the statement was changed after signing, or signed by another "
             "key)");
  auto other_sig = entry;
  other_sig.sig[0] ^= 1;
  BOOST_TEST(verified_entry_bytes(other_sig).error().code == "bad_signature");
  auto bad_key = entry;
  bad_key.statement.device_key.fill(0);
  BOOST_TEST(verified_entry_bytes(bad_key).error().code == verify_entry(bad_key).error().code);
}

BOOST_AUTO_TEST_SUITE_END()
