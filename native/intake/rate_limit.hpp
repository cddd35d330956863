// Per-client token buckets: `rate` requests a second on average, bursts of
// up to `burst`. Thread safety: allow() may be called from any thread.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace objector::intake {

class RateLimiter {
 public:
  RateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}
  // True if `client` may make a request now; otherwise `retry_after` says when.
  bool allow(const std::string& client, double& retry_after);

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point last;
  };
  double rate_, burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace objector::intake
