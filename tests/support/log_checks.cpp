#include "tests/support/log_checks.hpp"

#include <boost/test/unit_test.hpp>
#include <set>

#include "core/tlog/signed_checkpoint.hpp"

namespace objector::test {

std::vector<std::uint64_t> check_log_whole(intake::Store& store, const Policy& policy,
                                           const std::map<Hash, std::uint64_t>& acknowledged) {
  for (const auto& [leaf, index] : acknowledged) {
    auto found = store.find_leaf(leaf).value();
    BOOST_TEST_REQUIRE(found.has_value());
    BOOST_TEST_REQUIRE(*found == index);
  }
  auto checkpoints = store.checkpoints().value();
  std::vector<Checkpoint> opened;
  std::vector<std::uint64_t> sizes;
  for (const auto& c : checkpoints) {
    auto v = open_checkpoint(c.note, policy);
    BOOST_TEST_REQUIRE(v.ok(), (v.ok() ? "" : v.error().message));
    BOOST_TEST_REQUIRE(v->checkpoint.size == c.size);
    BOOST_TEST_REQUIRE(tree_root(store.reader(), c.size).value() == v->checkpoint.root);
    opened.push_back(v->checkpoint);
    sizes.push_back(c.size);
  }
  for (std::size_t i = 1; i < opened.size(); ++i) {
    const auto& a = opened[i - 1];
    const auto& b = opened[i];
    if (a.size == 0) continue;
    auto proof = consistency_proof(store.reader(), a.size, b.size).value();
    BOOST_TEST_REQUIRE(verify_consistency(a.size, b.size, proof, a.root, b.root).ok());
  }
  if (!opened.empty()) {
    auto size = opened.back().size;
    auto entries = store.entries(0, size).value();
    BOOST_TEST_REQUIRE(entries.size() == size);
    std::set<Hash> leaves;
    for (const auto& e : entries) leaves.insert(e.leaf);
    BOOST_TEST_REQUIRE(leaves.size() == size);  // no entry twice
  }
  return sizes;
}

}  // namespace objector::test
