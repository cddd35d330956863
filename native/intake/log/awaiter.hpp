// Answers submissions from published checkpoints, the same way on the node
// that sequenced them and on the nodes that queued them for it: once the
// latest checkpoint covers the entry's index and meets the witness policy,
// with the proofs of all of them read in one call. A submission whose index
// this node does not know (it queued it for another) is looked up by device
// key each time the log grew (the store's key index answers in memory), and
// refused if its device key signed another objection (antispam.hpp). One
// still waiting at its
// deadline gets 503: not_witnessed when it is logged, not_sequenced when not
// (sent again, it keeps its place).
// Thread safety: one thread (the sequencer's).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <vector>

#include "native/intake/log/proofs.hpp"
#include "native/intake/log/store.hpp"

namespace objector::intake {

struct Integrated {
  std::uint64_t index = 0;
  bool created = false;  // false when the entry was already in the log
  std::string proof;     // c2sp.org/tlog-proof@v1
};
using Done = std::function<void(Result<Integrated>)>;

Error not_sequenced();
Error not_witnessed();

class Awaiter {
 public:
  using Clock = std::chrono::steady_clock;

  // Answers `done` once a checkpoint holds `s` (leaf and device key are what
  // count), or with 503 at `deadline`; `index` when this node gave it one.
  void add(const Submission& s, std::optional<std::uint64_t> index, bool created, Done done,
           Clock::time_point deadline);
  // As add(), for a submission this node queued for another when the log was
  // of `queued_at` entries: created when it is logged at or above that.
  void add_queued(const Submission& s, std::uint64_t queued_at, Done done, Clock::time_point deadline);
  // Answers what `cp` holds (the newest checkpoint that meets the witness
  // policy; null while there is none), with proofs read from `nodes`, and
  // what is past its deadline.
  void on_checkpoint(const HashReader& nodes, Store& store, const LatestCheckpoint* cp, Clock::time_point now);
  // Answers everything still waiting with `e`.
  void fail_all(const Error& e);
  bool empty() const { return waiting_.empty(); }

 private:
  struct Waiter {
    Submission key;  // leaf and device key only
    std::optional<std::uint64_t> index;
    bool created = false;
    std::optional<std::uint64_t> queued_at;  // add_queued: created is known with the index
    Done done;
    Clock::time_point deadline;
    // The checkpoint size it was last looked up under: the log's answer
    // changes only when the log grows.
    std::optional<std::uint64_t> looked_up;
  };
  // Looks up the waiters whose index is not known (again when the log grew
  // past `size` since); refuses reused device keys.
  Status look_up(Store& store, std::uint64_t size);
  static void found_at(Waiter& w, std::uint64_t index);

  std::vector<Waiter> waiting_;
};

}  // namespace objector::intake
