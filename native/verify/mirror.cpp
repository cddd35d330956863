// objector-verify mirror: the one online command. Downloads a log's
// checkpoint, hash tiles and entry bundles (c2sp.org/tlog-tiles) into DIR,
// skipping tiles it already has, and checks everything before writing the
// checkpoint last.
#include "core/tlog/signed_checkpoint.hpp"
#include "core/tlog/tiles.hpp"
#include "native/common/files.hpp"
#include "native/common/http_client.hpp"
#include "native/common/progress.hpp"
#include "native/common/url.hpp"
#include "native/verify/commands.hpp"
#include "native/verify/output.hpp"

namespace objector::verify {
int cmd_mirror(const native::Args& args) {
  if (args.positional.size() != 2) return report(make_error(errc::usage, "mirror needs a URL and a DIR"));
  auto policy = load_trust(args);
  if (!policy) return report(policy.error());
  auto url = native::parse_http_url(args.positional[0], "URL");
  if (!url) return report(url.error());
  std::filesystem::path dir = args.positional[1];
  native::HttpClient client(url->host, url->port);
  auto fetch = [&](const std::string& path) -> Result<std::string> {
    auto r = client.get(url->prefix + "/" + path);
    if (r.status != 200) {
      return make_error(errc::http, path + ": " + (r.status ? "HTTP " + std::to_string(r.status) : r.body));
    }
    return std::move(r.body);
  };

  auto note = fetch("checkpoint");
  if (!note) return report(note.error());
  auto cp = open_checkpoint(*note, *policy);
  if (!cp) return report(cp.error(), "checkpoint");
  const auto size = cp->checkpoint.size;

  auto tiles = tiles_for_tree(size);
  native::Progress progress("tiles", tiles.size());
  std::size_t downloaded = 0;
  for (const auto& t : tiles) {
    auto path = dir / tile_path(t);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {  // tiles never change: resume where we stopped
      auto body = fetch(tile_path(t));
      if (!body) return report(body.error());
      std::filesystem::create_directories(path.parent_path(), ec);
      if (auto ok = native::write_file(path, *body); !ok) return report(ok.error());
      ++downloaded;
    }
    progress.advance();
  }
  progress.finish();

  // Verify: the hash tiles lead to the signed root, and every entry bundle
  // hashes to its level-0 tile.
  auto read_tile = [&](const TileAddress& t) -> Result<Bytes> {
    OBJECTOR_TRY(auto text, native::read_file(dir / tile_path(t), 1 << 22));
    return Bytes(text.begin(), text.end());
  };
  auto root = tree_root(tile_node_reader(read_tile, size), size);
  if (!root) return report(root.error());
  if (*root != cp->checkpoint.root) {
    return report(make_error(errc::root_mismatch, "the downloaded tiles do not lead to the checkpoint's root"));
  }
  for (const auto& t : tiles) {
    if (!t.entries) continue;
    auto bundle = read_tile(t);
    auto hashes = read_tile({false, 0, t.index, t.width});
    if (!bundle) return report(bundle.error());
    if (!hashes) return report(hashes.error());
    auto entries = parse_entry_bundle(*bundle, t.width);
    if (!entries) return report(entries.error(), tile_path(t));
    for (std::size_t i = 0; i < entries->size(); ++i) {
      auto h = leaf_hash(as_bytes((*entries)[i]));
      if (!std::equal(h.begin(), h.end(), hashes->begin() + static_cast<std::ptrdiff_t>(32 * i))) {
        return report(make_error(errc::root_mismatch, "entry " + std::to_string(t.index * kTileWidth + i) +
                                                          " does not hash to its level-0 tile"),
                      tile_path(t));
      }
    }
  }
  if (auto ok = native::write_file(dir / "checkpoint", *note); !ok) return report(ok.error());
  return print_report(args, {{{"ok", true}, {"checkpoint", to_json(cp->checkpoint)}, {"downloaded", downloaded}},
                             "mirrored " + cp->checkpoint.origin + " at tree size " + std::to_string(size) + " into " +
                                 dir.string() + " (" + std::to_string(downloaded) + " tiles downloaded, " +
                                 std::to_string(tiles.size() - downloaded) + " already there)\n"});
}

}  // namespace objector::verify
