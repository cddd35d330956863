#include <boost/test/unit_test.hpp>

#include "core/encoding/base64.hpp"
#include "core/tlog/merkle.hpp"
#include "core/tlog/signed_checkpoint.hpp"
#include "tests/support/fixtures.hpp"

using namespace objector;

BOOST_AUTO_TEST_SUITE(checkpoint)

BOOST_AUTO_TEST_CASE(spec_example_text_parses) {
  // c2sp.org/tlog-checkpoint's example body.
  std::string text = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
  auto c = parse_checkpoint_text(text);
  BOOST_TEST_REQUIRE(c.ok());
  BOOST_TEST(c->origin == "example.com/behind-the-sofa");
  BOOST_TEST(c->size == 20852163u);
  BOOST_TEST(checkpoint_text(*c) == text);
}

BOOST_AUTO_TEST_CASE(strict_parsing) {
  auto root = base64_encode(empty_root());
  const std::pair<std::string, std::string> cases[] = {
      {"o\n012\n" + root + "\n", "checkpoint tree size: \"012\" is not a decimal number without leading zeros"},
      {"o\n-1\n" + root + "\n", "checkpoint tree size: \"-1\" is not a decimal number without leading zeros"},
      {"o\n18446744073709551616\n" + root + "\n",
       "checkpoint tree size: \"18446744073709551616\" is not a decimal number without leading zeros"},
      {"o\n1\nAAAA\n", "checkpoint: root hash: expected base64 of 32 bytes, got 3 bytes"},
      {"o\n1\n" + root, "checkpoint: text must end with a newline"},
      {"o\n1\n", "checkpoint: needs an origin, a tree size and a root hash line"},
      {"o\n1\n" + root + "\n\n", "checkpoint: extension line 1 is empty"},
      {"a b\n1\n" + root + "\n",
       "checkpoint origin: not a log origin (hint: printable ASCII without spaces or '+', at most 128 bytes, e.g. "
       "\"social.example/ai-training\")"},
  };
  for (const auto& [text, error] : cases) {
    auto c = parse_checkpoint_text(text);
    BOOST_TEST_REQUIRE(!c.ok(), text);
    BOOST_TEST(c.error().message == error);
  }
  auto ext = parse_checkpoint_text("o\n0\n" + root + "\nextension one\n");
  BOOST_TEST_REQUIRE(ext.ok());
  BOOST_TEST(ext->extensions.size() == 1u);
}

BOOST_AUTO_TEST_CASE(signed_checkpoint_and_witness_quorum) {
  auto log = test::fixed_log_key();
  Checkpoint c{log.name, 3, empty_root(), {}};
  auto note = sign_checkpoint(c, log);
  auto log_only = single_log_policy(verifier_of(log));
  auto opened = open_checkpoint(note, log_only);
  BOOST_TEST_REQUIRE(opened.ok());
  BOOST_TEST(opened->checkpoint.size == 3u);

  auto w1 = generate_signer("witness.example/w1", KeyType::cosignature).value();
  auto w2 = generate_signer("witness.example/w2", KeyType::cosignature).value();
  Policy p = log_only;
  p.witnesses = {{"W1", verifier_of(w1)}, {"W2", verifier_of(w2)}};
  p.groups = {{"both", 2, {"W1", "W2"}}};
  p.quorum = "both";
  BOOST_TEST(open_checkpoint(note, p).error().message ==
             "checkpoint: witness cosignatures do not meet the policy's quorum \"both\"");
  auto cosigned = cosign_checkpoint(note, w1, 1764131712).value();
  BOOST_TEST(!open_checkpoint(cosigned, p).ok());
  cosigned = cosign_checkpoint(cosigned, w2, 1764131713).value();
  auto ok = open_checkpoint(cosigned, p);
  BOOST_TEST_REQUIRE(ok.ok());
  BOOST_TEST(ok->cosignatures.size() == 2u);
  BOOST_TEST(ok->cosignatures[0].timestamp == 1764131712u);

  // The cosigned message is exactly "cosignature/v1\ntime <t>\n" + the checkpoint text.
  auto parsed = parse_note(cosigned).value();
  const auto& sig = parsed.signatures[1].signature;
  BOOST_TEST_REQUIRE(sig.size() == 72u);
  Signature raw{};
  std::copy(sig.begin() + 8, sig.end(), raw.begin());
  auto message = "cosignature/v1\ntime 1764131712\n" + checkpoint_text(c);
  BOOST_TEST(verify_signature(w1.key.public_key(), as_bytes(message), raw));
}

BOOST_AUTO_TEST_CASE(witness_alone_is_not_enough) {
  auto log = test::fixed_log_key();
  auto w1 = generate_signer("witness.example/w1", KeyType::cosignature).value();
  Checkpoint c{log.name, 1, empty_root(), {}};
  auto only_witness = format_note({checkpoint_text(c), {sign_note_text(checkpoint_text(c), w1, 5)}});
  Policy p = single_log_policy(verifier_of(log));
  p.witnesses = {{"W1", verifier_of(w1)}};
  BOOST_TEST(open_checkpoint(only_witness, p).error().message ==
             "checkpoint signed by unknown key (no valid log signature)");
}

BOOST_AUTO_TEST_SUITE_END()
