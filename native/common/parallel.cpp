#include "native/common/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace objector::native {

unsigned core_count() { return std::max(1u, std::thread::hardware_concurrency()); }

void run_threads(unsigned threads, const std::function<void(unsigned)>& worker) {
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker, t);
  worker(0);
  for (auto& t : pool) t.join();
}

std::optional<IndexedError> parallel_for(std::size_t n, const std::function<Status(std::size_t)>& body,
                                         const ParallelOptions& options) {
  const std::size_t chunk = std::max<std::size_t>(1, options.chunk);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::optional<IndexedError> first;
  run_threads(options.threads ? options.threads : core_count(), [&](unsigned) {
    for (std::size_t start; !stop && (start = next.fetch_add(chunk)) < n;) {
      auto end = std::min(n, start + chunk);
      for (std::size_t i = start; i < end; ++i) {
        auto ok = body(i);
        if (ok) continue;
        std::lock_guard lock(mutex);
        if (!first || i < first->index) first = IndexedError{i, std::move(ok).error()};
        stop = true;
        break;
      }
      if (options.on_done) options.on_done(end - start);
    }
  });
  return first;
}

}  // namespace objector::native
