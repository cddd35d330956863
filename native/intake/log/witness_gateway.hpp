// Getting each checkpoint cosigned (c2sp.org/tlog-witness): one worker
// thread per witness submits the newest checkpoint with a consistency proof
// from the size that witness last cosigned (after a 409, from the size it
// reports), with a deadline per request and backoff between failures, on a
// kept-alive connection. Each answer is verified and merged, in memory, into
// that checkpoint with the cosignatures the others gave, and handed to
// `on_cosigned`: the sequencer answers under it and stores it with its next
// write (SQLite has one writer: a write per cosignature from here made the
// sequencer's commits and these wait for each other). Nothing waits here: the
// sequencer goes on with the next batch while a checkpoint is out for
// cosigning (a witness that fell behind is given the newest checkpoint, which
// covers the ones it skipped).
// Thread safety: submit() and quorum_met() from any thread; each worker owns
// its Store connection (it reads proofs) and HTTP client; `on_cosigned` runs
// on the workers'.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "core/tlog/policy.hpp"
#include "native/intake/log/store.hpp"

namespace objector::intake {

struct WitnessEndpoint {
  std::string name;  // the policy's name for it
  std::string url;   // submission prefix
  VerifierKey key;
};

class WitnessGateway {
 public:
  // `policy` names the witnesses and the quorum; `on_cosigned` gets every
  // note that gained a cosignature (for the sequencer's latest checkpoint).
  static Result<std::unique_ptr<WitnessGateway>> start(const StoreLocation& database,
                                                       std::vector<WitnessEndpoint> witnesses, Policy policy,
                                                       std::chrono::milliseconds timeout,
                                                       std::function<void(const Cosigned&)> on_cosigned);
  ~WitnessGateway();

  // Whether answers wait for cosignatures (the policy has a quorum).
  bool needs_quorum() const { return policy_.quorum != "none"; }
  // Whether `note` meets the policy: for a note this gateway merged, from the
  // witnesses whose answers it verified then; otherwise by verifying it.
  bool quorum_met(const std::string& note) const;
  // How long a submission waits for its quorum (witness.timeout_ms).
  std::chrono::milliseconds timeout() const { return timeout_; }
  // Gives every witness the checkpoint `note` of `size` (it replaces one
  // not yet sent), and returns at once.
  void submit(std::uint64_t size, const std::string& note);
  void stop();

 private:
  struct Worker;
  WitnessGateway(Policy policy, std::chrono::milliseconds timeout, std::function<void(const Cosigned&)> on_cosigned);
  // `submitted` (the checkpoint of `size`) with the cosignatures gathered for
  // it and the witness's answer `lines`, verified.
  Result<std::string> merge(std::uint64_t size, const std::string& submitted, std::string_view lines,
                            const VerifierKey& witness);

  Policy policy_;
  std::chrono::milliseconds timeout_;
  std::function<void(const Cosigned&)> on_cosigned_;
  std::vector<std::unique_ptr<Worker>> workers_;
  struct Merged {
    std::string note;
    std::vector<std::string> witnesses;  // the policy's names of those whose answers it verified
    bool complete = false;               // submitted with the log's signature alone: they are all it holds
  };
  mutable std::mutex merged_mutex_;
  std::map<std::uint64_t, Merged> merged_;  // the latest few sizes' notes, as merged so far
};

}  // namespace objector::intake
