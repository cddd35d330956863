// c2sp.org/tlog-tiles: the static, cacheable form of a log. Hash tiles hold
// 256 consecutive node hashes of one tree level (tile level L = tree level 8L);
// entry bundles hold the entries, each with a big-endian uint16 length.
// Thread safety: pure functions; a tile HashReader is not shared.
#pragma once

#include <vector>

#include "core/tlog/merkle.hpp"

namespace objector {

inline constexpr std::uint64_t kTileWidth = 256;
inline constexpr int kTileHeight = 8;
// Hash tile levels a tree of up to 2^64 - 1 leaves can have (0..7).
inline constexpr int kTileLevels = 64 / kTileHeight;

struct TileAddress {
  bool entries = false;  // an entry bundle, else a hash tile
  int level = 0;         // hash tiles only, 0..63
  std::uint64_t index = 0;
  unsigned width = kTileWidth;  // 1..256; < 256 is a partial tile

  bool operator==(const TileAddress&) const = default;
};

// "tile/0/x001/x234/067.p/12", "tile/entries/000".
std::string tile_path(const TileAddress& t);
Result<TileAddress> parse_tile_path(std::string_view path);

// Whether a tree of `size` leaves holds every node (or entry) tile `t` lists.
bool tile_exists(const TileAddress& t, std::uint64_t size);
// Every tile and bundle a mirror of a tree of `size` leaves needs, in order
// (level by level, each hash tile of level 0 followed by its entry bundle),
// made one at a time: a huge claimed size costs no memory. Stops at the
// first error `visit` returns.
Status for_each_tile(std::uint64_t size, const std::function<Status(const TileAddress&)>& visit);
// How many for_each_tile() visits.
std::uint64_t tile_count(std::uint64_t size);
// The same, as a list: for small trees.
std::vector<TileAddress> tiles_for_tree(std::uint64_t size);
// The tile (full or partial, as the tree of `size` has it) holding node (level*8, index).
TileAddress tile_for(int tile_level, std::uint64_t node_index, std::uint64_t size);

// The bytes of a hash tile, read from complete-subtree hashes.
Result<Bytes> make_hash_tile(const HashReader& nodes, const TileAddress& t);  // one call

Bytes make_entry_bundle(std::span<const std::string> entries);
// Splits a bundle; `expected` entries, each at most 65535 bytes.
Result<std::vector<std::string>> parse_entry_bundle(ByteView bundle, std::size_t expected);

// A HashReader over the tiles of a tree of `size`, fetched on demand (each
// tile once) with `fetch`, which must return exactly the tile's bytes.
using TileFetcher = std::function<Result<Bytes>(const TileAddress&)>;
HashReader tile_hash_reader(TileFetcher fetch, std::uint64_t size);

}  // namespace objector
