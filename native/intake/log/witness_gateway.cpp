#include "native/intake/log/witness_gateway.hpp"

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

Result<std::unique_ptr<WitnessGateway>> WitnessGateway::start(
    const StoreLocation& database, std::vector<WitnessEndpoint> witnesses, Policy policy,
    std::chrono::milliseconds timeout, std::function<void(std::uint64_t, const std::string&)> on_cosigned) {
  std::unique_ptr<WitnessGateway> w(new WitnessGateway(std::move(policy), timeout, std::move(on_cosigned)));
  for (auto& endpoint : witnesses) {
    OBJECTOR_TRY(auto url, native::parse_http_url(endpoint.url, "config.witnesses.url"));
    OBJECTOR_TRY(auto store, Store::open(database));
    OBJECTOR_TRY(auto known, store->witness_size(endpoint.key.name));
    w->workers_.push_back(std::unique_ptr<Worker>(
        new Worker{*w, std::move(endpoint), std::move(url), std::move(store), known, {}, {}, {}, false, {}}));
  }
  for (auto& worker : w->workers_) worker->thread = std::thread([p = worker.get()] { p->run(); });
  return w;
}

WitnessGateway::WitnessGateway(Policy policy, std::chrono::milliseconds timeout,
                               std::function<void(std::uint64_t, const std::string&)> on_cosigned)
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

bool WitnessGateway::quorum_met(const std::string& note) const { return open_checkpoint(note, policy_).ok(); }

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
  native::HttpClient client(url.host, url.port, {owner.timeout_, owner.timeout_});
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
    auto r = client.request("POST", url.prefix + "/add-checkpoint", format_add_checkpoint({known, *proof, note}));
    if (r.status == 409) {
      auto reported = parse_tlog_size(r.body);
      if (!reported) break;
      known = *reported;
      (void)store->set_witness_size(witness.key.name, known);
      continue;
    }
    if (r.status == 200) {
      auto merged = store->add_cosignatures(size, r.body, witness.key);
      if (!merged) {
        native::log_line(native::LogLevel::warning, "witness_answer",
                         {{"witness", witness.name}, {"error", merged.error().message}});
        return false;
      }
      known = size;
      owner.on_cosigned_(size, *merged);
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
