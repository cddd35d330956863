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
#include "native/intake/witnessing.hpp"

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

  // From now on every checkpoint goes to the witnesses: with a quorum, its
  // submissions are answered once it is met (or with not_witnessed, 503,
  // after the deadline; the entries stay logged); and the latest checkpoint
  // is re-submitted at least every `refresh`. Call before taking traffic.
  void witness_with(Witnessing* witnessing, std::chrono::seconds refresh);
  // A witness's cosignature arrived for the checkpoint of `size`.
  void cosigned(std::uint64_t size, const std::string& note);

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
  // Witnesses the latest checkpoint (when the policy wants a quorum): false
  // when the quorum was not met in time.
  bool witness(std::shared_ptr<const LatestCheckpoint>& cp);
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
  Witnessing* witnessing_ = nullptr;
  std::chrono::seconds refresh_{60};
  std::chrono::steady_clock::time_point last_submitted_{};
  std::mutex join_mutex_;
  std::thread thread_;
};

}  // namespace objector::intake
