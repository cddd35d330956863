// objector-verify mirror: the one online command. Downloads a log's
// checkpoint, hash tiles and entry bundles (c2sp.org/tlog-tiles) into DIR,
// skipping tiles it already has, and checks everything before writing the
// checkpoint last. The server is not trusted: every answer has a deadline
// and a size limit checked while it is read, the tile list is walked lazily
// (a huge claimed size stops at the first tile the server lacks), and a
// checkpoint that contradicts the tiles or the one mirrored before is kept,
// with that one, in DIR/evidence/.
#include "core/tlog/signed_checkpoint.hpp"
#include "core/tlog/tiles.hpp"
#include "native/common/files.hpp"
#include "native/common/http_client.hpp"
#include "native/common/progress.hpp"
#include "native/common/url.hpp"
#include "native/verify/commands.hpp"
#include "native/verify/output.hpp"

namespace objector::verify {
namespace {

constexpr std::size_t kMaxEntryBytes = 65535;  // an entry bundle's length prefix

// The most bytes tile `t` can have: hash tiles exactly, bundles at most.
std::size_t max_tile_bytes(const TileAddress& t) {
  return t.entries ? std::size_t{t.width} * (2 + kMaxEntryBytes) : std::size_t{t.width} * 32;
}

Result<std::chrono::milliseconds> seconds_flag(const native::Args& args, std::string_view name,
                                               std::uint64_t fallback) {
  auto text = args.get(name, std::to_string(fallback));
  auto n = native::parse_count(text, "--" + std::string(name));
  if (!n || *n == 0 || *n > 86400) {
    return make_error(errc::usage, "--" + std::string(name) + " takes whole seconds from 1 to 86400");
  }
  return std::chrono::milliseconds(*n * 1000);
}

std::string short_root(const Checkpoint& c) { return to_hex(ByteView(c.root).first(4)); }

// Keeps two signed checkpoints that contradict each other (or one that
// contradicts the tiles served with it) and says where they are.
Error with_evidence(Error e, const std::filesystem::path& dir, const std::vector<VerifiedCheckpoint>& checkpoints) {
  auto folder = dir / "evidence";
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  std::string names;
  for (const auto& cp : checkpoints) {
    auto file = folder / ("checkpoint." + std::to_string(cp.checkpoint.size) + "." + short_root(cp.checkpoint));
    auto ok = native::write_file(file, cp.note);
    names += (names.empty() ? "" : " and ") + (ok ? file.string() : "(not saved: " + ok.error().message + ")");
  }
  e.message +=
      "; the signed checkpoint" + std::string(checkpoints.size() > 1 ? "s are" : " is") + " kept as evidence: " + names;
  return e;
}

class Mirror {
 public:
  Mirror(native::HttpUrl url, native::HttpDeadlines deadlines, std::filesystem::path dir)
      : url_(std::move(url)), client_(url_.host, url_.port, deadlines), dir_(std::move(dir)) {}

  Result<std::string> fetch(const std::string& path, std::size_t max_bytes) {
    auto r = client_.get(url_.prefix + "/" + path, max_bytes);
    if (r.status == 0) return make_error(errc::http, path + ": " + r.body);
    if (r.status != 200) {
      return make_error(errc::http, path + ": HTTP " + std::to_string(r.status) +
                                        (r.status == 404 ? " (the server does not have it)" : ""));
    }
    return std::move(r.body);
  }

  Result<Bytes> read_tile(const TileAddress& t) {
    OBJECTOR_TRY(auto text, native::read_file(dir_ / tile_path(t), max_tile_bytes(t)));
    return Bytes(text.begin(), text.end());
  }

  // Downloads every tile of a tree of `size` that is not here yet (tiles
  // never change: a mirror resumes where it stopped).
  Result<std::size_t> download(std::uint64_t size) {
    native::Progress progress("tiles", tile_count(size));
    std::size_t downloaded = 0;
    auto ok = for_each_tile(size, [&](const TileAddress& t) -> Status {
      auto path = dir_ / tile_path(t);
      std::error_code ec;
      if (!std::filesystem::exists(path, ec)) {
        auto body = fetch(tile_path(t), max_tile_bytes(t));
        if (!body) {
          return make_error(errc::http, "the checkpoint claims " + std::to_string(size) +
                                            " entries, but fetching them failed at " + body.error().message);
        }
        if (!t.entries && body->size() != max_tile_bytes(t)) {
          return make_error(errc::bad_tile, tile_path(t) + ": " + std::to_string(body->size()) +
                                                " bytes, a tile of this width has " +
                                                std::to_string(max_tile_bytes(t)));
        }
        std::filesystem::create_directories(path.parent_path(), ec);
        OBJECTOR_RETURN_IF_ERROR(native::write_file(path, *body));
        ++downloaded;
      }
      progress.advance();
      return Ok{};
    });
    progress.finish();
    OBJECTOR_RETURN_IF_ERROR(ok);
    return downloaded;
  }

  HashReader nodes(std::uint64_t size) {
    return tile_hash_reader([this](const TileAddress& t) { return read_tile(t); }, size);
  }

  // Every entry bundle hashes to its level-0 tile.
  Status check_bundles(std::uint64_t size) {
    return for_each_tile(size, [&](const TileAddress& t) -> Status {
      if (!t.entries) return Ok{};
      OBJECTOR_TRY(auto bundle, read_tile(t));
      OBJECTOR_TRY(auto hashes, read_tile({false, 0, t.index, t.width}));
      auto entries = parse_entry_bundle(bundle, t.width);
      if (!entries) return std::move(entries).error().at(tile_path(t));
      for (std::size_t i = 0; i < entries->size(); ++i) {
        auto h = leaf_hash(as_bytes((*entries)[i]));
        if (!std::equal(h.begin(), h.end(), hashes.begin() + static_cast<std::ptrdiff_t>(32 * i))) {
          return make_error(errc::root_mismatch, tile_path(t) + ": entry " + std::to_string(t.index * kTileWidth + i) +
                                                     " does not hash to its level-0 tile");
        }
      }
      return Ok{};
    });
  }

 private:
  native::HttpUrl url_;
  native::HttpClient client_;
  std::filesystem::path dir_;
};

// The checkpoint mirrored before, if any.
Result<std::optional<VerifiedCheckpoint>> previous(const std::filesystem::path& dir, const Policy& policy) {
  std::error_code ec;
  if (!std::filesystem::exists(dir / "checkpoint", ec)) return std::optional<VerifiedCheckpoint>();
  OBJECTOR_TRY(auto note, native::read_file(dir / "checkpoint", kMaxNoteBytes));
  auto cp = open_checkpoint(note, policy);
  if (!cp) return std::move(cp).error().at((dir / "checkpoint").string());
  return std::optional<VerifiedCheckpoint>(std::move(*cp));
}

// The new checkpoint extends the previous one: same origin, not smaller, and
// its tree (as the tiles hold it) has the previous root at the previous size.
Status check_extends(const VerifiedCheckpoint& old_cp, const VerifiedCheckpoint& new_cp, const HashReader& nodes) {
  const auto& o = old_cp.checkpoint;
  const auto& n = new_cp.checkpoint;
  if (o.size > n.size) {
    return make_error(errc::not_consistent, "the log's checkpoint (size " + std::to_string(n.size) +
                                                ") is smaller than the one mirrored before (size " +
                                                std::to_string(o.size) + "): the log went backwards");
  }
  if (o.size == 0) return Ok{};
  OBJECTOR_TRY(auto root, tree_root(nodes, o.size));
  if (root != o.root) {
    return make_error(errc::not_consistent, "the log's tree of size " + std::to_string(n.size) +
                                                " does not contain the tree of size " + std::to_string(o.size) +
                                                " mirrored before: the log forked or rewrote entries");
  }
  return Ok{};
}

}  // namespace

int cmd_mirror(const native::Args& args) {
  if (args.positional.size() != 2) return report(make_error(errc::usage, "mirror needs a URL and a DIR"));
  auto policy = load_trust(args);
  if (!policy) return report(policy.error());
  auto url = native::parse_http_url(args.positional[0], "URL");
  if (!url) return report(url.error());
  auto connect = seconds_flag(args, "connect-timeout", 10);
  if (!connect) return report(connect.error());
  auto timeout = seconds_flag(args, "timeout", 60);
  if (!timeout) return report(timeout.error());
  std::filesystem::path dir = args.positional[1];
  Mirror mirror(*url, {*connect, *timeout}, dir);

  auto old_cp = previous(dir, *policy);
  if (!old_cp) return report(old_cp.error());
  auto note = mirror.fetch("checkpoint", kMaxNoteBytes);
  if (!note) return report(note.error());
  auto cp = open_checkpoint(*note, *policy);
  if (!cp) return report(cp.error(), "checkpoint");
  const auto size = cp->checkpoint.size;
  std::vector<VerifiedCheckpoint> both{*cp};
  if (*old_cp) both.insert(both.begin(), **old_cp);

  auto downloaded = mirror.download(size);
  if (!downloaded) return report(downloaded.error());
  auto nodes = mirror.nodes(size);
  auto root = tree_root(nodes, size);
  if (!root) return report(root.error());
  if (*root != cp->checkpoint.root) {
    return report(with_evidence(
        make_error(errc::root_mismatch, "the tiles in " + dir.string() + " do not lead to the checkpoint's root"), dir,
        both));
  }
  if (*old_cp) {
    if (auto ok = check_extends(**old_cp, *cp, nodes); !ok) return report(with_evidence(ok.error(), dir, both));
  }
  if (auto ok = mirror.check_bundles(size); !ok) return report(ok.error());
  if (auto ok = native::write_file(dir / "checkpoint", *note); !ok) return report(ok.error());
  auto tiles = tile_count(size);
  return print_report(args, {{{"ok", true}, {"checkpoint", to_json(cp->checkpoint)}, {"downloaded", *downloaded}},
                             "mirrored " + cp->checkpoint.origin + " at tree size " + std::to_string(size) + " into " +
                                 dir.string() + " (" + std::to_string(*downloaded) + " tiles downloaded, " +
                                 std::to_string(tiles - *downloaded) + " already there)\n"});
}

}  // namespace objector::verify
