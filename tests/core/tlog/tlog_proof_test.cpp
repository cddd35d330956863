#include "core/tlog/tlog_proof.hpp"

#include <boost/test/unit_test.hpp>

#include "tests/support/fixtures.hpp"

using namespace objector;

namespace {
struct Log {
  MemoryTree tree;
  NoteSigner key = test::fixed_log_key();
  Log() {
    for (int i = 0; i < 13; ++i) tree.append(leaf_hash(as_bytes(std::to_string(i))));
  }
  TlogProof proof(std::uint64_t index) const {
    Checkpoint c{key.name, tree.size(), tree.root(), {}};
    return {std::nullopt, index, inclusion_proof(tree.reader(), index, tree.size()).value(), sign_checkpoint(c, key)};
  }
  Policy policy() const { return single_log_policy(verifier_of(key)); }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(tlog_proof)

BOOST_AUTO_TEST_CASE(format_parse_verify) {
  Log log;
  auto p = log.proof(6);
  p.extra = Bytes{'h', 'i'};
  auto text = format_tlog_proof(p);
  BOOST_TEST(text.rfind("c2sp.org/tlog-proof@v1\nextra aGk=\nindex 6\n", 0) == 0);
  auto back = parse_tlog_proof(text);
  BOOST_TEST_REQUIRE(back.ok());
  BOOST_TEST(format_tlog_proof(*back) == text);
  auto v = verify_tlog_proof(*back, leaf_hash(as_bytes("6")), log.policy());
  BOOST_TEST_REQUIRE(v.ok());
  BOOST_TEST(v->checkpoint.size == 13u);
  BOOST_TEST(verify_tlog_proof(*back, leaf_hash(as_bytes("7")), log.policy()).error().message ==
             "inclusion proof does not lead to the checkpoint root");
}

BOOST_AUTO_TEST_CASE(every_single_byte_change_is_rejected) {
  Log log;
  auto text = format_tlog_proof(log.proof(4));
  auto leaf = leaf_hash(as_bytes("4"));
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto changed = text;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    auto p = parse_tlog_proof(changed);
    BOOST_TEST(!(p.ok() && verify_tlog_proof(*p, leaf, log.policy()).ok()), "byte " << i);
  }
}

BOOST_AUTO_TEST_CASE(malformed_proofs) {
  Log log;
  auto good = format_tlog_proof(log.proof(0));
  auto checkpoint = log.proof(0).checkpoint;
  const std::pair<std::string, std::string> cases[] = {
      {"", "tlog-proof line 0: must be \"c2sp.org/tlog-proof@v1\""},
      {"c2sp.org/tlog-proof@v2\n", "tlog-proof line 1: must be \"c2sp.org/tlog-proof@v1\""},
      {"c2sp.org/tlog-proof@v1\nindex 01\n\n" + checkpoint,
       "tlog-proof line 2: index: \"01\" is not a decimal number without leading zeros"},
      {"c2sp.org/tlog-proof@v1\nindx 1\n\n" + checkpoint, "tlog-proof line 2: expected \"index <N>\""},
      {"c2sp.org/tlog-proof@v1\nindex 1\nAAAA\n\n" + checkpoint,
       "tlog-proof line 3: proof hash: expected base64 of 32 bytes, got 3 bytes"},
      {"c2sp.org/tlog-proof@v1\nindex 1\n", "tlog-proof line 2: missing blank line before the checkpoint"},
      {"c2sp.org/tlog-proof@v1\nindex 1\n\n", "tlog-proof line 3: missing checkpoint"},
      {"c2sp.org/tlog-proof@v1\nextra !!\nindex 1\n\n" + checkpoint,
       "tlog-proof line 2: extra data: invalid base64 \"!!\" (hint: standard alphabet, padded, no whitespace)"},
  };
  for (const auto& [text, error] : cases) {
    auto p = parse_tlog_proof(text);
    BOOST_TEST_REQUIRE(!p.ok(), text);
    BOOST_TEST(p.error().message == error);
  }
}

BOOST_AUTO_TEST_SUITE_END()
