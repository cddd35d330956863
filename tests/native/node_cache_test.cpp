// The sequencer's cache of recent tree nodes: answers what it holds, reads
// the rest through in one call and keeps it, forgets the oldest past its
// capacity, and passes the store's errors on.
#include "native/intake/log/node_cache.hpp"

#include <boost/test/unit_test.hpp>

#include "core/crypto/sha256.hpp"
#include "native/intake/log/log_reader.hpp"

using namespace objector;
using namespace objector::intake;

namespace {

Hash leaf(int i) { return sha256(as_bytes(std::to_string(i))); }

// The tree's reader, recording what each call asked for.
struct CountingStore {
  MemoryTree tree;
  std::vector<std::vector<NodeId>> calls;
  CountingStore() {
    for (int i = 0; i < 64; ++i) tree.append(leaf(i));
  }
  HashReader reader() {
    return [this](std::span<const NodeId> ids) {
      calls.emplace_back(ids.begin(), ids.end());
      return tree.reader()(ids);
    };
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(node_cache)

BOOST_AUTO_TEST_CASE(answers_what_it_holds_and_reads_the_rest_once) {
  CountingStore store;
  NodeCache cache(8);
  const NodeId a{0, 5}, b{3, 2}, c{1, 7};
  cache.add(a, store.tree.reader()(std::vector<NodeId>{a}).value()[0]);
  auto nodes = cache.over(store.reader());
  std::vector<NodeId> ids{a, b, c};
  auto got = nodes(ids);
  BOOST_TEST_REQUIRE(got.ok());
  BOOST_TEST((*got == store.tree.reader()(ids).value()));
  BOOST_TEST_REQUIRE(store.calls.size() == 1u);
  BOOST_TEST((store.calls[0] == std::vector<NodeId>{b, c}));  // the misses, in one call
  // Read through, kept: no call the second time.
  BOOST_TEST((nodes(ids).value() == *got));
  BOOST_TEST(store.calls.size() == 1u);
  BOOST_TEST(cache.size() == 3u);
}

BOOST_AUTO_TEST_CASE(forgets_the_oldest_past_its_capacity) {
  CountingStore store;
  NodeCache cache(4);
  auto nodes = cache.over(store.reader());
  for (std::uint64_t i = 0; i < 6; ++i) BOOST_TEST_REQUIRE(nodes(std::vector<NodeId>{{0, i}}).ok());
  BOOST_TEST(cache.size() == 4u);
  store.calls.clear();
  BOOST_TEST_REQUIRE(nodes(std::vector<NodeId>{{0, 5}, {0, 2}}).ok());
  BOOST_TEST(store.calls.empty());
  BOOST_TEST_REQUIRE(nodes(std::vector<NodeId>{{0, 0}}).ok());  // the first, gone
  BOOST_TEST(store.calls.size() == 1u);
  // Added twice, kept once.
  cache.add({0, 5}, leaf(5));
  BOOST_TEST(cache.size() == 4u);
}

BOOST_AUTO_TEST_CASE(passes_the_stores_error_on_and_keeps_nothing_of_it) {
  NodeCache cache(8);
  HashReader failing = [](std::span<const NodeId> ids) -> Result<std::vector<Hash>> { return missing_node(ids[0]); };
  auto nodes = cache.over(failing);
  auto got = nodes(std::vector<NodeId>{{2, 9}});
  BOOST_TEST_REQUIRE(!got.ok());
  BOOST_TEST(got.error().message == missing_node({2, 9}).message);
  BOOST_TEST(cache.size() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
