#include "core/tlog/signed_note.hpp"

#include <boost/test/unit_test.hpp>

using namespace objector;

namespace {
const std::string kText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
const std::string kSigLine =
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const std::string kNote = kText + "\n" + kSigLine;

std::vector<VerifierKey> peter() {
  return {parse_verifier_key("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").value()};
}

Result<std::vector<VerifiedSignature>> open(const std::string& message) {
  auto note = parse_note(message);
  if (!note) return std::move(note).error();
  return verify_note(*note, peter());
}
}  // namespace

BOOST_AUTO_TEST_SUITE(signed_note)

BOOST_AUTO_TEST_CASE(go_example_note_verifies_and_signs_identically) {
  auto v = open(kNote);
  BOOST_TEST_REQUIRE(v.ok());
  BOOST_TEST(v->size() == 1u);
  auto signer =
      parse_signer_key("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz").value();
  Note note{kText, {sign_note_text(kText, signer)}};
  BOOST_TEST(format_note(note) == kNote);
}

BOOST_AUTO_TEST_CASE(every_single_byte_change_is_rejected) {
  for (std::size_t i = 0; i < kNote.size(); ++i) {
    for (char c : {static_cast<char>(kNote[i] ^ 0x01), 'x', '\n', ' '}) {
      if (c == kNote[i]) continue;
      auto changed = kNote;
      changed[i] = c;
      BOOST_TEST(!open(changed).ok(), "byte " << i);
    }
  }
}

BOOST_AUTO_TEST_CASE(unknown_keys_are_ignored_known_bad_rejects) {
  auto other = generate_signer("other.example").value();
  auto with_unknown = kNote + format_note({kText, {sign_note_text(kText, other)}}).substr(kText.size() + 1);
  BOOST_TEST(open(with_unknown).ok());
  auto only_unknown = format_note({kText, {sign_note_text(kText, other)}});
  BOOST_TEST(open(only_unknown).error().message ==
             "signed note: not signed by any known key (hint: check the verifier key)");
  // Known name and ID, wrong signature bytes.
  auto forged = kText + "\n\xE2\x80\x94 PeterNeumann x08go/" + std::string(85, 'A') + "=\n";
  auto f = open(forged);
  BOOST_TEST_REQUIRE(!f.ok());
  BOOST_TEST(f.error().message == "signed note: signature by PeterNeumann is invalid");
  BOOST_TEST(open(kNote + kSigLine).error().message ==
             "signed note: two signatures by key PeterNeumann (hint: each key signs once)");
}

BOOST_AUTO_TEST_CASE(malformed_notes_have_precise_errors) {
  const std::pair<std::string, std::string> cases[] = {
      {kText + kSigLine, "signed note: no blank line between the text and the signatures"},
      {kNote.substr(0, kNote.size() - 1), "signed note: must end with a newline"},
      {kText + "\n", "signed note: no signature lines"},
      {kText + "\n- PeterNeumann abc=\n", "signed note: signature line 1: must start with an em dash and a space"},
      {kText + "\n\xE2\x80\x94 PeterNeumann\n",
       "signed note: signature line 1: needs a key name, a space and a signature"},
      {kText + "\n\xE2\x80\x94 Peter+Neumann AAAAAAAA\n", "signed note: signature line 1: invalid key name"},
      {kText + "\n\xE2\x80\x94 PeterNeumann AAAA\n",
       "signed note: signature line 1: signature is not base64 of a key ID and a signature"},
      {"a\tb\n\n" + kSigLine, "signed note: contains a control character other than newline"},
      {"a\xFF\n\n" + kSigLine, "signed note: not valid UTF-8"},
  };
  for (const auto& [message, error] : cases) {
    auto n = parse_note(message);
    BOOST_TEST_REQUIRE(!n.ok());
    BOOST_TEST(n.error().message == error);
  }
}

BOOST_AUTO_TEST_CASE(signature_count_limits) {
  auto other = generate_signer("other.example").value();
  auto line = format_note({kText, {sign_note_text(kText, other)}}).substr(kText.size() + 1);
  std::string sixteen = kNote;
  for (int i = 0; i < 15; ++i) sixteen += line;
  BOOST_TEST(open(sixteen).ok());  // at least 16 must be accepted
  std::string hundred = kNote;
  for (int i = 0; i < 99; ++i) hundred += line;
  BOOST_TEST(open(hundred).ok());
  BOOST_TEST(open(hundred + line).error().message == "signed note: more than 100 signatures");
}

BOOST_AUTO_TEST_CASE(text_splits_at_the_last_blank_line) {
  auto signer = generate_signer("a.example").value();
  std::string text = "first\n\nsecond\n";
  auto note = format_note({text, {sign_note_text(text, signer)}});
  auto parsed = parse_note(note);
  BOOST_TEST_REQUIRE(parsed.ok());
  BOOST_TEST(parsed->text == text);
  std::vector<VerifierKey> keys{verifier_of(signer)};
  BOOST_TEST(verify_note(*parsed, keys).ok());
}

BOOST_AUTO_TEST_SUITE_END()
