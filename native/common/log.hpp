// Structured log lines on stderr: "ts=... level=info event=batch size=12".
// Callers pass only counts, sizes, codes and timings, never accounts or
// reasons. Thread safety: lines from several threads do not mix.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace objector::native {

using LogField = std::pair<std::string_view, std::string>;

void log_line(std::string_view level, std::string_view event, std::initializer_list<LogField> fields = {});
void set_log_quiet(bool quiet);  // drop "info" lines (tests)

}  // namespace objector::native
