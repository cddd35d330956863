// A store in memory: the third backend, for the engine's in-process tests
// (the contract suite every backend passes, a leader handing over to a
// follower without processes). A MemoryLog is the "database"; each
// MemoryStore is one connection to it, with the same compare-and-swap,
// all-or-nothing batches and uniqueness as the real ones. A shared MemoryLog
// also has the several-nodes queue: the sequencer lock (freed when the
// connection holding it goes), pending rows and change notifications.
// Thread safety: a MemoryLog is shared by its connections under its mutex;
// one MemoryStore per thread, as with every store.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>

#include "native/intake/log/store.hpp"

namespace objector::intake {

class MemoryLog {
 public:
  explicit MemoryLog(bool shared) : shared_(shared) {}
  // A new connection.
  std::unique_ptr<Store> open();

 private:
  friend class MemoryStore;
  struct Opening {
    std::string account;
    Bytes r;
    std::string reason;
    std::int64_t received = 0;
  };
  const bool shared_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t version_ = 0;  // bumped by every commit and cosignature
  std::map<std::uint64_t, StoredEntry> entries_;
  std::map<Hash, std::uint64_t> by_leaf_;
  std::map<Hash, Hash> by_device_key_;  // device key -> leaf
  std::map<std::uint64_t, Opening> openings_;
  std::map<NodeId, Hash> nodes_;
  std::map<std::uint64_t, std::string> checkpoints_;
  std::map<std::string, std::uint64_t, std::less<>> witness_sizes_;
  std::map<std::int64_t, std::pair<std::size_t, SecretBytes>> pending_;  // id -> (submissions, row)
  std::int64_t rows_ = 0;                                                // rows ever queued: their ids
  std::uint64_t queued_ = 0;                                             // submissions ever queued: what listeners hear
  const void* leader_ = nullptr;                                         // the connection holding the sequencer lock
};

}  // namespace objector::intake
