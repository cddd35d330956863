// The sequencer integrates accepted submissions into the log in batches: it
// assigns indices, appends to the tree, signs a checkpoint and writes it all
// in one transaction, then answers every waiting request with its proof.
// Thread safety: submit() and latest() may be called from any thread; the
// batches run on the sequencer's own thread, which owns its Store.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "core/tlog/note_key.hpp"
#include "native/intake/store.hpp"
#include "native/intake/submission.hpp"

namespace objector::intake {

struct Integrated {
  std::uint64_t index = 0;
  bool created = false;  // false when the entry was already in the log
  std::string proof;     // c2sp.org/tlog-proof@v1
};

struct LatestCheckpoint {
  std::uint64_t size = 0;
  std::string note;
};

class Sequencer {
 public:
  using Done = std::function<void(Result<Integrated>)>;

  // Opens its own connection to `database` and resumes the tree from it.
  static Result<std::unique_ptr<Sequencer>> start(const std::filesystem::path& database, NoteSigner log_key,
                                                  std::size_t max_entries, std::chrono::milliseconds interval,
                                                  std::size_t max_queue = SIZE_MAX);
  ~Sequencer();

  // Queues a submission; `done` runs on the sequencer thread once it is in a
  // signed checkpoint (or failed). Fails at once (overloaded) when the queue
  // is full, or (shutting_down) when stopping.
  void submit(Submission s, Done done);
  // Whether the queue is full now: checked before a submission's signature
  // is verified, so an overloaded intake does no work it will throw away.
  bool full() const;
  // Integrates what is queued, then stops the thread. Idempotent.
  void stop();

  std::shared_ptr<const LatestCheckpoint> latest() const;

 private:
  struct Item {
    Submission submission;
    Done done;
  };
  Sequencer(Store store, NoteSigner log_key, std::size_t max_entries, std::chrono::milliseconds interval,
            std::size_t max_queue);
  Status resume();
  void run();
  void integrate(std::vector<Item> batch);
  static Result<std::string> proof_for(const NodeReader& nodes, std::uint64_t index, const LatestCheckpoint& cp);

  Store store_;
  NoteSigner log_key_;
  std::size_t max_entries_;
  std::chrono::milliseconds interval_;
  std::size_t max_queue_;
  CompactTree tree_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  std::shared_ptr<const LatestCheckpoint> latest_;
  std::mutex join_mutex_;
  std::thread thread_;
};

}  // namespace objector::intake
