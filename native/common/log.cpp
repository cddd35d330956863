#include "native/common/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace objector::native {
namespace {
std::mutex mutex;
std::atomic<bool> quiet{false};

bool needs_quotes(std::string_view v) { return v.empty() || v.find_first_of(" \"=\\") != std::string_view::npos; }
}  // namespace

void set_log_quiet(bool q) { quiet = q; }

void log_line(std::string_view level, std::string_view event, std::initializer_list<LogField> fields) {
  if (quiet && level == "info") return;
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char ts[64];
  std::snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  std::string line = "ts=" + std::string(ts) + " level=" + std::string(level) + " event=" + std::string(event);
  for (const auto& [k, v] : fields) {
    line += " " + std::string(k) + "=";
    if (needs_quotes(v)) {
      line += '"';
      for (char c : v) line += (c == '"' || c == '\\') ? std::string{'\\', c} : std::string{c};
      line += '"';
    } else {
      line += v;
    }
  }
  line += '\n';
  std::lock_guard lock(mutex);
  std::fputs(line.c_str(), stderr);
}

}  // namespace objector::native
