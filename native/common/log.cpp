#include "native/common/log.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace objector::native {
namespace {
std::mutex mutex;
std::atomic<bool> quiet{false};

bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }

bool needs_quotes(std::string_view v) {
  return v.empty() || v.find_first_of(" \"=\\") != std::string_view::npos ||
         std::any_of(v.begin(), v.end(), is_control);
}

std::string_view level_name(LogLevel level) {
  switch (level) {
    case LogLevel::info:
      return "info";
    case LogLevel::warning:
      return "warning";
    case LogLevel::error:
      break;
  }
  return "error";
}

}  // namespace

std::string logfmt_value(std::string_view v) {
  if (!needs_quotes(v)) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (is_control(c)) {
          char hex[8];
          std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned char>(c));
          out += hex;
        } else {
          out += c;
        }
    }
  }
  return out + '"';
}

void set_log_quiet(bool q) { quiet = q; }

void log_line(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) {
  if (quiet && level == LogLevel::info) return;
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char ts[64];
  std::snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  std::string line =
      "ts=" + std::string(ts) + " level=" + std::string(level_name(level)) + " event=" + std::string(event);
  for (const auto& [k, v] : fields) line += " " + std::string(k) + "=" + logfmt_value(v);
  line += '\n';
  std::lock_guard lock(mutex);
  std::fputs(line.c_str(), stderr);
}

}  // namespace objector::native
