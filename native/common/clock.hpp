// The wall clock as the formats use it: whole Unix seconds.
// Thread safety: safe from any thread.
#pragma once

#include <chrono>
#include <cstdint>

namespace objector::native {

inline std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace objector::native
