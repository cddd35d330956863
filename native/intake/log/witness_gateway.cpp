#include "native/intake/log/witness_gateway.hpp"

#include <algorithm>

#include "core/tlog/signed_checkpoint.hpp"
#include "core/tlog/witness_request.hpp"
#include "native/common/http_client.hpp"
#include "native/common/log.hpp"
#include "native/common/url.hpp"

namespace objector::intake {

using Clock = std::chrono::steady_clock;

struct WitnessGateway::Worker {
  WitnessGateway& owner;
  WitnessEndpoint witness;
  native::HttpUrl url;
  std::unique_ptr<native::HttpClient> client;  // kept alive between checkpoints
  std::unique_ptr<Store> store;
  std::uint64_t known = 0;  // the size it last cosigned
  std::mutex mutex;
  std::condition_variable wake;
  std::optional<std::pair<std::uint64_t, std::string>> job;  // newest checkpoint to submit
  bool stopping = false;
  std::thread thread;

  void run();
  // One attempt; true when the witness cosigned or refused for good.
  bool submit(std::uint64_t size, const std::string& note);
};

Result<std::unique_ptr<WitnessGateway>> WitnessGateway::start(const StoreLocation& database,
                                                              std::vector<WitnessEndpoint> witnesses, Policy policy,
                                                              std::chrono::milliseconds timeout,
                                                              std::function<void(const Cosigned&)> on_cosigned) {
  std::unique_ptr<WitnessGateway> w(new WitnessGateway(std::move(policy), timeout, std::move(on_cosigned)));
  for (auto& endpoint : witnesses) {
    OBJECTOR_TRY(auto url, native::parse_http_url(endpoint.url, "config.witnesses.url"));
    OBJECTOR_TRY(auto store, Store::open(database));
    OBJECTOR_TRY(auto known, store->witness_size(endpoint.key.name));
    auto client = std::make_unique<native::HttpClient>(url.host, url.port, native::HttpDeadlines{timeout, timeout});
    w->workers_.push_back(std::unique_ptr<Worker>(new Worker{
        *w, std::move(endpoint), std::move(url), std::move(client), std::move(store), known, {}, {}, {}, false, {}}));
  }
  for (auto& worker : w->workers_) worker->thread = std::thread([p = worker.get()] { p->run(); });
  return w;
}

WitnessGateway::WitnessGateway(Policy policy, std::chrono::milliseconds timeout,
                               std::function<void(const Cosigned&)> on_cosigned)
    : policy_(std::move(policy)), timeout_(timeout), on_cosigned_(std::move(on_cosigned)) {}

WitnessGateway::~WitnessGateway() { stop(); }

void WitnessGateway::stop() {
  for (auto& w : workers_) {
    {
      std::lock_guard lock(w->mutex);
      w->stopping = true;
    }
    w->wake.notify_all();
  }
  for (auto& w : workers_) {
    if (w->thread.joinable()) w->thread.join();
  }
}

bool WitnessGateway::quorum_met(const std::string& note) const {
  {
    std::lock_guard lock(merged_mutex_);
    for (const auto& [size, m] : merged_) {
      if (m.note != note) continue;
      bool met = objector::quorum_met(policy_, m.witnesses);
      // Not met by what it verified, but it came with cosignatures of its own: only the note can tell.
      if (met || m.complete) return met;
    }
  }
  return open_checkpoint(note, policy_).ok();
}

Result<std::string> WitnessGateway::merge(std::uint64_t size, const std::string& submitted, std::string_view lines,
                                          const VerifierKey& witness) {
  constexpr std::size_t kSizesKept = 16;  // witnesses answer for the newest few
  std::lock_guard lock(merged_mutex_);
  auto [at, created] = merged_.try_emplace(size, Merged{submitted, {}, false});
  auto& held = at->second;
  if (created) {
    auto note = parse_note(submitted);
    held.complete = note && note->signatures.size() == 1;  // the log's alone
  }
  OBJECTOR_TRY(auto merged, merge_cosignatures(held.note, lines, witness));
  held.note = merged;
  for (const auto& w : policy_.witnesses) {
    bool same = w.key.name == witness.name && w.key.id == witness.id;
    if (same && std::find(held.witnesses.begin(), held.witnesses.end(), w.name) == held.witnesses.end()) {
      held.witnesses.push_back(w.name);
    }
  }
  while (merged_.size() > kSizesKept) merged_.erase(merged_.begin());
  return merged;
}

void WitnessGateway::submit(std::uint64_t size, const std::string& note) {
  for (auto& w : workers_) {
    {
      std::lock_guard lock(w->mutex);
      w->job = std::make_pair(size, note);
    }
    w->wake.notify_all();
  }
}

void WitnessGateway::Worker::run() {
  auto backoff = std::chrono::milliseconds(100);
  while (true) {
    std::pair<std::uint64_t, std::string> current;
    {
      std::unique_lock lock(mutex);
      wake.wait(lock, [&] { return stopping || job.has_value(); });
      if (stopping) return;
      current = std::move(*job);
      job.reset();
    }
    if (submit(current.first, current.second)) {
      backoff = std::chrono::milliseconds(100);
      continue;
    }
    // Failed for now: try again after a pause, unless a newer checkpoint came.
    std::unique_lock lock(mutex);
    if (!job) job = std::move(current);
    wake.wait_for(lock, backoff, [&] { return stopping; });
    backoff = std::min(backoff * 2, std::chrono::milliseconds(10000));
  }
}

bool WitnessGateway::Worker::submit(std::uint64_t size, const std::string& note) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (known > size) {
      // The witness cosigned a larger tree than this log has: its state or ours is wrong. Never retry.
      native::log_line(native::LogLevel::error, "witness_ahead",
                       {{"witness", witness.name}, {"size", std::to_string(known)}});
      return true;
    }
    auto proof = known == 0 || known == size ? Result<std::vector<Hash>>(std::vector<Hash>{})
                                             : consistency_proof(store->reader(), known, size);
    if (!proof) {
      native::log_line(native::LogLevel::error, "witness_proof",
                       {{"witness", witness.name}, {"error", proof.error().message}});
      return false;
    }
    auto r = client->request("POST", url.prefix + "/add-checkpoint", format_add_checkpoint({known, *proof, note}));
    if (r.status == 409) {
      auto reported = parse_tlog_size(r.body);
      if (!reported) break;
      known = *reported;
      (void)store->set_witness_size(witness.key.name, known);
      continue;
    }
    if (r.status == 200) {
      auto merged = owner.merge(size, note, r.body, witness.key);
      if (!merged) {
        native::log_line(native::LogLevel::warning, "witness_answer",
                         {{"witness", witness.name}, {"error", merged.error().message}});
        return false;
      }
      known = size;
      owner.on_cosigned_({size, std::move(*merged), witness.key.name});
      return true;
    }
    native::log_line(
        native::LogLevel::warning, "witness_refused",
        {{"witness", witness.name}, {"status", std::to_string(r.status)}, {"body", r.body.substr(0, 200)}});
    if (r.status == 403 || r.status == 404 || r.status == 422) return true;  // refused for good: not retried
    return false;
  }
  return false;
}

}  // namespace objector::intake
