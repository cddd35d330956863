// UTF-8 checks for signed notes and key names.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace objector {

bool is_valid_utf8(std::string_view s);
// Any ASCII control character or Unicode space (White_Space property).
bool contains_space_or_control(std::string_view s);
// `s` with each invalid UTF-8 sequence replaced by U+FFFD, so that error
// messages quoting input stay valid JSON strings.
std::string to_valid_utf8(std::string_view s);

}  // namespace objector
