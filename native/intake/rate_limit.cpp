#include "native/intake/rate_limit.hpp"

#include <algorithm>

namespace objector::intake {

bool RateLimiter::allow(const std::string& client, double& retry_after) {
  if (rate_ <= 0) return true;
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (buckets_.size() > 100000) buckets_.clear();  // bound memory under address churn
  auto [it, fresh] = buckets_.try_emplace(client, Bucket{burst_, now});
  auto& b = it->second;
  if (!fresh) {
    double elapsed = std::chrono::duration<double>(now - b.last).count();
    b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
    b.last = now;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return true;
  }
  retry_after = (1 - b.tokens) / rate_;
  return false;
}

}  // namespace objector::intake
