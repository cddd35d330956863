#include "native/intake/log/tile_publisher.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "core/tlog/signed_checkpoint.hpp"
#include "native/common/files.hpp"

namespace objector::intake {
namespace {

constexpr unsigned kFileMode = 0644;  // the log is public: nginx's workers read it
constexpr unsigned kDirMode = 0755;
constexpr std::size_t kMaxNoteBytes = 1 << 20;
// An entry bundle: 256 entries of at most 65535 bytes, each with its length.
constexpr std::size_t kMaxBundleBytes = kTileWidth * (65535 + 2);
// A temporary file this old is no live writer's (one is renamed within
// milliseconds): a crash left it.
constexpr std::chrono::seconds kStaleTemp{60};

Error unusable(std::string_view setting, const std::filesystem::path& dir, const std::string& why) {
  return make_error(errc::bad_config, std::string(setting) + ": " + dir.string() + " " + why +
                                          " (hint: name a folder the intake can write, or create it)");
}

// Creates the folders of `path` below `root` that are missing, each made
// durable in its parent before anything is written into it.
Status make_parents(const std::filesystem::path& root, const std::filesystem::path& path) {
  auto at = root;
  auto rel = path.parent_path().lexically_relative(root);
  for (const auto& part : rel) {
    auto next = at / part;
    struct stat st {};
    if (::stat(next.c_str(), &st) != 0) {
      OBJECTOR_RETURN_IF_ERROR(native::make_dir(next, kDirMode));
      OBJECTOR_RETURN_IF_ERROR(native::sync_dir(at));
    }
    at = next;
  }
  return Ok{};
}

bool same_file(const std::filesystem::path& path, const Bytes& body) {
  auto text = native::read_file(path, body.size() + 1);
  return text && text->size() == body.size() && std::memcmp(text->data(), body.data(), body.size()) == 0;
}

}  // namespace

std::vector<TileAddress> grown_tiles(std::uint64_t old_size, std::uint64_t new_size) {
  std::vector<TileAddress> out;
  for (int level = 0; level < kTileLevels; ++level) {
    auto shift = level * kTileHeight;
    std::uint64_t before = old_size >> shift;
    std::uint64_t after = new_size >> shift;
    if (after <= before) break;  // nothing above grew either
    for (std::uint64_t i = before / kTileWidth; i * kTileWidth < after; ++i) {
      auto width = static_cast<unsigned>(std::min<std::uint64_t>(kTileWidth, after - i * kTileWidth));
      out.push_back({false, level, i, width});
      if (level == 0) out.push_back({true, 0, i, width});
    }
  }
  return out;
}

Result<std::unique_ptr<TilePublisher>> TilePublisher::open(const std::filesystem::path& dir, const Policy& log,
                                                           std::string_view setting) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    if (errno != ENOENT) return unusable(setting, dir, "cannot be read");
    if (auto made = native::make_dir(dir, kDirMode); !made) return unusable(setting, dir, "cannot be created");
  } else if (!S_ISDIR(st.st_mode)) {
    return unusable(setting, dir, "is not a folder");
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) return unusable(setting, dir, "is not writable");
  auto checkpoint = dir / "checkpoint";
  if (::stat(checkpoint.c_str(), &st) != 0) return std::unique_ptr<TilePublisher>(new TilePublisher(dir, log, 0, ""));
  auto note = native::read_file(checkpoint, kMaxNoteBytes);
  if (!note) return unusable(setting, dir, "holds a checkpoint that cannot be read: " + note.error().message);
  auto opened = open_checkpoint(*note, log);
  if (!opened) {
    return make_error(errc::bad_config, std::string(setting) + ": " + checkpoint.string() +
                                            " is not this log's checkpoint (" + opened.error().message +
                                            "; hint: publish each log to a folder of its own)");
  }
  return std::unique_ptr<TilePublisher>(new TilePublisher(dir, log, opened->checkpoint.size, std::move(*note)));
}

std::uint64_t TilePublisher::published_size() const {
  std::lock_guard lock(mutex_);
  return size_;
}

Status TilePublisher::write(const TileAddress& t, const Bytes& body) {
  auto path = dir_ / tile_path(t);
  OBJECTOR_RETURN_IF_ERROR(make_parents(dir_, path));
  return native::write_file(path, as_chars(body), kFileMode);
}

Result<Bytes> TilePublisher::make_tile(LogReader& log, const TileAddress& t) {
  if (!t.entries) return make_hash_tile(log.reader(), t);
  OBJECTOR_TRY(auto entries, log.entries(t.index * kTileWidth, t.width));
  if (entries.size() != t.width) {
    return make_error(errc::missing_node, tile_path(t) + ": the store holds " + std::to_string(entries.size()) +
                                              " of its " + std::to_string(t.width) + " entries");
  }
  std::vector<std::string> bytes;
  bytes.reserve(entries.size());
  for (auto& e : entries) bytes.push_back(std::move(e.bytes));
  return make_entry_bundle(bytes);
}

Status TilePublisher::publish(LogReader& log, const LatestCheckpoint& cp) {
  std::uint64_t from = published_size();
  if (cp.size < from) {
    return make_error(errc::bad_config, "publish.dir: " + dir_.string() + " holds a checkpoint of size " +
                                            std::to_string(from) + ", ahead of the store's " + std::to_string(cp.size) +
                                            " (hint: it belongs to another log, or the store lost data)");
  }
  for (const auto& t : grown_tiles(from, cp.size)) {
    // A full tile never changes: one already there was written whole (renamed in).
    if (t.width == kTileWidth && ::access((dir_ / tile_path(t)).c_str(), F_OK) == 0) continue;
    OBJECTOR_TRY(auto body, make_tile(log, t));
    OBJECTOR_RETURN_IF_ERROR(write(t, body));
  }
  std::lock_guard lock(mutex_);
  return write_checkpoint_locked(cp);
}

Status TilePublisher::publish_checkpoint(const LatestCheckpoint& cp) {
  std::lock_guard lock(mutex_);
  if (cp.size != size_ || signature_lines(cp.note) <= signature_lines(note_)) return Ok{};
  return write_checkpoint_locked(cp);
}

// What another node sharing the folder wrote since: this log's checkpoint,
// larger, or as large with more cosignatures. Anything else there (this
// publisher's own, or a file that does not verify) is written over.
void TilePublisher::catch_up_locked() {
  auto on_disk = native::read_file(dir_ / "checkpoint", kMaxNoteBytes);
  if (!on_disk || *on_disk == note_) return;
  auto opened = open_checkpoint(*on_disk, log_);
  if (!opened) return;
  auto size = opened->checkpoint.size;
  if (size > size_ || (size == size_ && signature_lines(*on_disk) > signature_lines(note_))) {
    size_ = size;
    note_ = std::move(*on_disk);
  }
}

Status TilePublisher::write_checkpoint_locked(const LatestCheckpoint& cp) {
  catch_up_locked();
  // A late witness answer must not replace a larger checkpoint, nor hide a cosignature.
  if (cp.size < size_ || (cp.size == size_ && signature_lines(cp.note) < signature_lines(note_))) return Ok{};
  if (cp.size == size_ && cp.note == note_) return Ok{};
  OBJECTOR_RETURN_IF_ERROR(native::write_file(dir_ / "checkpoint", cp.note, kFileMode));
  size_ = cp.size;
  note_ = cp.note;
  return Ok{};
}

Result<TilePublisher::Repaired> TilePublisher::repair(LogReader& log, const LatestCheckpoint& cp) {
  if (cp.size < published_size()) {
    return make_error(errc::not_consistent, "publish.dir: " + dir_.string() + " holds a checkpoint of size " +
                                                std::to_string(published_size()) + ", ahead of the store's " +
                                                std::to_string(cp.size) +
                                                " (hint: it belongs to another log, or the store lost data)");
  }
  Repaired out;
  OBJECTOR_RETURN_IF_ERROR(for_each_tile(cp.size, [&](const TileAddress& t) -> Status {
    ++out.tiles;
    OBJECTOR_TRY(auto body, make_tile(log, t));
    if (same_file(dir_ / tile_path(t), body)) return Ok{};
    ++out.rewritten;
    return write(t, body);
  }));
  OBJECTOR_TRY(out.removed, native::remove_stale_temp_files(dir_, kStaleTemp));
  std::lock_guard lock(mutex_);
  OBJECTOR_RETURN_IF_ERROR(write_checkpoint_locked(cp));
  return out;
}

Result<std::string> read_published(const std::filesystem::path& dir, std::string_view path) {
  auto file = dir / std::filesystem::path(path);
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return make_error(errc::not_found, std::string(path) + " is not in the log yet");
  }
  return native::read_file(file, path == "checkpoint" ? kMaxNoteBytes : kMaxBundleBytes);
}

}  // namespace objector::intake
