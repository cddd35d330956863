// A progress bar on stderr for long runs (count, rate, ETA), drawn only
// when stderr is a terminal; nothing on a pipe or in a file.
// Thread safety: advance() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>

namespace objector::native {

class Progress {
 public:
  Progress(std::string label, std::uint64_t total);
  ~Progress() { finish(); }
  void advance(std::uint64_t n = 1);
  void finish();

 private:
  void draw(std::uint64_t done, bool final);
  std::string label_;
  std::uint64_t total_;
  bool enabled_;
  std::atomic<std::uint64_t> done_{0};
  std::chrono::steady_clock::time_point start_, last_draw_;
  std::mutex mutex_;
  bool finished_ = false;
};

}  // namespace objector::native
