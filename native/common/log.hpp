// Structured log lines on stderr: "ts=... level=info event=batch size=12"
// (logfmt). Callers pass only counts, sizes, codes and timings, never
// accounts or reasons. Every value is quoted when it needs to be, with
// quotes, backslashes and control characters escaped, so a value (a remote
// server's error text, say) can never start a line of its own.
// Thread safety: lines from several threads do not mix.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace objector::native {

using LogField = std::pair<std::string_view, std::string>;

enum class LogLevel { info, warning, error };

void log_line(LogLevel level, std::string_view event, std::initializer_list<LogField> fields = {});
void set_log_quiet(bool quiet);  // drop info lines (tests)
// A logfmt value: as it is, or in quotes with \" \\ \n \r \t and \xHH escapes.
std::string logfmt_value(std::string_view v);

}  // namespace objector::native
