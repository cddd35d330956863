// objector-verify mirror: the one online command. Downloads a log's
// checkpoint, hash tiles and entry bundles (c2sp.org/tlog-tiles) into DIR,
// skipping tiles it already has. The server is not trusted: every answer has
// a deadline and a size limit checked while it is read, the tile list is
// walked lazily (a huge claimed size stops at the first tile the server
// lacks), and what it sends is staged in DIR/.incoming/ and moved in only
// once it hashes to the signed root (then the checkpoint, last). Tiles in DIR
// led to a signed root before; when the tree does not, they are fetched
// again, so only two signed checkpoints that cannot both be true (a fork) are
// kept as evidence, in DIR/evidence/, never a server's junk.
#include <set>

#include "core/objection/entry.hpp"
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

// The most bytes tile `t` can have: hash tiles exactly; bundles at most what
// an intake can produce, `width` of the largest entry it accepts.
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
  Mirror(const Mirror&) = delete;
  Mirror& operator=(const Mirror&) = delete;
  ~Mirror() { end(); }  // whatever was not moved in goes

  Result<std::string> fetch(const std::string& path, std::size_t max_bytes) {
    auto r = client_.get(url_.prefix + "/" + path, max_bytes);
    if (r.status == 0) return make_error(errc::http, path + ": " + r.body);
    if (r.status != 200) {
      return make_error(errc::http, path + ": HTTP " + std::to_string(r.status) +
                                        (r.status == 404 ? " (the server does not have it)" : ""));
    }
    return std::move(r.body);
  }

  // Clears what a run that stopped half-way staged: it was never checked.
  Status begin() {
    std::error_code ec;
    std::filesystem::remove_all(staging(), ec);
    if (ec) return make_error(errc::io_error, "cannot clear " + staging().string() + ": " + ec.message());
    return Ok{};
  }

  // Stages every tile of a tree of `size` that is not in DIR (tiles never
  // change: a mirror resumes where it stopped); with `again`, also those in
  // DIR, and from then on only what this run fetched is read.
  Status download(std::uint64_t size, bool again) {
    fresh_only_ = again;
    native::Progress progress("tiles", tile_count(size));
    auto ok = for_each_tile(size, [&](const TileAddress& t) -> Status {
      auto path = tile_path(t);
      std::error_code ec;
      if (staged_.count(path) == 0 && (again || !std::filesystem::exists(dir_ / path, ec))) {
        auto body = fetch(path, max_tile_bytes(t));
        if (!body) {
          return make_error(errc::http, "the checkpoint claims " + std::to_string(size) +
                                            " entries, but fetching them failed at " + body.error().message);
        }
        if (!t.entries && body->size() != max_tile_bytes(t)) {
          return make_error(errc::bad_tile, path + ": " + std::to_string(body->size()) +
                                                " bytes, a tile of this width has " +
                                                std::to_string(max_tile_bytes(t)));
        }
        OBJECTOR_RETURN_IF_ERROR(stage(path, *body));
      }
      progress.advance();
      return Ok{};
    });
    progress.finish();
    return ok;
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

  // Moves what was staged into DIR, over what was there, durably; then the
  // checkpoint, last, so DIR's checkpoint never names tiles DIR lacks.
  Status commit(const std::string& checkpoint) {
    std::set<std::filesystem::path> folders;
    for (const auto& path : staged_) {
      auto to = dir_ / path;
      std::error_code ec;
      std::filesystem::create_directories(to.parent_path(), ec);
      if (!ec) std::filesystem::rename(staging() / path, to, ec);
      if (ec) return make_error(errc::io_error, "cannot move " + path + " into " + dir_.string() + ": " + ec.message());
      folders.insert(to.parent_path());
    }
    for (const auto& folder : folders) OBJECTOR_RETURN_IF_ERROR(native::sync_dir(folder));
    OBJECTOR_RETURN_IF_ERROR(native::write_file(dir_ / "checkpoint", checkpoint));
    end();
    return Ok{};
  }

  std::size_t staged() const { return staged_.size(); }

  // Drops what was staged (nothing unchecked is left behind).
  void end() {
    staged_.clear();
    std::error_code ec;
    std::filesystem::remove_all(staging(), ec);
  }

 private:
  std::filesystem::path staging() const { return dir_ / ".incoming"; }

  Status stage(const std::string& path, std::string_view body) {
    std::error_code ec;
    std::filesystem::create_directories((staging() / path).parent_path(), ec);
    if (ec) return make_error(errc::io_error, "cannot create a folder in " + staging().string() + ": " + ec.message());
    OBJECTOR_RETURN_IF_ERROR(native::write_file(staging() / path, body));
    staged_.insert(path);
    return Ok{};
  }

  // A tile from this run's downloads, else (unless fetching again) from DIR.
  Result<Bytes> read_tile(const TileAddress& t) {
    auto path = tile_path(t);
    if (staged_.count(path) == 0 && fresh_only_) return make_error(errc::missing_tile, path + " was not fetched");
    auto from = staged_.count(path) != 0 ? staging() / path : dir_ / path;
    OBJECTOR_TRY(auto text, native::read_file(from, max_tile_bytes(t)));
    return Bytes(text.begin(), text.end());
  }

  native::HttpUrl url_;
  native::HttpClient client_;
  std::filesystem::path dir_;
  std::set<std::string> staged_;  // tile paths fetched by this run, in staging()
  bool fresh_only_ = false;
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

  if (auto ok = mirror.begin(); !ok) return report(ok.error());
  if (auto ok = mirror.download(size, false); !ok) return report(ok.error());
  auto nodes = mirror.nodes(size);
  auto root = tree_root(nodes, size);
  if (!root || *root != cp->checkpoint.root) {
    // The tiles kept from before may be what differs: fetch them all again, and judge the server's tree alone.
    if (auto ok = mirror.download(size, true); !ok) return report(ok.error());
    nodes = mirror.nodes(size);  // a reader keeps the tiles it read
    root = tree_root(nodes, size);
    if (!root) return report(root.error());
    if (*root != cp->checkpoint.root) {
      return report(make_error(errc::root_mismatch, "the tiles the server sent do not lead to its checkpoint's root; " +
                                                        dir.string() +
                                                        " was left as it was (hint: run again later; "
                                                        "tiles are not signed, so this proves nothing about the log)"));
    }
  }
  if (*old_cp) {
    if (auto ok = check_extends(**old_cp, *cp, nodes); !ok) return report(with_evidence(ok.error(), dir, both));
  }
  if (auto ok = mirror.check_bundles(size); !ok) return report(ok.error());
  const auto fetched = mirror.staged();
  if (auto ok = mirror.commit(*note); !ok) return report(ok.error());
  auto tiles = tile_count(size);
  return print_report(args, {{{"ok", true}, {"checkpoint", to_json(cp->checkpoint)}, {"downloaded", fetched}},
                             "mirrored " + cp->checkpoint.origin + " at tree size " + std::to_string(size) + " into " +
                                 dir.string() + " (" + std::to_string(fetched) + " tiles downloaded, " +
                                 std::to_string(tiles - fetched) + " already there)\n"});
}

}  // namespace objector::verify
