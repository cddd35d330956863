#include "core/tlog/tiles.hpp"

#include <boost/test/unit_test.hpp>
#include <map>

using namespace objector;

namespace {

Hash leaf(std::uint64_t i) {
  std::string s = "entry " + std::to_string(i);
  return leaf_hash(as_bytes(s));
}

// Tiles of `tree` as a server would store them, keyed by path.
std::map<std::string, Bytes> publish(const MemoryTree& tree) {
  std::map<std::string, Bytes> tiles;
  for (const auto& t : tiles_for_tree(tree.size())) {
    if (t.entries) continue;
    tiles[tile_path(t)] = make_hash_tile(tree.reader(), t).value();
  }
  return tiles;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(tiles)

BOOST_AUTO_TEST_CASE(path_encoding) {
  BOOST_TEST(tile_path({false, 0, 1234067, 256}) == "tile/0/x001/x234/067");
  BOOST_TEST(tile_path({false, 2, 5, 17}) == "tile/2/005.p/17");
  BOOST_TEST(tile_path({true, 0, 0, 1}) == "tile/entries/000.p/1");
  BOOST_TEST(tile_path({true, 0, 1000, 256}) == "tile/entries/x001/000");
  for (const char* p : {"tile/0/x001/x234/067", "tile/2/005.p/17", "tile/entries/000.p/1", "tile/63/x999/999",
                        "tile/entries/x001/000"}) {
    auto t = parse_tile_path(p);
    BOOST_TEST_REQUIRE(t.ok(), p);
    BOOST_TEST(tile_path(*t) == p);
  }
}

BOOST_AUTO_TEST_CASE(path_errors) {
  const std::pair<const char*, const char*> cases[] = {
      {"tile/64/000", "tile path \"tile/64/000\": level must be 0..63"},
      {"tile/01/000", "tile path \"tile/01/000\": level must be 0..63"},
      {"tile/0/1234", "tile path \"tile/0/1234\": index elements are three digits"},
      {"tile/0/001/234", "tile path \"tile/0/001/234\": all but the last index element start with 'x'"},
      {"tile/0/x000/234", "tile path \"tile/0/x000/234\": index has a leading zero group"},
      {"tile/0/000.p/0", "tile path \"tile/0/000.p/0\": partial width must be 1..255"},
      {"tile/0/000.p/256", "tile path \"tile/0/000.p/256\": partial width must be 1..255"},
      {"tile/0/000.p/07", "tile path \"tile/0/000.p/07\": partial width must be 1..255"},
      {"tiles/0/000", "tile path \"tiles/0/000\": expected tile/<L>/<N>[.p/<W>]"},
      {"tile/0", "tile path \"tile/0\": expected tile/<L>/<N>[.p/<W>]"},
      {"tile/0/00a", "tile path \"tile/0/00a\": index elements are three digits"},
  };
  for (const auto& [path, error] : cases) {
    auto t = parse_tile_path(path);
    BOOST_TEST_REQUIRE(!t.ok(), path);
    BOOST_TEST(t.error().message == error);
  }
}

BOOST_AUTO_TEST_CASE(spec_example_tile_counts) {
  // c2sp.org/tlog-tiles: a tree of 70,000 has 273 full level-0 tiles, a
  // partial of width 112, one full level-1 tile, a partial of 17, a level-2 partial of 1.
  std::map<std::pair<int, unsigned>, int> count;
  for (const auto& t : tiles_for_tree(70000)) {
    if (!t.entries) ++count[{t.level, t.width}];
  }
  BOOST_TEST((count[{0, 256}]) == 273);
  BOOST_TEST((count[{0, 112}]) == 1);
  BOOST_TEST((count[{1, 256}]) == 1);
  BOOST_TEST((count[{1, 17}]) == 1);
  BOOST_TEST((count[{2, 1}]) == 1);
  BOOST_TEST(count.size() == 5u);
  // A tree of 256: one full level-0 tile and a level-1 partial of width 1.
  auto t256 = tiles_for_tree(256);
  BOOST_TEST(t256.size() == 3u);  // hash tile, entry bundle, level-1 partial
}

BOOST_AUTO_TEST_CASE(tile_exists_at_a_tree_size) {
  // Every tile a tree lists exists at its size.
  for (std::uint64_t size : {1u, 255u, 256u, 257u, 70000u}) {
    for (const auto& t : tiles_for_tree(size)) BOOST_TEST(tile_exists(t, size), tile_path(t) << " at " << size);
  }
  BOOST_TEST(!tile_exists({false, 0, 0, 256}, 255));  // not full yet
  BOOST_TEST(tile_exists({false, 0, 0, 255}, 256));   // a partial tile stays servable
  BOOST_TEST(!tile_exists({false, 0, 1, 1}, 256));    // the next tile is empty
  BOOST_TEST(!tile_exists({true, 0, 0, 3}, 2));       // entries likewise
  BOOST_TEST(tile_exists({false, 1, 0, 1}, 256));     // level 1 holds one node at 256
  BOOST_TEST(!tile_exists({false, 1, 0, 1}, 255));
  BOOST_TEST(tile_exists({false, 7, 0, 1}, UINT64_MAX));                      // the highest tile level
  BOOST_TEST(!tile_exists({false, 8, 0, 1}, UINT64_MAX));                     // beyond 64 bits of tree
  BOOST_TEST(!tile_exists({false, 0, UINT64_MAX / 256 + 1, 1}, UINT64_MAX));  // no overflow
}

BOOST_AUTO_TEST_CASE(tiles_are_walked_lazily) {
  for (std::uint64_t size : {0u, 1u, 256u, 70000u}) BOOST_TEST(tile_count(size) == tiles_for_tree(size).size());
  // A claimed size of 2^60 is walked one tile at a time and stops at the first error.
  const std::uint64_t huge = std::uint64_t{1} << 60;
  BOOST_TEST(tile_count(huge) > (std::uint64_t{1} << 53));
  std::uint64_t visited = 0;
  auto stopped = for_each_tile(huge, [&](const TileAddress& t) -> Status {
    if (++visited == 3) return make_error(errc::missing_tile, tile_path(t) + " is missing");
    return Ok{};
  });
  BOOST_TEST(stopped.error().message == "tile/0/001 is missing");
  BOOST_TEST(visited == 3u);
}

BOOST_AUTO_TEST_CASE(proofs_from_tiles_equal_proofs_from_the_tree) {
  MemoryTree tree;
  for (std::uint64_t i = 0; i < 70000; ++i) tree.append(leaf(i));
  auto tiles = publish(tree);
  int fetches = 0;
  auto reader = tile_hash_reader(
      [&](const TileAddress& t) -> Result<Bytes> {
        ++fetches;
        auto it = tiles.find(tile_path(t));
        if (it == tiles.end()) return make_error(errc::not_found, tile_path(t));
        return it->second;
      },
      tree.size());
  BOOST_TEST(tree_root(reader, tree.size()).value() == tree.root());
  for (std::uint64_t i : {0ull, 1ull, 255ull, 256ull, 65535ull, 65536ull, 69999ull}) {
    BOOST_TEST(inclusion_proof(reader, i, 70000).value() == inclusion_proof(tree.reader(), i, 70000).value());
  }
  for (std::uint64_t old : {1ull, 255ull, 256ull, 4097ull, 65536ull, 69998ull}) {
    BOOST_TEST(consistency_proof(reader, old, 70000).value() == consistency_proof(tree.reader(), old, 70000).value());
  }
  BOOST_TEST(fetches < 20);  // each tile fetched once
}

BOOST_AUTO_TEST_CASE(bad_tiles_are_reported) {
  auto reader = tile_hash_reader([](const TileAddress&) -> Result<Bytes> { return Bytes(31); }, 5);
  BOOST_TEST(tree_root(reader, 5).error().message == "tile/0/000.p/5: 31 bytes, expected 160");
}

BOOST_AUTO_TEST_CASE(entry_bundles) {
  std::vector<std::string> entries{"", "a", std::string(300, 'b')};
  auto bundle = make_entry_bundle(entries);
  BOOST_TEST(bundle.size() == 2u + 2u + 1u + 2u + 300u);
  BOOST_TEST(bundle[4] == 'a');
  BOOST_TEST(bundle[5] == 0x01);  // 300 = 0x012c, big-endian
  BOOST_TEST(bundle[6] == 0x2c);
  BOOST_TEST(parse_entry_bundle(bundle, 3).value() == entries);
  BOOST_TEST(parse_entry_bundle(bundle, 2).error().message == "entry bundle holds 3 entries, expected 2");
  bundle.pop_back();
  BOOST_TEST(parse_entry_bundle(bundle, 3).error().message == "entry bundle: entry 2 is truncated");
  BOOST_TEST(parse_entry_bundle(Bytes{0}, 1).error().message == "entry bundle: truncated length prefix");
}

BOOST_AUTO_TEST_SUITE_END()
