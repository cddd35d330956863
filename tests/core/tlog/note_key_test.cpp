#include "core/tlog/note_key.hpp"

#include <boost/test/unit_test.hpp>

using namespace objector;

namespace {
// golang.org/x/mod/sumdb/note's documented example keys.
constexpr const char* kPeterVkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr const char* kPeterSkey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
}  // namespace

BOOST_AUTO_TEST_SUITE(note_key)

BOOST_AUTO_TEST_CASE(go_example_keys) {
  auto v = parse_verifier_key(kPeterVkey);
  BOOST_TEST_REQUIRE(v.ok());
  BOOST_TEST(v->name == "PeterNeumann");
  BOOST_TEST(v->id == 0xc74f20a3u);
  BOOST_TEST(format_verifier_key(*v) == kPeterVkey);
  auto s = parse_signer_key(kPeterSkey);
  BOOST_TEST_REQUIRE(s.ok());
  BOOST_TEST(s->key.public_key() == v->key);
  auto text = format_signer_key(*s);
  BOOST_TEST(text == kPeterSkey);
  wipe(text);
  BOOST_TEST(format_verifier_key(verifier_of(*s)) == kPeterVkey);
}

BOOST_AUTO_TEST_CASE(every_single_byte_change_is_rejected) {
  for (std::string key : {std::string(kPeterVkey), std::string(kPeterSkey)}) {
    bool is_private = key.rfind("PRIVATE", 0) == 0;
    for (std::size_t i = 0; i < key.size(); ++i) {
      for (char c : {static_cast<char>(key[i] ^ 0x01), 'x', '+', 'A', '\n'}) {
        if (c == key[i]) continue;
        auto changed = key;
        changed[i] = c;
        bool accepted = is_private ? parse_signer_key(changed).ok() : parse_verifier_key(changed).ok();
        BOOST_TEST(!accepted, changed);
      }
    }
    // Truncations and additions too.
    for (std::size_t n = 0; n < key.size(); ++n) {
      BOOST_TEST(!(is_private ? parse_signer_key(key.substr(0, n)).ok() : parse_verifier_key(key.substr(0, n)).ok()));
    }
    BOOST_TEST(!(is_private ? parse_signer_key(key + "A").ok() : parse_verifier_key(key + "A").ok()));
  }
}

BOOST_AUTO_TEST_CASE(precise_errors) {
  BOOST_TEST(parse_verifier_key("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").error().message ==
             "key ID c74f20a4 does not match the key's hash");
  BOOST_TEST(parse_verifier_key("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").error().message ==
             "key ID must be 8 lower-case hex digits (hint: a key looks like name+1a2b3c4d+base64)");
  BOOST_TEST(parse_verifier_key("PeterNeumann").error().message ==
             "key has fewer than three '+'-separated parts (hint: a key looks like name+1a2b3c4d+base64)");
  // Type 0x02 (ECDSA) is not supported.
  BOOST_TEST(parse_verifier_key("x+00000000+Ahpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").error().code ==
             "unknown_algorithm");
  BOOST_TEST(parse_verifier_key("x+00000000+AXpc").error().message ==
             "an Ed25519 public key is 32 bytes (hint: a key looks like name+1a2b3c4d+base64)");
  BOOST_TEST(parse_signer_key(kPeterVkey).error().message ==
             "a private key starts with PRIVATE+KEY+ (hint: a key looks like name+1a2b3c4d+base64)");
}

BOOST_AUTO_TEST_CASE(key_names) {
  BOOST_TEST(is_valid_key_name("example.com/log"));
  BOOST_TEST(!is_valid_key_name(""));
  BOOST_TEST(!is_valid_key_name("a b"));
  BOOST_TEST(!is_valid_key_name("a+b"));
  BOOST_TEST(
      !is_valid_key_name("a\xC2\xA0"
                         "b"));  // no-break space
  BOOST_TEST(
      !is_valid_key_name("a\xE3\x80\x80"
                         "b"));  // ideographic space
  BOOST_TEST(!is_valid_key_name("a\xFF"));
  BOOST_TEST(!generate_signer("bad name").ok());
}

BOOST_AUTO_TEST_CASE(generated_keys_round_trip) {
  for (auto type : {KeyType::ed25519, KeyType::cosignature}) {
    auto s = generate_signer("witness.example/w1", type).value();
    auto text = format_signer_key(s);
    auto back = parse_signer_key(text);
    wipe(text);
    BOOST_TEST_REQUIRE(back.ok());
    BOOST_TEST((back->type == type));
    auto v = parse_verifier_key(format_verifier_key(verifier_of(s)));
    BOOST_TEST_REQUIRE(v.ok());
    BOOST_TEST(v->id == key_id("witness.example/w1", type, s.key.public_key()));
  }
}

BOOST_AUTO_TEST_SUITE_END()
