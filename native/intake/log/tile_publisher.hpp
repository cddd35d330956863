// The static read path: the log as c2sp.org/tlog-tiles files in a folder
// (config.json "publish": {"dir": ...}), which nginx, a CDN or the intake
// itself serves, so the log stays readable while every intake is down.
//
// After each commit the sequencer writes every hash tile and entry bundle
// that grew, then the checkpoint; each file goes to a temporary name, is
// fsynced and renamed, and its folder fsynced. So a reader never sees a
// checkpoint whose tiles are missing or partly written, and the folder is
// never ahead of the store (the store commits first). Full tiles are written
// once; partial tiles of every published checkpoint stay, so a client
// holding an older checkpoint can still read its tiles. Nodes that share the
// folder each have a publisher: before writing a checkpoint, one reads the
// folder's, so a sequencer that lost its lock mid-publish never puts back an
// older checkpoint (or one with fewer cosignatures) than another wrote.
// Thread safety: publish() and repair() from the sequencer thread;
// publish_checkpoint() from any thread (witness answers).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "core/tlog/policy.hpp"
#include "core/tlog/tiles.hpp"
#include "native/intake/log/log_reader.hpp"
#include "native/intake/log/proofs.hpp"

namespace objector::intake {

class TilePublisher {
 public:
  // Opens (creating it if missing) a folder this process can write, and
  // reads the checkpoint it holds, which must verify under `log` (the
  // policy of this log's key). `setting` names the folder in messages.
  static Result<std::unique_ptr<TilePublisher>> open(const std::filesystem::path& dir, const Policy& log,
                                                     std::string_view setting = "publish.dir");

  // Writes what grew from the folder's checkpoint to `cp` (a checkpoint the
  // store holds), then `cp` itself. A `cp` smaller than the folder's is
  // refused: the folder belongs to another log, or the store lost data.
  Status publish(LogReader& log, const LatestCheckpoint& cp);
  // The same checkpoint again with more cosignatures (ignored when the
  // folder has moved on, or the note has no more signatures).
  Status publish_checkpoint(const LatestCheckpoint& cp);

  struct Repaired {
    std::uint64_t tiles = 0;      // tiles and bundles of the tree
    std::uint64_t rewritten = 0;  // of them, missing or different, so written
    std::uint64_t removed = 0;    // temporary files of writes cut short (a crash)
  };
  // Checks every tile and bundle of `cp` against the store and writes what
  // is missing or wrong, then the checkpoint (objector-intake publish); and
  // removes the temporary files a crash left, when older than a minute.
  Result<Repaired> repair(LogReader& log, const LatestCheckpoint& cp);

  std::uint64_t published_size() const;
  const std::filesystem::path& dir() const { return dir_; }

 private:
  TilePublisher(std::filesystem::path dir, Policy log, std::uint64_t size, std::string note)
      : dir_(std::move(dir)), log_(std::move(log)), size_(size), note_(std::move(note)) {}
  Status write(const TileAddress& t, const Bytes& body);
  Result<Bytes> make_tile(LogReader& log, const TileAddress& t);
  Status write_checkpoint_locked(const LatestCheckpoint& cp);
  void catch_up_locked();

  std::filesystem::path dir_;
  Policy log_;                // the folder's checkpoint must verify under it
  mutable std::mutex mutex_;  // guards size_, note_ and the checkpoint file
  std::uint64_t size_;
  std::string note_;
};

// The tiles and bundles a tree of `new_size` has that a tree of `old_size`
// has not (or has narrower), level by level: what a publish writes.
std::vector<TileAddress> grown_tiles(std::uint64_t old_size, std::uint64_t new_size);

// The file of a published tile or checkpoint, for serving: not_found when
// the folder has none.
Result<std::string> read_published(const std::filesystem::path& dir, std::string_view path);

}  // namespace objector::intake
