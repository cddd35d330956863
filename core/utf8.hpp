// UTF-8 checks for signed notes and key names.
// Thread safety: pure functions.
#pragma once

#include <string_view>

namespace objector {

bool is_valid_utf8(std::string_view s);
// Any ASCII control character or Unicode space (White_Space property).
bool contains_space_or_control(std::string_view s);

}  // namespace objector
