// Decimal numbers as the C2SP text formats write them (tree sizes, indices,
// tile coordinates): no sign, no leading zeros, at most 2^64 - 1.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.hpp"

namespace objector {

// Parses a decimal with no sign and no leading zeros ("0" allowed); `what`
// names the field in the error.
Result<std::uint64_t> parse_decimal(std::string_view s, std::string_view what);

}  // namespace objector
