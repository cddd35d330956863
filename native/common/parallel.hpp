// Work across all cores, the one way the native tools do it.
// Thread safety: the functions block until every worker is done; `worker`
// and `body` run concurrently and must be safe to call from several threads.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>

#include "core/result.hpp"

namespace objector::native {

// The number of cores to use (at least 1).
unsigned core_count();

// Runs worker(t) for t in [0, threads) on `threads` threads, one of them the
// caller's, and returns when all have returned.
void run_threads(unsigned threads, const std::function<void(unsigned)>& worker);

struct IndexedError {
  std::size_t index;
  Error error;
};

struct ParallelOptions {
  std::size_t chunk = 256;                        // indices a worker takes at a time
  std::function<void(std::size_t)> on_done = {};  // called with the size of each finished chunk
  unsigned threads = 0;                           // 0: core_count()
};

// Runs body(i) for every i in [0, n) on all cores. Stops early at a failure
// and returns the failure with the lowest index among those seen (every
// index below it was checked).
std::optional<IndexedError> parallel_for(std::size_t n, const std::function<Status(std::size_t)>& body,
                                         const ParallelOptions& options = {});

}  // namespace objector::native
