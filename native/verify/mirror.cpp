// objector-verify mirror: the one online command. Downloads a log's
// checkpoint, hash tiles and entry bundles (c2sp.org/tlog-tiles) into DIR,
// skipping tiles it already has, and checks everything before writing the
// checkpoint last.
#include <cstdio>

#include "core/signed_checkpoint.hpp"
#include "core/tiles.hpp"
#include "native/common/files.hpp"
#include "native/common/http_client.hpp"
#include "native/common/progress.hpp"
#include "native/verify/commands.hpp"

namespace objector::verify {
namespace {

struct Url {
  std::string host, port, prefix;
};

Result<Url> parse_url(std::string url) {
  constexpr std::string_view scheme = "http://";
  if (url.rfind(scheme, 0) != 0) {
    return make_error("usage", "URL must start with http:// (hint: mirror through the platform's proxy for https)");
  }
  url = url.substr(scheme.size());
  auto slash = url.find('/');
  auto authority = url.substr(0, slash);
  auto prefix = slash == std::string::npos ? std::string() : url.substr(slash);
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  auto colon = authority.rfind(':');
  if (colon == std::string::npos) return Url{authority, "80", prefix};
  return Url{authority.substr(0, colon), authority.substr(colon + 1), prefix};
}

}  // namespace

int cmd_mirror(const native::Args& args) {
  if (args.positional.size() != 2) return report_error("mirror needs a URL and a DIR", 2);
  auto policy = load_trust(args);
  if (!policy) return report_error(policy.error().message, 2);
  auto url = parse_url(args.positional[0]);
  if (!url) return report_error(url.error().message, 2);
  std::filesystem::path dir = args.positional[1];
  native::HttpClient client(url->host, url->port);
  auto fetch = [&](const std::string& path) -> Result<std::string> {
    auto r = client.get(url->prefix + "/" + path);
    if (r.status != 200) {
      return make_error("http", path + ": " + (r.status ? "HTTP " + std::to_string(r.status) : r.body));
    }
    return std::move(r.body);
  };

  auto note = fetch("checkpoint");
  if (!note) return report_error(note.error().message, 2);
  auto cp = open_checkpoint(*note, *policy);
  if (!cp) return report_error("checkpoint: " + cp.error().message, is_format_error(cp.error().code) ? 2 : 1);
  const auto size = cp->checkpoint.size;

  auto tiles = tiles_for_tree(size);
  native::Progress progress("tiles", tiles.size());
  std::size_t downloaded = 0;
  for (const auto& t : tiles) {
    auto path = dir / tile_path(t);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {  // tiles never change: resume where we stopped
      auto body = fetch(tile_path(t));
      if (!body) return report_error(body.error().message, 2);
      std::filesystem::create_directories(path.parent_path(), ec);
      if (auto ok = native::write_file(path, *body); !ok) return report_error(ok.error().message, 2);
      ++downloaded;
    }
    progress.advance();
  }
  progress.finish();

  // Verify: the hash tiles lead to the signed root, and every entry bundle
  // hashes to its level-0 tile.
  auto read_tile = [&](const TileAddress& t) -> Result<Bytes> {
    auto text = native::read_file(dir / tile_path(t), 1 << 22);
    OBJECTOR_RETURN_IF_ERROR(text);
    return Bytes(text->begin(), text->end());
  };
  auto root = tree_root(tile_node_reader(read_tile, size), size);
  if (!root) return report_error(root.error().message, 2);
  if (*root != cp->checkpoint.root) return report_error("the downloaded tiles do not lead to the checkpoint's root", 1);
  for (const auto& t : tiles) {
    if (!t.entries) continue;
    auto bundle = read_tile(t);
    auto hashes = read_tile({false, 0, t.index, t.width});
    if (!bundle || !hashes) return report_error("cannot read " + tile_path(t), 2);
    auto entries = parse_entry_bundle(*bundle, t.width);
    if (!entries) return report_error(tile_path(t) + ": " + entries.error().message, 2);
    for (std::size_t i = 0; i < entries->size(); ++i) {
      auto h = leaf_hash(as_bytes((*entries)[i]));
      if (!std::equal(h.begin(), h.end(), hashes->begin() + static_cast<std::ptrdiff_t>(32 * i))) {
        return report_error(
            tile_path(t) + ": entry " + std::to_string(t.index * kTileWidth + i) + " does not hash to its level-0 tile",
            1);
      }
    }
  }
  if (auto ok = native::write_file(dir / "checkpoint", *note); !ok) return report_error(ok.error().message, 2);
  std::printf("mirrored %s at tree size %llu into %s (%zu tiles downloaded, %zu already there)\n",
              cp->checkpoint.origin.c_str(), static_cast<unsigned long long>(size), dir.string().c_str(), downloaded,
              tiles.size() - downloaded);
  return 0;
}

}  // namespace objector::verify
