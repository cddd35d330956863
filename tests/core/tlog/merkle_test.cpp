#include "core/tlog/merkle.hpp"

#include <boost/test/unit_test.hpp>
#include <random>

#include "core/encoding/base64.hpp"
#include "tests/support/files.hpp"

using namespace objector;

namespace {

// Vector hashes may have any length (the corpus tests wrong lengths too).
Bytes b64(const json& v) { return base64_decode(v.get<std::string>()).value(); }

// A proof whose hashes are not all 32 bytes can never verify.
bool proof_hashes(const json& v, std::vector<Hash>& out) {
  if (v.is_null()) return true;
  for (const auto& h : v) {
    auto b = b64(h);
    if (b.size() != 32) return false;
    Hash x{};
    std::copy(b.begin(), b.end(), x.begin());
    out.push_back(x);
  }
  return true;
}

Hash leaf(std::uint64_t i) {
  std::string s = "leaf " + std::to_string(i);
  return leaf_hash(as_bytes(s));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(merkle)

BOOST_AUTO_TEST_CASE(transparency_dev_inclusion_corpus) {
  auto files = test::files_under(test::test_vectors() / "transparency-dev-merkle/testdata/inclusion", ".json");
  BOOST_TEST_REQUIRE(files.size() > 50u);
  int happy = 0;
  for (const auto& f : files) {
    auto v = test::read_json(f);
    std::vector<Hash> proof;
    bool ok = proof_hashes(v["proof"], proof) &&
              verify_inclusion(v["leafIdx"].get<std::uint64_t>(), v["treeSize"].get<std::uint64_t>(),
                               b64(v["leafHash"]), proof, b64(v["root"]))
                  .ok();
    BOOST_TEST(ok == !v["wantErr"].get<bool>(), f.string());
    happy += ok ? 1 : 0;
  }
  BOOST_TEST(happy >= 6);
}

BOOST_AUTO_TEST_CASE(transparency_dev_consistency_corpus) {
  auto files = test::files_under(test::test_vectors() / "transparency-dev-merkle/testdata/consistency", ".json");
  BOOST_TEST_REQUIRE(files.size() > 50u);
  for (const auto& f : files) {
    auto v = test::read_json(f);
    std::vector<Hash> proof;
    bool ok = proof_hashes(v["proof"], proof) &&
              verify_consistency(v["size1"].get<std::uint64_t>(), v["size2"].get<std::uint64_t>(), proof,
                                 b64(v["root1"]), b64(v["root2"]))
                  .ok();
    BOOST_TEST(ok == !v["wantErr"].get<bool>(), f.string());
  }
}

BOOST_AUTO_TEST_CASE(reference_tree_root) {
  // The eight leaves behind the corpus (tests/vectors/README.md).
  const char* hex[] = {
      "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};
  MemoryTree tree;
  CompactTree compact;
  for (const char* h : hex) {
    Bytes b;
    for (std::size_t i = 0; h[i] != 0; i += 2)
      b.push_back(static_cast<std::uint8_t>(std::stoi(std::string(h + i, 2), nullptr, 16)));
    tree.append(leaf_hash(b));
    compact.append(leaf_hash(b));
  }
  BOOST_TEST(to_hex(tree.root()) == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
  BOOST_TEST(compact.root() == tree.root());
  BOOST_TEST(to_hex(empty_root()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

BOOST_AUTO_TEST_CASE(every_generated_proof_verifies) {
  MemoryTree tree;
  CompactTree compact;
  std::vector<Hash> roots{empty_root()};
  for (std::uint64_t i = 0; i < 300; ++i) {
    tree.append(leaf(i));
    compact.append(leaf(i));
    roots.push_back(tree.root());
    BOOST_TEST_REQUIRE(compact.root() == roots.back());
  }
  auto nodes = tree.reader();
  for (std::uint64_t size = 1; size <= 300; size += 7) {
    for (std::uint64_t i = 0; i < size; i += 3) {
      auto p = inclusion_proof(nodes, i, size);
      BOOST_TEST_REQUIRE(p.ok());
      BOOST_TEST_REQUIRE(verify_inclusion(i, size, leaf(i), *p, roots[size]).ok());
      BOOST_TEST_REQUIRE(!verify_inclusion(i, size, leaf(i + 1), *p, roots[size]).ok());
    }
    for (std::uint64_t old = 1; old <= size; old += 5) {
      auto p = consistency_proof(nodes, old, size);
      BOOST_TEST_REQUIRE(p.ok());
      BOOST_TEST_REQUIRE(verify_consistency(old, size, *p, roots[old], roots[size]).ok());
      if (old < size) BOOST_TEST_REQUIRE(!verify_consistency(old, size, *p, roots[old - 1], roots[size]).ok());
    }
  }
}

BOOST_AUTO_TEST_CASE(random_large_trees) {
  std::mt19937_64 rng(42);
  MemoryTree tree;
  const std::uint64_t n = 3000;
  for (std::uint64_t i = 0; i < n; ++i) tree.append(leaf(i));
  auto nodes = tree.reader();
  for (int k = 0; k < 400; ++k) {
    std::uint64_t size = 1 + rng() % n;
    std::uint64_t old = 1 + rng() % size;
    std::uint64_t i = rng() % size;
    auto root = tree_root(nodes, size).value();
    BOOST_TEST_REQUIRE(verify_inclusion(i, size, leaf(i), inclusion_proof(nodes, i, size).value(), root).ok());
    BOOST_TEST_REQUIRE(
        verify_consistency(old, size, consistency_proof(nodes, old, size).value(), tree_root(nodes, old).value(), root)
            .ok());
  }
}

BOOST_AUTO_TEST_CASE(edge_case_errors) {
  auto root = leaf(0);
  BOOST_TEST(verify_inclusion(1, 1, leaf(0), {}, root).error().message == "leaf index 1 is not in a tree of size 1");
  BOOST_TEST(verify_inclusion(0, 1, Bytes(31), {}, root).error().message == "leaf hash and root must be 32 bytes");
  std::vector<Hash> extra{leaf(1)};
  BOOST_TEST(verify_inclusion(0, 1, leaf(0), extra, root).error().message ==
             "inclusion proof has more hashes than the tree has levels");
  BOOST_TEST(verify_inclusion(0, 2, leaf(0), {}, root).error().message ==
             "inclusion proof has too few hashes for the tree size");
  BOOST_TEST(verify_consistency(2, 1, {}, root, root).error().message == "old size 2 is larger than new size 1");
  BOOST_TEST(verify_consistency(1, 1, extra, root, root).error().message ==
             "equal tree sizes need an empty consistency proof");
  BOOST_TEST(verify_consistency(0, 3, {}, empty_root(), root).error().message ==
             "a consistency proof from the empty tree proves nothing");
  BOOST_TEST(verify_consistency(1, 2, {}, root, root).error().message == "consistency proof is empty");
}

BOOST_AUTO_TEST_CASE(compact_tree_resumes_and_reports_nodes) {
  CompactTree a;
  std::vector<CompactTree::Node> nodes;
  for (std::uint64_t i = 0; i < 4; ++i) a.append(leaf(i), [&](const CompactTree::Node& n) { nodes.push_back(n); });
  BOOST_TEST(nodes.size() == 7u);  // 4 leaves, 2 pairs, 1 root
  BOOST_TEST(nodes.back().level == 2);
  auto b = CompactTree::from_nodes(a.size(), a.peaks());
  BOOST_TEST_REQUIRE(b.ok());
  a.append(leaf(4));
  b->append(leaf(4));
  BOOST_TEST(a.root() == b->root());
  BOOST_TEST(CompactTree::from_nodes(5, {}).error().message == "a tree of size 5 has 2 perfect subtrees, got 0");
}

BOOST_AUTO_TEST_CASE(tree_peaks_are_the_set_bits_largest_first) {
  BOOST_TEST(tree_peaks(0).empty());
  BOOST_TEST((tree_peaks(1) == std::vector<NodeId>{{0, 0}}));
  BOOST_TEST((tree_peaks(6) == std::vector<NodeId>{{2, 0}, {1, 2}}));
  BOOST_TEST((tree_peaks(13) == std::vector<NodeId>{{3, 0}, {2, 2}, {0, 12}}));
  auto top = tree_peaks(UINT64_MAX);
  BOOST_TEST(top.size() == 64u);
  BOOST_TEST((top.front() == NodeId{63, 0}));
  BOOST_TEST((top.back() == NodeId{0, UINT64_MAX - 1}));
}

BOOST_AUTO_TEST_CASE(compact_tree_loads_its_peaks_from_storage) {
  MemoryTree full;
  CompactTree grown;
  for (std::uint64_t i = 0; i < 13; ++i) {
    full.append(leaf(i));
    grown.append(leaf(i));
  }
  auto loaded = CompactTree::load(full.reader(), 13);
  BOOST_TEST_REQUIRE(loaded.ok());
  BOOST_TEST(loaded->root() == full.root());
  BOOST_TEST(loaded->peaks() == grown.peaks());
  auto missing = CompactTree::load(full.reader(), 16);
  BOOST_TEST(missing.error().code == "missing_node");
  BOOST_TEST(missing.error().message == "no node at level 4 index 0");
}

// A proof (and a root, and a resumed tree) is one call to the reader, so a
// store across the network pays one round trip for it (x/mod's ReadHashes).
BOOST_AUTO_TEST_CASE(each_proof_reads_its_hashes_in_one_call) {
  MemoryTree tree;
  for (std::uint64_t i = 0; i < 1000; ++i) tree.append(leaf(i));
  int calls = 0;
  std::size_t asked = 0;
  HashReader counting = [&](std::span<const NodeId> ids) {
    ++calls;
    asked += ids.size();
    return tree.reader()(ids);
  };
  auto expect_one_call = [&](auto&& make, std::size_t nodes) {
    calls = 0;
    asked = 0;
    BOOST_TEST(make().ok());
    BOOST_TEST(calls == 1);
    BOOST_TEST(asked == nodes);
  };
  // 1000 = 512 + 256 + 128 + 64 + 32 + 8: six complete subtrees.
  expect_one_call([&] { return tree_root(counting, 1000); }, 6u);
  expect_one_call([&] { return CompactTree::load(counting, 1000); }, 6u);
  // Leaf 999's path: its sibling 998, then [992, 996), [1000 - 8 ... ) folded: the plan says which.
  auto plan = plan_inclusion(999, 1000).value();
  expect_one_call([&] { return inclusion_proof(counting, 999, 1000); }, plan.nodes.size());
  BOOST_TEST(plan.ends.size() == inclusion_proof(tree.reader(), 999, 1000).value().size());
  expect_one_call([&] { return consistency_proof(counting, 700, 1000); },
                  plan_consistency(700, 1000).value().nodes.size());
  // Nothing to read, no call.
  calls = 0;
  BOOST_TEST(consistency_proof(counting, 1000, 1000).value().empty());
  BOOST_TEST(inclusion_proof(counting, 0, 1).value().empty());
  BOOST_TEST(calls == 0);
}

BOOST_AUTO_TEST_CASE(plans_fold_ranges_into_their_complete_subtrees) {
  // The root of 13 leaves folds [0,8), [8,12), [12,13) from the right.
  auto root = plan_root(13);
  BOOST_TEST((root.nodes == std::vector<NodeId>{{3, 0}, {2, 2}, {0, 12}}));
  BOOST_TEST((root.ends == std::vector<std::size_t>{3}));
  // Leaf 0 of 6: [1,2), [2,4), [4,6): three hashes, one node each.
  auto path = plan_inclusion(0, 6).value();
  BOOST_TEST((path.nodes == std::vector<NodeId>{{0, 1}, {1, 1}, {1, 2}}));
  BOOST_TEST((path.ends == std::vector<std::size_t>{1, 2, 3}));
  BOOST_TEST(plan_inclusion(6, 6).error().message == "leaf index 6 is not in a tree of size 6");
  BOOST_TEST(plan_consistency(7, 6).error().message == "old size 7 is larger than new size 6");
  // A reader that answers short is an error, not a crash.
  HashReader short_reader = [](std::span<const NodeId>) -> Result<std::vector<Hash>> { return std::vector<Hash>(1); };
  BOOST_TEST(tree_root(short_reader, 13).error().message == "the tree store answered 1 hashes for 3");
}

BOOST_AUTO_TEST_SUITE_END()
