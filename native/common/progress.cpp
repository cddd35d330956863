#include "native/common/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace objector::native {

Progress::Progress(std::string label, std::uint64_t total)
    : label_(std::move(label)),
      total_(total),
      enabled_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void Progress::advance(std::uint64_t n) {
  auto done = done_ += n;
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_, std::try_to_lock);
  if (!lock || now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  draw(done, false);
}

void Progress::finish() {
  std::lock_guard lock(mutex_);
  if (!enabled_ || finished_) return;
  finished_ = true;
  draw(done_, true);
}

void Progress::draw(std::uint64_t done, bool final) {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  double fraction = total_ ? static_cast<double>(done) / static_cast<double>(total_) : 1;
  int width = 30, filled = static_cast<int>(fraction * width);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(static_cast<std::size_t>(width), '.');
  double eta = rate > 0 && total_ > done ? static_cast<double>(total_ - done) / rate : 0;
  std::fprintf(stderr, "\r%s [%s] %llu/%llu %.0f/s ETA %.0fs%s", label_.c_str(), bar.c_str(),
               static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_), rate, eta,
               final ? "\n" : "  ");
  std::fflush(stderr);
}

}  // namespace objector::native
