#include "core/tlog/policy.hpp"

#include <boost/test/unit_test.hpp>

using namespace objector;

namespace {
std::string vkey(const char* name, KeyType type) {
  return format_verifier_key(verifier_of(generate_signer(name, type).value()));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(policy)

BOOST_AUTO_TEST_CASE(spec_style_policy) {
  std::string text = "# example\nlog " + vkey("log.example", KeyType::ed25519) + " https://log.example/\n\n" +
                     "witness X1 " + vkey("x1.example", KeyType::cosignature) + "\n" + "witness X2 " +
                     vkey("x2.example", KeyType::cosignature) + "\n" + "witness X3 " +
                     vkey("x3.example", KeyType::cosignature) + "\n" + "group X-witnesses 2 X1 X2 X3\n" +
                     "witness Y1 " + vkey("y1.example", KeyType::cosignature) + "\n" + "  group Y-witnesses\tany Y1\n" +
                     "group X-and-Y all X-witnesses Y-witnesses\nquorum X-and-Y\n";
  auto p = parse_policy(text);
  BOOST_TEST_REQUIRE(p.ok(), (p.ok() ? "" : p.error().message));
  BOOST_TEST(p->logs.size() == 1u);
  BOOST_TEST(p->witnesses.size() == 4u);
  using V = std::vector<std::string>;
  BOOST_TEST(!quorum_met(*p, V{"X1", "X2"}));
  BOOST_TEST(!quorum_met(*p, V{"X1", "Y1"}));
  BOOST_TEST(quorum_met(*p, V{"X1", "X3", "Y1"}));
}

BOOST_AUTO_TEST_CASE(errors_name_the_line) {
  auto w = vkey("w.example", KeyType::cosignature);
  const std::pair<std::string, std::string> cases[] = {
      {"", "policy: a quorum line is required (hint: \"quorum none\")"},
      {"quorum X\n", "policy line 1: \"X\" is not defined above"},
      {"witness A " + w + "\nwitness B " + w + "\nquorum A\n", "policy line 2: duplicate witness key"},
      {"witness A " + w + "\ngroup G 2 A\nquorum G\n",
       "policy line 2: threshold must be all, any or 1..number of members"},
      {"witness A " + w + "\ngroup G any A A\nquorum G\n", "policy line 2: \"A\" is listed twice"},
      {"group G any A\nquorum none\n", "policy line 1: \"A\" is not a witness or group defined above"},
      {"quorum none\nquorum none\n", "policy line 2: only one quorum line is allowed"},
      {"log " + w + "\nquorum none\n", "policy line 1: a log key must be an Ed25519 (type 0x01) key"},
      {"frobnicate\nquorum none\n", "policy line 1: unknown keyword \"frobnicate\""},
      {"group none any\n", "policy line 1: expected: group <name> all|any|<k> <name>..."},
      {"quorum none\x01\n", "policy line 1: control characters are not allowed"},
  };
  for (const auto& [text, error] : cases) {
    auto p = parse_policy(text);
    BOOST_TEST_REQUIRE(!p.ok(), text);
    BOOST_TEST(p.error().message == error);
  }
}

BOOST_AUTO_TEST_CASE(quorum_none) {
  auto p = parse_policy("quorum none\n");
  BOOST_TEST_REQUIRE(p.ok());
  BOOST_TEST(quorum_met(*p, {}));
}

BOOST_AUTO_TEST_SUITE_END()
