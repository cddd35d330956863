// Getting each checkpoint cosigned (c2sp.org/tlog-witness): one worker
// thread per witness submits the newest checkpoint with a consistency proof
// from the size that witness last cosigned (after a 409, from the size it
// reports), with a deadline per request and backoff between failures. Each
// answer is verified and merged into the stored checkpoint (Store::
// add_cosignatures). cosign() waits until the checkpoint meets the policy's
// quorum, or every witness has answered, or the deadline passes.
// Thread safety: cosign(), refresh() and note() from any thread; each worker
// owns its Store connection and HTTP client.
#pragma once

#include <condition_variable>
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
  static Result<std::unique_ptr<WitnessGateway>> start(
      const StoreLocation& database, std::vector<WitnessEndpoint> witnesses, Policy policy,
      std::chrono::milliseconds timeout, std::function<void(std::uint64_t, const std::string&)> on_cosigned);
  ~WitnessGateway();

  // Whether answers wait for cosignatures (the policy has a quorum).
  bool needs_quorum() const { return policy_.quorum != "none"; }
  bool quorum_met(const std::string& note) const;
  // Submits the checkpoint `note` of `size` and waits as above; returns the
  // note with the cosignatures it has, and whether they meet the quorum.
  struct Cosigned {
    std::string note;
    bool quorum = false;
  };
  Cosigned cosign(std::uint64_t size, const std::string& note);
  // Submits without waiting (the periodic refresh).
  void refresh(std::uint64_t size, const std::string& note);
  void stop();

 private:
  struct Worker;
  WitnessGateway(Policy policy, std::chrono::milliseconds timeout,
                 std::function<void(std::uint64_t, const std::string&)> on_cosigned);
  void post(std::uint64_t size, const std::string& note);
  void cosigned(std::uint64_t size, const std::string& note);

  Policy policy_;
  std::chrono::milliseconds timeout_;
  std::function<void(std::uint64_t, const std::string&)> on_cosigned_;
  std::vector<std::unique_ptr<Worker>> workers_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t size_ = 0;     // the checkpoint being cosigned
  std::string note_;           // with the cosignatures so far
  std::uint64_t answers_ = 0;  // workers done with `size_` (cosigned or given up)
};

}  // namespace objector::intake
