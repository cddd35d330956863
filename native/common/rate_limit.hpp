// Per-client token buckets: `rate` requests a second on average, bursts of
// up to `burst`. At most `max_clients` buckets are kept; beyond that the
// least recently used one is evicted (a client that comes back after that
// starts with a full bucket), so address churn cannot grow memory or reset
// everyone's buckets at once.
// Thread safety: allow() may be called from any thread.
#pragma once

#include <chrono>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace objector::native {

class RateLimiter {
 public:
  RateLimiter(double rate, double burst, std::size_t max_clients = 100000)
      : rate_(rate), burst_(burst), max_clients_(max_clients) {}
  // True if `client` may make a request now; otherwise `retry_after` (seconds) says when.
  bool allow(const std::string& client, double& retry_after);
  std::size_t clients() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Bucket {
    double tokens;
    Clock::time_point last;
    std::list<std::string>::iterator age;  // position in recent_
  };
  double rate_, burst_;
  std::size_t max_clients_;
  mutable std::mutex mutex_;
  std::list<std::string> recent_;  // most recently used first
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace objector::native
