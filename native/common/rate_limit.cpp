#include "native/common/rate_limit.hpp"

#include <algorithm>

namespace objector::native {

bool RateLimiter::allow(const std::string& client, double& retry_after) {
  if (rate_ <= 0) return true;
  auto now = Clock::now();
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(client);
  if (it == buckets_.end()) {
    if (buckets_.size() >= std::max<std::size_t>(1, max_clients_)) {
      buckets_.erase(recent_.back());
      recent_.pop_back();
    }
    recent_.push_front(client);
    it = buckets_.emplace(client, Bucket{burst_, now, recent_.begin()}).first;
  } else {
    recent_.splice(recent_.begin(), recent_, it->second.age);
  }
  auto& b = it->second;
  double elapsed = std::chrono::duration<double>(now - b.last).count();
  b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
  b.last = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return true;
  }
  retry_after = (1 - b.tokens) / rate_;
  return false;
}

std::size_t RateLimiter::clients() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

}  // namespace objector::native
