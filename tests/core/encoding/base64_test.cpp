#include "core/encoding/base64.hpp"

#include <boost/test/unit_test.hpp>

using namespace objector;

BOOST_AUTO_TEST_SUITE(base64)

BOOST_AUTO_TEST_CASE(rfc4648_examples) {
  // RFC 4648 §10 test vectors.
  const std::pair<std::string, std::string> cases[] = {{"", ""},
                                                       {"f", "Zg=="},
                                                       {"fo", "Zm8="},
                                                       {"foo", "Zm9v"},
                                                       {"foob", "Zm9vYg=="},
                                                       {"fooba", "Zm9vYmE="},
                                                       {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : cases) {
    BOOST_TEST(base64_encode(as_bytes(plain)) == encoded);
    auto decoded = base64_decode(encoded);
    BOOST_TEST_REQUIRE(decoded.ok());
    BOOST_TEST(std::string(as_chars(*decoded)) == plain);
  }
}

BOOST_AUTO_TEST_CASE(rejects_non_canonical_input) {
  for (const char* bad :
       {"Zg", "Zg=", "Zh==", "Zm9v\n", " Zm9v", "Zm9v=", "Zm-v", "Zm_v", "Zg==Zg==", "Z===", "===="}) {
    auto r = base64_decode(bad);
    BOOST_TEST(!r.ok(), bad);
    if (!r.ok()) BOOST_TEST(r.error().code == "bad_base64");
  }
}

// Found by fuzz_note: libsodium 1.0.18 alone decodes some non-ASCII bytes.
BOOST_AUTO_TEST_CASE(rejects_bytes_outside_the_alphabet) {
  BOOST_TEST(!base64_decode("Zm9v\xd3\xb0Zm9v").ok());
  BOOST_TEST(!base64_decode(
                  "tF1k103tq8FabohR2ndp3E5URijG+ndjkZtNocMxKQ39Y3wpN\xd3\xb0qNpJkAsVSmRX/k4sKGy5SBwB2O2OxTjM5ddFDFwo=")
                  .ok());
  for (int c = 0x80; c < 0x100; ++c) {
    std::string s = "Zm9v";
    s[1] = static_cast<char>(c);
    BOOST_TEST(!base64_decode(s).ok(), c);
    BOOST_TEST(!base64url_decode(s).ok(), c);
  }
}

BOOST_AUTO_TEST_CASE(error_names_the_input_and_the_fix) {
  auto r = base64_decode("Zh==");
  BOOST_TEST(r.error().message == "invalid base64 \"Zh==\" (hint: standard alphabet, padded, no whitespace)");
}

BOOST_AUTO_TEST_CASE(url_safe_without_padding) {
  Bytes b{0xfb, 0xff, 0xfe};
  BOOST_TEST(base64url_encode(b) == "-__-");
  BOOST_TEST(base64url_decode("-__-").ok());
  BOOST_TEST(!base64url_decode("+//+").ok());
  BOOST_TEST(!base64url_decode("Zg==").ok());
  BOOST_TEST(base64url_encode(as_bytes("f")) == "Zg");
}

BOOST_AUTO_TEST_CASE(fixed_length) {
  BOOST_TEST(base64_decode_fixed<3>("Zm9v").ok());
  auto r = base64_decode_fixed<32>("Zm9v");
  BOOST_TEST(r.error().code == "bad_length");
  BOOST_TEST(r.error().message == "expected base64 of 32 bytes, got 3 bytes");
}

BOOST_AUTO_TEST_SUITE_END()
