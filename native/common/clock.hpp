// The wall clock as the formats use it: whole Unix seconds.
// Thread safety: safe from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace objector::native {

inline std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// "2026-11-26T18:04:05Z".
std::string utc_time(std::int64_t unix_seconds);
// "3d 4h", "2h 5m", "40s": how long, for people.
std::string human_duration(std::int64_t seconds);

}  // namespace objector::native
