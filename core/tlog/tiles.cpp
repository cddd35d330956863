#include "core/tlog/tiles.hpp"

#include <map>
#include <memory>

#include "core/encoding/decimal.hpp"
#include "core/tlog/checkpoint.hpp"

namespace objector {
namespace {

Error path_error(std::string_view path, const std::string& m) {
  return make_error(errc::bad_tile_path, "tile path \"" + std::string(path.substr(0, 80)) + "\": " + m);
}

// Three-digit groups, most significant first; all but the last get an 'x'.
std::string encode_index(std::uint64_t n) {
  std::vector<unsigned> groups{static_cast<unsigned>(n % 1000)};
  for (n /= 1000; n > 0; n /= 1000) groups.push_back(static_cast<unsigned>(n % 1000));
  std::string out;
  for (auto it = groups.rbegin(); it != groups.rend(); ++it) {
    if (it + 1 != groups.rend()) out += 'x';
    for (unsigned unit : {100U, 10U, 1U}) out += static_cast<char>('0' + *it / unit % 10);
    if (it + 1 != groups.rend()) out += '/';
  }
  return out;
}

std::uint64_t pow256(int level) { return std::uint64_t{1} << (8 * level); }

}  // namespace

std::string tile_path(const TileAddress& t) {
  std::string out =
      "tile/" + (t.entries ? std::string("entries") : std::to_string(t.level)) + "/" + encode_index(t.index);
  if (t.width < kTileWidth) out += ".p/" + std::to_string(t.width);
  return out;
}

Result<TileAddress> parse_tile_path(std::string_view path) {
  std::vector<std::string_view> parts;
  for (auto rest = path;;) {
    auto slash = rest.find('/');
    parts.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (parts.size() < 3 || parts[0] != "tile") return path_error(path, "expected tile/<L>/<N>[.p/<W>]");
  TileAddress t;
  if (parts[1] == "entries") {
    t.entries = true;
  } else {
    auto level = parse_decimal(parts[1], "level");
    if (!level || *level > 63) return path_error(path, "level must be 0..63");
    t.level = static_cast<int>(*level);
  }
  // Optional ".p/<W>" ends the path: the last index element carries ".p".
  std::size_t end = parts.size();
  if (parts.size() >= 4 && parts[end - 2].size() > 2 && parts[end - 2].substr(parts[end - 2].size() - 2) == ".p") {
    auto w = parse_decimal(parts[end - 1], "width");
    if (!w || *w < 1 || *w > 255) return path_error(path, "partial width must be 1..255");
    t.width = static_cast<unsigned>(*w);
    parts[end - 2].remove_suffix(2);
    --end;
  }
  if (end - 2 > 7) return path_error(path, "index too large");
  std::uint64_t index = 0;
  for (std::size_t i = 2; i < end; ++i) {
    auto elem = parts[i];
    bool last = i + 1 == end;
    if (!last) {
      if (elem.empty() || elem[0] != 'x') return path_error(path, "all but the last index element start with 'x'");
      elem.remove_prefix(1);
    }
    if (elem.size() != 3 || elem.find_first_not_of("0123456789") != std::string_view::npos) {
      return path_error(path, "index elements are three digits");
    }
    if (index > (UINT64_MAX - 999) / 1000) return path_error(path, "index too large");
    index = index * 1000 + static_cast<std::uint64_t>((elem[0] - '0') * 100 + (elem[1] - '0') * 10 + (elem[2] - '0'));
  }
  // One spelling per index: no leading "x000/" groups.
  if (end - 2 > 1 && parts[2] == "x000") return path_error(path, "index has a leading zero group");
  t.index = index;
  return t;
}

TileAddress tile_for(int tile_level, std::uint64_t node_index, std::uint64_t size) {
  TileAddress t{false, tile_level, node_index / kTileWidth, static_cast<unsigned>(kTileWidth)};
  std::uint64_t nodes_at_level = size / pow256(tile_level);
  if ((t.index + 1) * kTileWidth > nodes_at_level) t.width = static_cast<unsigned>(nodes_at_level % kTileWidth);
  return t;
}

bool tile_exists(const TileAddress& t, std::uint64_t size) {
  if (t.level >= kTileLevels) return false;
  std::uint64_t nodes_at_level = size / pow256(t.level);
  return t.index <= nodes_at_level / kTileWidth && t.index * kTileWidth + t.width <= nodes_at_level;
}

Status for_each_tile(std::uint64_t size, const std::function<Status(const TileAddress&)>& visit) {
  for (int level = 0; level < kTileLevels && size / pow256(level) > 0; ++level) {
    const std::uint64_t nodes = size / pow256(level);
    const std::uint64_t tiles = nodes / kTileWidth + (nodes % kTileWidth != 0 ? 1 : 0);
    for (std::uint64_t n = 0; n < tiles; ++n) {
      auto width = static_cast<unsigned>(n + 1 < tiles || nodes % kTileWidth == 0 ? kTileWidth : nodes % kTileWidth);
      OBJECTOR_RETURN_IF_ERROR(visit({false, level, n, width}));
      if (level == 0) OBJECTOR_RETURN_IF_ERROR(visit({true, 0, n, width}));
    }
  }
  return Ok{};
}

std::uint64_t tile_count(std::uint64_t size) {
  std::uint64_t count = 0;
  for (int level = 0; level < kTileLevels && size / pow256(level) > 0; ++level) {
    const std::uint64_t nodes = size / pow256(level);
    const std::uint64_t tiles = nodes / kTileWidth + (nodes % kTileWidth != 0 ? 1 : 0);
    count += level == 0 ? 2 * tiles : tiles;
  }
  return count;
}

std::vector<TileAddress> tiles_for_tree(std::uint64_t size) {
  std::vector<TileAddress> out;
  (void)for_each_tile(size, [&](const TileAddress& t) -> Status {
    out.push_back(t);
    return Ok{};
  });
  return out;
}

Result<Bytes> make_hash_tile(const HashReader& nodes, const TileAddress& t) {
  std::vector<NodeId> ids;
  ids.reserve(t.width);
  for (unsigned i = 0; i < t.width; ++i) ids.push_back({t.level * kTileHeight, t.index * kTileWidth + i});
  OBJECTOR_TRY(auto hashes, nodes(ids));
  Bytes out;
  out.reserve(std::size_t{t.width} * 32);
  for (const auto& h : hashes) out.insert(out.end(), h.begin(), h.end());
  return out;
}

Bytes make_entry_bundle(std::span<const std::string> entries) {
  Bytes out;
  for (const auto& e : entries) {
    out.push_back(static_cast<std::uint8_t>(e.size() >> 8));
    out.push_back(static_cast<std::uint8_t>(e.size()));
    out.insert(out.end(), e.begin(), e.end());
  }
  return out;
}

Result<std::vector<std::string>> parse_entry_bundle(ByteView bundle, std::size_t expected) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < bundle.size()) {
    if (i + 2 > bundle.size()) return make_error(errc::bad_bundle, "entry bundle: truncated length prefix");
    std::size_t n = static_cast<std::size_t>(bundle[i]) << 8 | bundle[i + 1];
    i += 2;
    if (i + n > bundle.size())
      return make_error(errc::bad_bundle, "entry bundle: entry " + std::to_string(out.size()) + " is truncated");
    out.emplace_back(as_chars(bundle.subspan(i, n)));
    i += n;
  }
  if (out.size() != expected) {
    return make_error(errc::bad_bundle, "entry bundle holds " + std::to_string(out.size()) + " entries, expected " +
                                            std::to_string(expected));
  }
  return out;
}

HashReader tile_hash_reader(TileFetcher fetch, std::uint64_t size) {
  using NodeReader = std::function<Result<Hash>(int level, std::uint64_t index)>;
  auto cache = std::make_shared<std::map<std::pair<int, std::uint64_t>, Bytes>>();
  auto reader = std::make_shared<NodeReader>();
  *reader = [fetch = std::move(fetch), size, cache, weak = std::weak_ptr<NodeReader>(reader)](
                int level, std::uint64_t index) -> Result<Hash> {
    if (level % kTileHeight != 0) {
      // Between tile levels: hash the two children (at most 255 hashes).
      auto self = weak.lock();
      OBJECTOR_TRY(auto left, (*self)(level - 1, 2 * index));
      OBJECTOR_TRY(auto right, (*self)(level - 1, 2 * index + 1));
      return node_hash(left, right);
    }
    auto t = tile_for(level / kTileHeight, index, size);
    auto key = std::make_pair(t.level, t.index);
    auto it = cache->find(key);
    if (it == cache->end()) {
      OBJECTOR_TRY(auto bytes, fetch(t));
      if (bytes.size() != std::size_t{t.width} * 32) {
        return make_error(errc::bad_tile, tile_path(t) + ": " + std::to_string(bytes.size()) + " bytes, expected " +
                                              std::to_string(std::size_t{t.width} * 32));
      }
      it = cache->emplace(key, std::move(bytes)).first;
    }
    auto offset = (index % kTileWidth) * 32;
    if (offset + 32 > it->second.size()) {
      return make_error(errc::missing_node, tile_path(t) + " does not hold node " + std::to_string(index));
    }
    Hash h{};
    std::copy_n(it->second.begin() + static_cast<std::ptrdiff_t>(offset), 32, h.begin());
    return h;
  };
  // The returned function keeps the shared state alive.
  return read_each([reader](const NodeId& id) { return (*reader)(id.level, id.index); });
}

}  // namespace objector
