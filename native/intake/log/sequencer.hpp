// The sequencer integrates accepted submissions into the log in batches: it
// assigns indices, appends to the tree, signs a checkpoint and writes it all
// in one transaction, then answers every waiting request with its proof.
//
// On a shared store (PostgreSQL) every node runs one, and one at a time
// leads: it holds the store's sequencer lock and integrates its own queue
// plus what the other nodes queued in the store's pending table. A node that
// does not lead queues its submissions there at once and answers them when a
// checkpoint holding them arrives (NOTIFY, or polling). Each node re-tries
// the lock every `poll`, so when the leader dies another takes over.
// Thread safety: submit(), latest() and leading() may be called from any
// thread; the batches run on the sequencer's own thread, which owns its Store.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "core/tlog/note_key.hpp"
#include "native/intake/log/awaiter.hpp"
#include "native/intake/log/node_cache.hpp"
#include "native/intake/log/proofs.hpp"
#include "native/intake/log/store.hpp"
#include "native/intake/log/tile_publisher.hpp"
#include "native/intake/log/witness_gateway.hpp"

namespace objector::intake {

struct SequencerOptions {
  std::size_t max_entries = 256;  // per checkpoint
  std::chrono::milliseconds interval{500};
  std::size_t max_queue = SIZE_MAX;
  // Shared stores only:
  std::chrono::milliseconds poll{250};    // how often a node re-tries the lock and reads the log
  std::chrono::milliseconds lease{3000};  // a silent leader's session (and lock) ends after this
  // A submission queued for another node's sequencer gets not_sequenced (503)
  // after this; it stays queued and keeps its place when sent again.
  std::chrono::milliseconds wait_limit{10000};
  // The clock its deadlines are read from (the wait limit, the witnesses'
  // refresh): tests pass their own. Sleeps between turns stay on real time.
  std::function<std::chrono::steady_clock::time_point()> now = std::chrono::steady_clock::now;
};

class Sequencer {
 public:
  // Opens its own connection to the store and resumes the tree from it.
  // With a `publisher` (publish.dir), the leader writes every checkpoint's
  // tiles there before answering, starting with what the folder lacks.
  static Result<std::unique_ptr<Sequencer>> start(const StoreLocation& store, NoteSigner log_key,
                                                  SequencerOptions options, TilePublisher* publisher = nullptr);
  // The same on connections `open` makes (a store of any backend: tests use
  // the in-memory one); a store with a shared queue makes a node of several.
  using StoreOpener = std::function<Result<std::unique_ptr<Store>>()>;
  static Result<std::unique_ptr<Sequencer>> start(StoreOpener open, NoteSigner log_key, SequencerOptions options,
                                                  TilePublisher* publisher = nullptr);
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
  // Whether this node sequences (always, on a single-node store).
  bool leading() const { return leading_; }

  // From now on every checkpoint goes to the witnesses: with a quorum, its
  // submissions are answered once a checkpoint holding them meets it (or
  // with not_witnessed, 503, after the gateway's timeout; the entries stay
  // logged); and the latest checkpoint is re-submitted at least every
  // `refresh`. Only the leader submits, and it does not wait: the next batch
  // is integrated while one is out for cosigning. Call before taking traffic.
  void witness_with(WitnessGateway* witnessing, std::chrono::seconds refresh);
  // A witness's cosignature arrived (merged with the others the gateway
  // has): submissions are answered under it once it is stored, with the
  // next batch or on its own, whichever comes first.
  void cosigned(const Cosigned& c);

 private:
  using Clock = std::chrono::steady_clock;
  struct Item {
    Submission submission;
    Done done;  // empty for submissions another node queued in the store
  };
  Sequencer(std::unique_ptr<Store> store, NoteSigner log_key, SequencerOptions options, TilePublisher* publisher);
  // Several nodes share the store (it has a queue for them).
  bool shared() const { return shared_queue_ != nullptr; }
  Status resume(bool leading);  // leading: this node writes publish.dir
  void run();
  // The three wait regimes, under `mutex_`: true when a turn is due (a
  // batch, a lock attempt, a look at the log), false when only answers are.
  bool wait_alone(std::unique_lock<std::mutex>& lock);
  bool wait_leading(std::unique_lock<std::mutex>& lock);
  bool wait_following(std::unique_lock<std::mutex>& lock);
  void turn(std::vector<Item> batch);
  // Logs `items` and what other nodes queued; how many it took.
  std::size_t integrate(std::vector<Item> items);
  std::vector<Submission> take_pending(std::size_t room, std::vector<std::int64_t>& taken);
  void queue_for_leader(std::vector<Item> items);
  void follow();
  // Answers what the newest checkpoint that meets the policy holds, and
  // what is past its deadline, once the cosignatures it holds are stored.
  void answer_waiting();
  // Stores the cosignatures no batch took; the newest checkpoint that meets
  // the policy among them and the stored ones.
  std::shared_ptr<const LatestCheckpoint> store_cosignatures();
  // Queues cosignatures to store again, before those queued since.
  void keep_unstored(std::vector<Cosigned> older);
  void trim_unstored();  // under `mutex_`: the oldest go past kMaxUnstored
  void refresh_witnesses();
  // Gives the witnesses `cp` (leader only; without waiting).
  void submit_to_witnesses(const LatestCheckpoint& cp);
  // When a submission this node logged stops waiting for its checkpoint.
  Clock::time_point answer_deadline(Clock::time_point now) const;
  void listen(StoreOpener open);
  void set_latest(std::shared_ptr<const LatestCheckpoint> cp);
  // Makes `cp` the checkpoint submissions are answered under when it is
  // newer (or has more cosignatures) and meets the policy; whether it did.
  bool offer_witnessed(std::shared_ptr<const LatestCheckpoint> cp);
  // Writes the tiles up to `cp` into publish.dir (leader only).
  Status publish_tiles(const LatestCheckpoint& cp);
  bool needs_quorum() const { return gateway_ != nullptr && gateway_->needs_quorum(); }

  std::unique_ptr<Store> store_;
  SharedQueue* shared_queue_;  // the store's, on a shared store; null on SQLite
  NoteSigner log_key_;
  SequencerOptions options_;
  TilePublisher* publisher_;
  CompactTree tree_;
  std::atomic<bool> leading_{false};
  Awaiter awaiter_;  // the sequencer thread's
  // The nodes of recent batches (and what proofs read): about 2 MB at most.
  NodeCache nodes_{1U << 15};
  Clock::time_point next_turn_{};
  Clock::time_point next_lead_try_{};           // following: when to try for the sequencer lock again
  std::optional<Clock::time_point> batch_due_;  // alone: when the batch being gathered is due
  bool backlog_ = false;                        // alone: the last batch was full

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  bool changed_ = false;              // the listener heard of a change in the log
  bool cosigned_ = false;             // a checkpoint met the quorum: answers are due
  std::size_t queued_elsewhere_ = 0;  // leading: pending rows other nodes queued since the last turn
  std::shared_ptr<const LatestCheckpoint> latest_;
  std::vector<Cosigned> unstored_;  // cosignatures not yet written: the next batch takes them
  // The newest checkpoint that meets the witness policy (the latest one when
  // there is no quorum to meet): what submissions are answered under.
  std::shared_ptr<const LatestCheckpoint> witnessed_;
  WitnessGateway* gateway_ = nullptr;
  std::chrono::seconds refresh_{60};
  Clock::time_point last_submitted_{};
  std::mutex join_mutex_;
  std::thread thread_;
  std::atomic<bool> listening_{false};
  std::thread listener_;
};

}  // namespace objector::intake
